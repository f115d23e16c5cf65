#include "admin/PageCursor.h"

#include <cstddef>
#include <cstdint>

#include "admin/IsoTime.h"

namespace sfsync::admin {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr const char* kVersion = "1";

std::string base64UrlEncode(const std::string& bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return out;
}

std::optional<std::string> base64UrlDecode(const std::string& text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = -1;
    for (int i = 0; i < 64; ++i) {
      if (kAlphabet[i] == c) value = i;
    }
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Leftover bits must be the zero padding encode() writes (and fewer than a byte).
  if (bits >= 6 || (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string PageCursor::encode(const PageKey& key) {
  return base64UrlEncode(std::string(kVersion) + "\n" + key.time + "\n" + key.id);
}

std::optional<PageKey> PageCursor::decode(const std::string& cursor) {
  if (cursor.empty() || cursor.size() > 512) return std::nullopt;
  std::optional<std::string> plain = base64UrlDecode(cursor);
  if (!plain) return std::nullopt;
  const std::size_t first = plain->find('\n');
  if (first == std::string::npos || plain->substr(0, first) != kVersion) return std::nullopt;
  const std::size_t second = plain->find('\n', first + 1);
  if (second == std::string::npos) return std::nullopt;
  PageKey key{plain->substr(first + 1, second - first - 1), plain->substr(second + 1)};
  if (!parseIsoTime(key.time) || key.id.empty()) return std::nullopt;
  for (char c : key.id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::nullopt;
  }
  return key;
}

}  // namespace sfsync::admin
