#include "config/JsonSyntaxLocator.h"

#include <cstring>

namespace sfsync::config {

namespace {

constexpr int kMaxDepth = 1000;

// A recursive-descent recogniser; on the first error it records the offset and stops.
class Scanner {
 public:
  explicit Scanner(const std::string& text) : s_(text) {}

  std::optional<JsonSyntaxError> run() {
    skipSpace();
    if (value(0)) {
      skipSpace();
      if (pos_ != s_.size()) fail("unexpected text after the JSON value");
    }
    if (!failed_) return std::nullopt;
    return makeError();
  }

 private:
  bool atEnd() const { return pos_ >= s_.size(); }
  char peek() const { return atEnd() ? '\0' : s_[pos_]; }

  bool fail(const char* message) {
    if (!failed_) {
      failed_ = true;
      message_ = atEnd() ? "unexpected end of text" : message;
    }
    return false;
  }

  void skipSpace() {
    while (!atEnd() && std::strchr(" \t\r\n", s_[pos_]) != nullptr) ++pos_;
  }

  bool literal(const char* word) {
    for (const char* w = word; *w != '\0'; ++w, ++pos_) {
      if (peek() != *w) return fail("invalid literal");
    }
    return true;
  }

  bool value(int depth) {
    if (depth > kMaxDepth) return fail("nesting too deep");
    switch (peek()) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (peek() == '-' || isDigit(peek())) return number();
        return fail("expected a value");
    }
  }

  bool object(int depth) {
    ++pos_;  // '{'
    skipSpace();
    if (peek() == '}') return ++pos_, true;
    while (true) {
      skipSpace();
      if (peek() != '"') return fail("expected a string key");
      if (!string()) return false;
      skipSpace();
      if (peek() != ':') return fail("expected ':' after key");
      ++pos_;
      skipSpace();
      if (!value(depth + 1)) return false;
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') return ++pos_, true;
      return fail("expected ',' or '}'");
    }
  }

  bool array(int depth) {
    ++pos_;  // '['
    skipSpace();
    if (peek() == ']') return ++pos_, true;
    while (true) {
      skipSpace();
      if (!value(depth + 1)) return false;
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') return ++pos_, true;
      return fail("expected ',' or ']'");
    }
  }

  bool string() {
    ++pos_;  // opening quote
    while (!atEnd()) {
      const unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') return ++pos_, true;
      if (c < 0x20) return fail("control character in string");
      if (c == '\\') {
        ++pos_;
        if (atEnd()) break;
        const char e = s_[pos_];
        if (e == 'u') {
          for (int i = 0; i < 4; ++i) {
            ++pos_;
            if (!isHex(peek())) return fail("invalid \\u escape");
          }
        } else if (std::strchr("\"\\/bfnrt", e) == nullptr || e == '\0') {
          return fail("invalid escape");
        }
      }
      ++pos_;
    }
    return fail("unterminated string");
  }

  bool number() {
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) ++pos_;
    } else {
      return fail("invalid number");
    }
    if (peek() == '.') {
      ++pos_;
      if (!isDigit(peek())) return fail("invalid number");
      while (isDigit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!isDigit(peek())) return fail("invalid number");
      while (isDigit(peek())) ++pos_;
    }
    return true;
  }

  static bool isDigit(char c) { return c >= '0' && c <= '9'; }
  static bool isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  JsonSyntaxError makeError() const {
    JsonSyntaxError e;
    e.offset = pos_ < s_.size() ? pos_ : s_.size();
    e.atEnd = pos_ >= s_.size();
    e.message = message_;
    for (std::size_t i = 0; i < e.offset; ++i) {
      const unsigned char c = static_cast<unsigned char>(s_[i]);
      if (c == '\n') {
        ++e.line;
        e.column = 1;
      } else if ((c & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
        ++e.column;
      }
    }
    return e;
  }

  const std::string& s_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  std::string message_;
};

}  // namespace

std::optional<JsonSyntaxError> JsonSyntaxLocator::locate(const std::string& text) {
  return Scanner(text).run();
}

}  // namespace sfsync::config
