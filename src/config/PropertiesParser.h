// PropertiesParser: parses the text of a Java-style .properties file with the syntax of
// Poco::Util::PropertyFileConfiguration ('#' / '!' comments, "key = value" or "key: value", the
// escapes \t \n \r \f, a trailing backslash continues the value on the next line, keys and values
// trimmed), but into a flat map and strictly: every line it cannot take is a problem naming the
// line, and that line is ignored. Problems: a line without '=' or ':', an empty key, a key that is
// not names of letters, digits, '_' and '-' joined by single dots (".a", "a..b", "a.", "a b"), a
// key set twice, a NUL or other control byte, invalid UTF-8, a line over kMaxLineBytes. Messages
// never quote a value or a malformed line (a credentials file may hold secrets); they quote a key
// only when it is well-formed (duplicates).
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace sfsync::config {

using PropertyMap = std::map<std::string, std::string>;

struct PropertyProblem {
  std::size_t line = 0;  // 1-based physical line
  std::string message;   // e.g. "key starts with '.' (...)"
};

struct ParsedProperties {
  PropertyMap values;  // every well-formed assignment (the last of duplicates)
  std::map<std::string, std::size_t> lines;  // key -> line of the assignment kept in `values`
  std::vector<PropertyProblem> problems;     // in line order
};

class PropertiesParser {
 public:
  static constexpr std::size_t kMaxLineBytes = 64 * 1024;

  static ParsedProperties parse(const std::string& text);

  // Why `key` cannot be a property key ("" when it can); `column` (1-based, in the key) is set to
  // where the defect is.
  static std::string keyProblem(const std::string& key, std::size_t* column);
};

}  // namespace sfsync::config
