// UTF-8 well-formedness (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), the
// one check used by the JSON reader (Salesforce pages), the JSON writer (admin API) and the config
// readers (properties, job and chain files). Inline: it runs per non-ASCII byte on hot paths.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sfsync {

// Length (1-4) of the well-formed UTF-8 sequence starting at text[i] (1 for ASCII), or 0 when the
// bytes there are not one (including a sequence cut off by the end of `text`). Needs i < size.
inline std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto at = [&text](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = at(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (length > text.size() - i) return 0;
  if (at(i + 1) < low || at(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((at(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// True when every byte of `text` belongs to a well-formed UTF-8 sequence.
inline bool isValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8SequenceLength(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Appends `text` to `out` with every byte that is not part of a well-formed UTF-8 sequence replaced
// by U+FFFD; true when something was replaced. (Salesforce strings: replaced, never rejected.)
inline bool appendUtf8Sanitized(std::string& out, std::string_view text) {
  bool replaced = false;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      replaced = true;
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
  return replaced;
}

}  // namespace sfsync
