#include "config/Utf8Scanner.h"

#include "sfsync/core/Utf8.h"

namespace sfsync::config {

std::optional<TextPosition> Utf8Scanner::firstInvalid(const std::string& text) {
  TextPosition pos;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = utf8SequenceLength(text, i);
    if (length == 0) {
      pos.offset = i;
      return pos;
    }
    const char c = text[i];
    const bool lineBreak =
        c == '\n' || (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
    if (lineBreak) {
      ++pos.line;
      pos.column = 1;
    } else if (c != '\r') {
      ++pos.column;
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace sfsync::config
