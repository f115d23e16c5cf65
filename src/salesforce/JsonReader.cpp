#include "salesforce/JsonReader.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <system_error>

#include "sfsync/core/Utf8.h"

namespace sfsync::salesforce {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

void appendUtf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Characters that end the fast scan inside a string: quote, backslash and control characters.
inline bool isStringSpecial(char c) {
  return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

// Advances from `p` to the first string-special character (or `end`), eight bytes at a time, and
// ORs every byte passed over into `high` (its top bit is set when any byte was non-ASCII). Per
// 8-byte word, (x - 0x01..) & ~x & 0x80.. is non-zero exactly when some byte of x is zero (false
// positives only above a true one), and (v - 0x20..) & ~v & 0x80.. when some byte is below 0x20;
// a word that may hold a special byte is finished by the exact byte loop.
inline const char* scanPlain(const char* p, const char* end, unsigned char& high) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kTop = 0x8080808080808080ULL;
  std::uint64_t seen = 0;
  while (end - p >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    const std::uint64_t quote = v ^ (kOnes * '"');
    const std::uint64_t slash = v ^ (kOnes * '\\');
    const std::uint64_t special =
        ((quote - kOnes) & ~quote) | ((slash - kOnes) & ~slash) | ((v - kOnes * 0x20) & ~v);
    if ((special & kTop) != 0) break;
    seen |= v;
    p += 8;
  }
  if ((seen & kTop) != 0) high |= 0x80;
  while (p < end && !isStringSpecial(*p)) high |= static_cast<unsigned char>(*p++);
  return p;
}

}  // namespace

bool JsonReader::fail(const char* what) {
  if (error_.empty()) error_ = (p_ >= end_) ? std::string("unexpected end of input") : what;
  return false;
}

void JsonReader::skipWhitespace() {
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
}

char JsonReader::peek() {
  skipWhitespace();
  return p_ < end_ ? *p_ : '\0';
}

bool JsonReader::tryConsume(char c) {
  if (peek() != c || p_ >= end_) return false;
  ++p_;
  return true;
}

bool JsonReader::expect(char c) {
  if (tryConsume(c)) return true;
  switch (c) {
    case ':':
      return fail("expected ':'");
    case '{':
      return fail("expected '{'");
    case '[':
      return fail("expected '['");
    default:
      return fail("unexpected character");
  }
}

bool JsonReader::atEnd() {
  skipWhitespace();
  return p_ >= end_;
}

bool JsonReader::readHex4(unsigned& out) {
  if (end_ - p_ < 4) return fail("truncated \\u escape");
  out = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = *p_++;
    out <<= 4;
    if (c >= '0' && c <= '9') {
      out |= static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      out |= static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      out |= static_cast<unsigned>(c - 'A' + 10);
    } else {
      return fail("invalid \\u escape");
    }
  }
  return true;
}

bool JsonReader::readEscape(std::string& out) {
  // p_ is just past the backslash.
  if (p_ >= end_) return fail("unterminated string");
  const char c = *p_++;
  switch (c) {
    case '"':
      out.push_back('"');
      return true;
    case '\\':
      out.push_back('\\');
      return true;
    case '/':
      out.push_back('/');
      return true;
    case 'b':
      out.push_back('\b');
      return true;
    case 'f':
      out.push_back('\f');
      return true;
    case 'n':
      out.push_back('\n');
      return true;
    case 'r':
      out.push_back('\r');
      return true;
    case 't':
      out.push_back('\t');
      return true;
    case 'u':
      break;
    default:
      --p_;
      return fail("invalid escape in string");
  }
  unsigned cp = 0;
  if (!readHex4(cp)) return false;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    // A high surrogate must be followed by \u and a low surrogate.
    unsigned low = 0;
    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return fail("unpaired surrogate");
    p_ += 2;
    if (!readHex4(low)) return false;
    if (low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return fail("unpaired surrogate");
  }
  appendUtf8(out, cp);
  return true;
}

