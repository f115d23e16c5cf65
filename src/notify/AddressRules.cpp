// Shape checks for email addresses and webhook URLs (declared in NotificationConfig.h).
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <string>

#include "sfsync/notify/NotificationConfig.h"

namespace sfsync::notify {
namespace {

bool isLocalPartChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;  // controls, space, DEL, non-ASCII
  switch (c) {
    case '<':
    case '>':
    case '(':
    case ')':
    case '[':
    case ']':
    case '\\':
    case ',':
    case ';':
    case ':':
    case '"':
    case '@':
      return false;
    default:
      return true;
  }
}

bool isDomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.';
}

}  // namespace

bool isPlausibleEmail(const std::string& address) {
  const auto at = address.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != std::string::npos) return false;
  const std::string local = address.substr(0, at);
  const std::string domain = address.substr(at + 1);
  if (local.size() > 64 || domain.size() > 253) return false;
  for (char c : local) {
    if (!isLocalPartChar(c)) return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
    return false;
  }
  for (char c : domain) {
    if (!isDomainChar(c)) return false;
  }
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string::npos) {
    return false;
  }
  return domain.front() != '-' && domain.back() != '-';
}

bool isHttpUrl(const std::string& url) {
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  try {
    const Poco::URI uri(url);
    const std::string scheme = Poco::toLower(uri.getScheme());
    return (scheme == "http" || scheme == "https") && !uri.getHost().empty();
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace sfsync::notify
