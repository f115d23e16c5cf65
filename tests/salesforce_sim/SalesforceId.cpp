#include "salesforce_sim/SalesforceId.h"

#include <stdexcept>

namespace sfsync::sim {
namespace {

constexpr char kChecksumAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool isBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::string SalesforceId::checksumSuffix(std::string_view id15) {
  std::string suffix;
  for (std::size_t chunk = 0; chunk < 3; ++chunk) {
    int bits = 0;
    for (std::size_t i = 0; i < 5; ++i) {
      const char c = id15.size() > chunk * 5 + i ? id15[chunk * 5 + i] : '0';
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix.push_back(kChecksumAlphabet[bits]);
  }
  return suffix;
}

bool SalesforceId::isValid(std::string_view id) {
  if (id.size() != 15 && id.size() != 18) return false;
  for (std::size_t i = 0; i < 15; ++i) {
    if (!isBase62(id[i])) return false;
  }
  if (id.size() == 15) return true;
  const std::string expected = checksumSuffix(id.substr(0, 15));
  for (std::size_t i = 0; i < 3; ++i) {
    if (upper(id[15 + i]) != expected[i]) return false;
  }
  return true;
}

std::string SalesforceId::to18(std::string_view id) {
  if (!isValid(id)) throw std::invalid_argument("invalid Salesforce Id: " + std::string(id));
  std::string out(id.substr(0, 15));
  out += checksumSuffix(out);
  return out;
}

std::string SalesforceId::make(std::string_view keyPrefix, std::string_view pod,
                               std::uint64_t serial) {
  if (keyPrefix.size() != 3 || pod.size() != 2) {
    throw std::invalid_argument("Salesforce Id needs a 3-char key prefix and a 2-char pod");
  }
  std::string digits(10, '0');
  for (std::size_t i = 10; i-- > 0 && serial > 0;) {
    digits[i] = kBase62[serial % 62];
    serial /= 62;
  }
  if (serial > 0) throw std::invalid_argument("Salesforce Id serial out of range");
  std::string out;
  out.reserve(18);
  out.append(keyPrefix).append(pod).append(digits);
  out += checksumSuffix(out);
  return out;
}

}  // namespace sfsync::sim