bool JsonReader::readString(std::string_view& out, std::string& scratch) {
  if (peek() != '"') return fail("expected a string");
  ++p_;
  const char* start = p_;
  unsigned char high = 0;  // OR of the bytes: >= 0x80 when any is non-ASCII
  p_ = scanPlain(p_, end_, high);
  if (p_ < end_ && *p_ == '"' &&
      (high < 0x80 || isValidUtf8(std::string_view(start, static_cast<std::size_t>(p_ - start))))) {
    // Common case: no escapes, well-formed: view the input.
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }
  scratch.clear();
  bool replaced =
      appendUtf8Sanitized(scratch, std::string_view(start, static_cast<std::size_t>(p_ - start)));
  for (;;) {
    if (p_ >= end_) return fail("unterminated string");
    const char c = *p_;
    if (c == '"') {
      ++p_;
      out = scratch;
      if (replaced) ++invalidUtf8Strings_;
      return true;
    }
    if (c != '\\') return fail("control character in string");
    ++p_;
    if (!readEscape(scratch)) return false;
    const char* run = p_;
    unsigned char ignored = 0;
    p_ = scanPlain(p_, end_, ignored);
    replaced =
        appendUtf8Sanitized(scratch, std::string_view(run, static_cast<std::size_t>(p_ - run))) ||
        replaced;
  }
}

bool JsonReader::skipString() {
  // p_ is at the opening quote.
  ++p_;
  for (;;) {
    unsigned char ignored = 0;
    p_ = scanPlain(p_, end_, ignored);
    if (p_ >= end_) return fail("unterminated string");
    const char c = *p_++;
    if (c == '"') return true;
    if (c != '\\') {
      --p_;
      return fail("control character in string");
    }
    if (p_ >= end_) return fail("unterminated string");
    const char e = *p_++;
    if (e == 'u') {
      unsigned ignored = 0;
      if (!readHex4(ignored)) return false;
    } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
               e != 't') {
      --p_;
      return fail("invalid escape in string");
    }
  }
}

bool JsonReader::readNumber(Value& out) {
  const char* start = p_;
  bool integral = true;
  if (p_ < end_ && *p_ == '-') ++p_;
  if (p_ >= end_) return fail("invalid number");
  if (*p_ == '0') {
    ++p_;
  } else if (*p_ >= '1' && *p_ <= '9') {
    while (p_ < end_ && isDigit(*p_)) ++p_;
  } else {
    return fail("invalid number");
  }
  if (p_ < end_ && *p_ == '.') {
    integral = false;
    ++p_;
    if (p_ >= end_ || !isDigit(*p_)) return fail("invalid number");
    while (p_ < end_ && isDigit(*p_)) ++p_;
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    integral = false;
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ >= end_ || !isDigit(*p_)) return fail("invalid number");
    while (p_ < end_ && isDigit(*p_)) ++p_;
  }
  if (integral) {
    std::int64_t i = 0;
    const auto r = std::from_chars(start, p_, i);
    if (r.ec == std::errc() && r.ptr == p_) {
      out = i;
      return true;
    }
    // Too large for int64: fall through to double.
  }
  double d = 0;
  const auto r = std::from_chars(start, p_, d);
  if (r.ec != std::errc() || r.ptr != p_) return fail("number out of range");
  out = d;
  return true;
}

bool JsonReader::readLiteral(std::string_view word) {
  if (static_cast<std::size_t>(end_ - p_) < word.size() ||
      std::string_view(p_, word.size()) != word) {
    return fail("invalid literal");
  }
  p_ += word.size();
  return true;
}

bool JsonReader::readScalar(Value& out) {
  const char c = peek();
  switch (c) {
    case '"': {
      std::string_view s;
      std::string scratch;
      if (!readString(s, scratch)) return false;
      out.emplace<std::string>(s);
      return true;
    }
    case 't':
      if (!readLiteral("true")) return false;
      out = true;
      return true;
    case 'f':
      if (!readLiteral("false")) return false;
      out = false;
      return true;
    case 'n':
      if (!readLiteral("null")) return false;
      out = std::monostate{};
      return true;
    default:
      if (c == '-' || isDigit(c)) return readNumber(out);
      return fail("expected a value");
  }
}

bool JsonReader::skipValue() { return skipValueAt(0); }

bool JsonReader::skipValueAt(int depth) {
  const char c = peek();
  if (c == '"') return skipString();
  if (c == '{' || c == '[') {
    if (depth >= kMaxDepth) return fail("nesting too deep");
    const bool object = c == '{';
    const char close = object ? '}' : ']';
    ++p_;
    if (tryConsume(close)) return true;
    for (;;) {
      if (object) {
        if (peek() != '"') return fail("expected a string");
        if (!skipString() || !expect(':')) return false;
      }
      if (!skipValueAt(depth + 1)) return false;
      if (tryConsume(',')) continue;
      if (tryConsume(close)) return true;
      return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
  Value ignored;
  switch (c) {
    case 't':
      return readLiteral("true");
    case 'f':
      return readLiteral("false");
    case 'n':
      return readLiteral("null");
    default:
      if (c == '-' || isDigit(c)) return readNumber(ignored);
      return fail("expected a value");
  }
}

}  // namespace sfsync::salesforce
