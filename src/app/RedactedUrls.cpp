#include "app/RedactedUrls.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <string>
#include <vector>

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

bool isJson(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    static_cast<void>(parser.parse(text));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  } catch (const std::exception&) {
    return false;
  }
}

// The decoded value of the JSON string literal `literal` (quotes included); "" when invalid.
std::string decodeLiteral(const std::string& literal) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse("[" + literal + "]")
        .extract<Poco::JSON::Array::Ptr>()
        ->getElement<std::string>(0);
  } catch (const Poco::Exception&) {
    return "";
  } catch (const std::exception&) {
    return "";
  }
}

// One open object or array while walking a JSON text.
struct Frame {
  bool object = false;
  bool expectKey = false;
  std::string key;
  std::size_t index = 0;
};

std::string pathOf(const std::vector<Frame>& frames) {
  std::string path;
  for (const Frame& f : frames) {
    if (f.object) {
      path += (path.empty() ? "" : ".") + f.key;
    } else {
      path += "[" + std::to_string(f.index) + "]";
    }
  }
  return path.empty() ? "$" : path;
}

using ValueVisitor = std::function<std::string(const std::string& path, const std::string& value,
                                               const std::string& literal)>;

// Calls `visit(path, value, literal)` for every string VALUE (not key) of the valid JSON `text`
// (path like "notifications.onFailure.webhooks[0]") and returns the text with each literal
// replaced by what `visit` returns; everything else is kept byte for byte.
std::string mapValues(const std::string& text, const ValueVisitor& visit) {
  std::string out;
  out.reserve(text.size());
  std::vector<Frame> frames;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      const std::string literal = text.substr(i, end + 1 - i);
      if (!frames.empty() && frames.back().object && frames.back().expectKey) {
        frames.back().key = decodeLiteral(literal);
        out += literal;
      } else {
        out += visit(pathOf(frames), decodeLiteral(literal), literal);
      }
      i = end + 1;
      continue;
    }
    if (c == '{' || c == '[') frames.push_back({c == '{', c == '{', "", 0});
    if ((c == '}' || c == ']') && !frames.empty()) frames.pop_back();
    if (c == ':' && !frames.empty()) frames.back().expectKey = false;
    if (c == ',' && !frames.empty()) {
      frames.back().expectKey = frames.back().object;
      ++frames.back().index;
    }
    out += c;
    ++i;
  }
  return out;
}

// The http(s) URLs among the JSON string values of `text`, decoded (lexically: works on any text).
std::vector<std::string> urlsIn(const std::string& text) {
  std::vector<std::string> out;
  static_cast<void>(mapStrings(text, [&](const std::string& raw) {
    const std::string value = decodeLiteral("\"" + raw + "\"");
    if (isUrl(value)) out.push_back(value);
    return raw;
  }));
  return out;
}

bool endsUrl(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '\'' || c == '"';
}

}  // namespace

std::string redactMessage(const std::string& message, const std::string& original) {
  std::string out = message;
  for (const std::string& url : urlsIn(original)) {
    const std::string redacted = config::SecretRedaction::url(url);
    for (std::size_t at = out.find(url); at != std::string::npos;
         at = out.find(url, at + redacted.size())) {
      out.replace(at, url.size(), redacted);
    }
  }
  std::string scrubbed;  // any other URL: scheme and host only
  std::size_t i = 0;
  while (i < out.size()) {
    std::size_t at = std::min(out.find("http://", i), out.find("https://", i));
    if (at == std::string::npos) break;
    std::size_t end = at;
    while (end < out.size() && !endsUrl(out[end])) ++end;
    scrubbed.append(out, i, at - i);
    scrubbed += config::SecretRedaction::url(out.substr(at, end - at));
    i = end;
  }
  scrubbed.append(out, i, std::string::npos);
  return scrubbed;
}

bool isRedactedPlaceholder(const std::string& value) {
  if (value == "<redacted URL>") return true;
  const std::string tail = "/<redacted>";
  return isUrl(value) && value.size() > tail.size() &&
         value.compare(value.size() - tail.size(), tail.size(), tail) == 0;
}

RestoredText restoreRedactedUrls(const std::string& original, const std::string& edited) {
  RestoredText out{edited, {}};
  if (!isJson(edited)) return out;
  std::map<std::string, std::pair<std::string, std::string>> originals;  // path -> value, literal
  if (isJson(original)) {
    static_cast<void>(mapValues(original, [&](const std::string& path, const std::string& value,
                                              const std::string& literal) {
      if (isUrl(value)) originals[path] = {value, literal};
      return literal;
    }));
  }
  // A form whose number of URLs changed (one of two Slack hooks deleted) is ambiguous: the path
  // would hand the remaining placeholder the deleted hook's URL.
  std::map<std::string, int> count;  // redacted form -> originals minus placeholders
  for (const auto& entry : originals) ++count[config::SecretRedaction::url(entry.second.first)];
  static_cast<void>(mapValues(
      edited, [&](const std::string&, const std::string& value, const std::string& literal) {
        if (isRedactedPlaceholder(value)) --count[value];
        return literal;
      }));
  out.text = mapValues(
      edited, [&](const std::string& path, const std::string& value, const std::string& literal) {
        if (!isRedactedPlaceholder(value)) return literal;
        auto it = originals.find(path);
        if (it != originals.end() && count[value] == 0 &&
            config::SecretRedaction::url(it->second.first) == value) {
          return it->second.second;
        }
        out.unmatched.push_back(path);
        return literal;
      });
  return out;
}

}  // namespace sfsync::app
