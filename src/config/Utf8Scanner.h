// Utf8Scanner: finds the first byte sequence in a text that is not well-formed UTF-8 (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF) and says where it is as a 1-based line
// and column, so config problems can point at it. Line breaks are "\n", "\r\n" or a lone "\r".
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace sfsync::config {

struct TextPosition {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in characters (UTF-8 continuation bytes are not counted)
  std::size_t offset = 0;  // byte offset
};

class Utf8Scanner {
 public:
  // Where `text` first stops being valid UTF-8, or nullopt when all of it is valid.
  static std::optional<TextPosition> firstInvalid(const std::string& text);
};

}  // namespace sfsync::config
