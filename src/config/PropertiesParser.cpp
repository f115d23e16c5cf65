#include "config/PropertiesParser.h"

#include <cstdio>

#include "config/Utf8Scanner.h"
#include "sfsync/core/Utf8.h"

namespace sfsync::config {

namespace {

constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";
constexpr const char* kBlanks = " \t\v\f\r\n";  // Poco::Ascii::isSpace
constexpr const char* kKeyRule =
    " (keys are names of letters, digits, '_' and '-' joined by single dots)";

std::string trimBlanks(const std::string& s) {
  const auto first = s.find_first_not_of(kBlanks);
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(kBlanks) - first + 1);
}

// Physical lines without their terminators ("\n", "\r\n" or "\r").
std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// Why a physical line cannot be used at all (bytes no text file should hold), or "".
std::string byteProblem(const std::string& line) {
  if (line.size() > PropertiesParser::kMaxLineBytes) {
    return "line is longer than " + std::to_string(PropertiesParser::kMaxLineBytes) + " bytes";
  }
  std::size_t column = 1;
  for (std::size_t i = 0; i < line.size(); ++column) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c == 0) return "NUL byte at column " + std::to_string(column);
    if ((c < 0x20 && c != '\t' && c != '\f') || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return std::string("control character ") + hex + " at column " + std::to_string(column);
    }
    const std::size_t length = utf8SequenceLength(line, i);
    if (length == 0) return "invalid UTF-8 at column " + std::to_string(column);
    i += length;
  }
  return "";
}

bool endsWithContinuation(const std::string& line) {
  std::size_t backslashes = 0;
  for (auto it = line.rbegin(); it != line.rend() && *it == '\\'; ++it) ++backslashes;
  return backslashes % 2 == 1;
}

// The value's escapes resolved as Poco's readChar does: \t \n \r \f, any other "\x" is "x".
std::string unescape(const std::string& raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    if (++i == raw.size()) break;
    switch (raw[i]) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      default:
        out += raw[i];
    }
  }
  return out;
}

bool isKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Characters (not bytes) of valid UTF-8 `s` before byte `end`.
std::size_t charsBefore(const std::string& s, std::size_t end) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < end; ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

class Parser {
 public:
  explicit Parser(const std::string& text) : lines_(splitLines(text)) {}

  ParsedProperties run() {
    for (std::size_t i = 0; i < lines_.size();) i = statement(i);
    return std::move(out_);
  }

 private:
  void problem(std::size_t index, const std::string& message) {
    out_.problems.push_back({index + 1, message});
  }

  // Parses the statement starting at line `first`; returns the index of the next one.
  std::size_t statement(std::size_t first) {
    const std::string& line = lines_[first];
    if (const std::string bad = byteProblem(line); !bad.empty()) {
      problem(first, bad);
      return first + 1;
    }
    const auto start = line.find_first_not_of(kBlanks);
    if (start == std::string::npos || line[start] == '#' || line[start] == '!') return first + 1;
    const auto sep = line.find_first_of("=:", start);
    if (sep == std::string::npos) {
      problem(first, "expected 'key = value' (no '=' or ':' on this line)");
      return first + 1;
    }
    // The value, joined with its continuation lines.
    std::string raw = line.substr(sep + 1);
    std::size_t next = first + 1;
    bool usable = true;
    while (endsWithContinuation(raw) && next < lines_.size()) {
      raw.pop_back();
      if (const std::string bad = byteProblem(lines_[next]); !bad.empty()) {
        problem(next, bad);
        usable = false;
      }
      raw += lines_[next++];
    }
    if (usable) assign(first, line, start, sep, raw);
    return next;
  }

  void assign(std::size_t index, const std::string& line, std::size_t start, std::size_t sep,
              const std::string& rawValue) {
    const std::string key = trimBlanks(line.substr(start, sep - start));
    if (key.empty()) {
      problem(index, std::string("missing key before '") + line[sep] + "'");
      return;
    }
    std::size_t column = 0;
    if (const std::string bad = PropertiesParser::keyProblem(key, &column); !bad.empty()) {
      column = charsBefore(line, start) + charsBefore(key, column - 1) + 1;
      problem(index, bad + " at column " + std::to_string(column) + kKeyRule);
      return;
    }
    if (const auto it = out_.lines.find(key); it != out_.lines.end()) {
      problem(index, "duplicate key '" + key + "' (first set on line " +
                         std::to_string(it->second) + "; the last one would silently win)");
    }
    out_.values[key] = trimBlanks(unescape(rawValue));
    out_.lines[key] = index + 1;
  }

  std::vector<std::string> lines_;
  ParsedProperties out_;
};

}  // namespace

std::string PropertiesParser::keyProblem(const std::string& key, std::size_t* column) {
  *column = 1;
  if (key.empty()) return "empty key";
  if (key.front() == '.') return "key starts with '.'";
  for (std::size_t i = 0; i < key.size(); ++i) {
    *column = i + 1;
    if (key[i] == '.') {
      if (i + 1 == key.size()) return "key ends with '.'";
      if (key[i + 1] == '.') return "key contains '..'";
    } else if (!isKeyChar(key[i])) {
      return "key contains a character that is not allowed";
    }
  }
  return "";
}

ParsedProperties PropertiesParser::parse(const std::string& text) {
  const bool bom = text.rfind(kUtf8Bom, 0) == 0;
  return Parser(bom ? text.substr(3) : text).run();
}

}  // namespace sfsync::config
