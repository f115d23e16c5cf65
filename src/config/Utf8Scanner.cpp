#include "config/Utf8Scanner.h"

namespace sfsync::config {

namespace {

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::size_t Utf8Scanner::sequenceLength(const std::string& text, std::size_t i) {
  const auto at = [&text](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = at(i);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;   // overlong
    if (c == 0xED) high = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;   // overlong
    if (c == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (at(i + 1) < low || at(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (!isContinuation(at(i + k))) return 0;
  }
  return length;
}

std::optional<TextPosition> Utf8Scanner::firstInvalid(const std::string& text) {
  TextPosition pos;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = sequenceLength(text, i);
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
