#include "app/RedactedUrls.h"

#include <deque>
#include <functional>
#include <map>
#include <string>

#include "sfsync/config/SecretRedaction.h"

namespace sfsync::app {

namespace {

bool isUrl(const std::string& s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

// Calls `visit(content)` for every JSON string literal in `text` (lexically, escapes kept as
// written) and returns the text with each literal replaced by what `visit` returns.
std::string mapStrings(const std::string& text,
                       const std::function<std::string(const std::string&)>& visit) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '"') {
      out += text[i++];
      continue;
    }
    std::size_t end = i + 1;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    if (end >= text.size()) {  // unterminated: keep the rest as is
      out.append(text, i, std::string::npos);
      break;
    }
    out += '"';
    out += visit(text.substr(i + 1, end - i - 1));
    out += '"';
    i = end + 1;
  }
  return out;
}

}  // namespace

std::string restoreRedactedUrls(const std::string& original, const std::string& edited) {
  std::map<std::string, std::deque<std::string>> originals;  // redacted form -> URLs in order
  static_cast<void>(mapStrings(original, [&](const std::string& s) {
    if (isUrl(s)) {
      const std::string redacted = config::SecretRedaction::url(s);
      if (redacted != s) originals[redacted].push_back(s);
    }
    return s;
  }));
  if (originals.empty()) return edited;
  return mapStrings(edited, [&](const std::string& s) {
    auto it = originals.find(s);
    if (it == originals.end() || it->second.empty()) return s;
    std::string url = it->second.front();
    it->second.pop_front();
    return url;
  });
}

}  // namespace sfsync::app
