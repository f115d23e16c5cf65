#include "sfsync/config/SecretRedaction.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "config/ConfigText.h"

namespace sfsync::config {

namespace {

// The value of the JSON string token text[begin..end) (quotes excluded), escapes resolved; \u
// escapes outside ASCII become '?' (only the scheme prefix matters here).
std::string decode(const std::string& text, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (text[i] != '\\' || i + 1 >= end) {
      out += text[i];
      continue;
    }
    const char e = text[++i];
    if (e == 'u' && i + 4 < end) {
      const unsigned long code = std::stoul(text.substr(i + 1, 4), nullptr, 16);
      out += code < 0x80 ? static_cast<char>(code) : '?';
      i += 4;
    } else {
      out += e == 'n'   ? '\n'
             : e == 't' ? '\t'
             : e == 'r' ? '\r'
             : e == 'b' ? '\b'
             : e == 'f' ? '\f'
                        : e;
    }
  }
  return out;
}

bool isHex4(const std::string& text, std::size_t at, std::size_t end) {
  if (at + 4 > end) return false;
  for (std::size_t i = at; i < at + 4; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// The end (index of the closing quote) of the string token opened at `open`, or npos.
std::size_t stringEnd(const std::string& text, std::size_t open) {
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      if (i + 1 < text.size() && text[i + 1] == 'u' && !isHex4(text, i + 2, text.size())) {
        return std::string::npos;  // not JSON: leave the rest alone
      }
      ++i;
    } else if (text[i] == '"') {
      return i;
    } else if (text[i] == '\n') {
      return std::string::npos;
    }
  }
  return std::string::npos;
}

bool isHttpUrl(const std::string& value) {
  const std::string head = text::toLower(value.substr(0, 8));
  return head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0;
}

}  // namespace

std::string SecretRedaction::url(const std::string& url) {
  try {
    const Poco::URI uri(url);
    std::string host = uri.getHost();
    for (char& c : host) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    std::string out = text::toLower(uri.getScheme()) + "://" +
                      (host.find(':') != std::string::npos ? "[" + host + "]" : host);
    if (uri.getSpecifiedPort() != 0) out += ":" + std::to_string(uri.getSpecifiedPort());
    const bool more = !uri.getUserInfo().empty() ||
                      (!uri.getPath().empty() && uri.getPath() != "/") ||
                      !uri.getRawQuery().empty() || !uri.getFragment().empty();
    return more ? out + "/<redacted>" : out;
  } catch (const Poco::Exception&) {
    return "<redacted URL>";
  }
}

std::string SecretRedaction::jsonText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('"', i);
    if (open == std::string::npos) break;
    const std::size_t close = stringEnd(text, open);
    if (close == std::string::npos) break;
    out.append(text, i, open - i);
    const std::string value = decode(text, open + 1, close);
    if (isHttpUrl(value)) {
      out += "\"" + url(value) + "\"";
    } else {
      out.append(text, open, close + 1 - open);
    }
    i = close + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

}  // namespace sfsync::config
