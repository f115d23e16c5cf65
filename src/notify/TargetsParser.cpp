// parseNotificationTargets / parseNotificationTargetsJson (declared in NotificationConfig.h).
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <set>
#include <string>
#include <vector>

#include "sfsync/core/Names.h"
#include "sfsync/notify/NotificationConfig.h"

namespace sfsync::notify {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string child(const std::string& parent, const std::string& key) {
  return parent.empty() || parent == "$" ? key : parent + "." + key;
}

std::string element(const std::string& parent, std::size_t index) {
  return (parent == "$" ? std::string() : parent) + "[" + std::to_string(index) + "]";
}

bool isObject(const Var& v) { return !v.isEmpty() && v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return !v.isEmpty() && v.type() == typeid(Array::Ptr); }

std::string kindOf(const Var& v) {
  if (v.isEmpty()) return "null";
  if (isObject(v)) return "an object";
  if (isArray(v)) return "an array";
  if (v.type() == typeid(bool)) return "a boolean";
  if (v.isString()) return "a string";
  if (v.isNumeric()) return "a number";
  return "a value of unexpected type";
}

class Reader {
 public:
  explicit Reader(std::vector<NotifyProblem>& problems) : problems_(problems) {}

  void add(const std::string& path, const std::string& message) {
    problems_.push_back({path, message});
  }

  void rejectUnknownKeys(const Object& object, const std::string& path,
                         const std::vector<std::string>& known) {
    for (const auto& key : object.getNames()) {
      bool ok = false;
      for (const auto& k : known) ok = ok || k == key;
      if (ok) continue;
      std::string hint = didYouMean(key, known);
      if (hint.empty()) {
        for (const auto& k : known) hint += (hint.empty() ? " (expected '" : ", '") + k + "'";
        hint += ")";
      }
      add(child(path, key), "unknown key '" + key + "'" + hint);
    }
  }

  // The array's strings, trimmed; other elements and empty strings are problems.
  std::vector<std::pair<std::size_t, std::string>> strings(const Var& value,
                                                           const std::string& path) {
    std::vector<std::pair<std::size_t, std::string>> out;
    if (value.isEmpty()) return out;
    if (!isArray(value)) {
      add(path, "must be an array of strings, not " + kindOf(value));
      return out;
    }
    const Array::Ptr array = value.extract<Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      const Var item = array->get(static_cast<unsigned>(i));
      if (item.isEmpty() || !item.isString()) {
        add(element(path, i), "must be a string, not " + kindOf(item));
        continue;
      }
      const std::string text = Poco::trim(item.toString());
      if (text.empty()) {
        add(element(path, i), "must not be empty");
        continue;
      }
      out.emplace_back(i, text);
    }
    return out;
  }

  void recipients(const Var& value, const std::string& path, Recipients& out) {
    if (value.isEmpty()) return;  // null: nobody
    if (!isObject(value)) {
      add(path, "must be an object with \"emails\" and/or \"webhooks\", not " + kindOf(value));
      return;
    }
    const Object::Ptr object = value.extract<Object::Ptr>();
    rejectUnknownKeys(*object, path, {"emails", "webhooks"});

    std::set<std::string> seenEmails;
    const std::string emailsPath = child(path, "emails");
    for (const auto& [i, address] : strings(object->get("emails"), emailsPath)) {
      if (!isPlausibleEmail(address)) {
        add(element(emailsPath, i), "'" + address + "' is not an email address (local@domain)");
      } else if (seenEmails.insert(Poco::toLower(address)).second) {
        out.emails.push_back(address);
      }
    }

    std::set<std::string> seenUrls;
    const std::string webhooksPath = child(path, "webhooks");
    for (const auto& [i, url] : strings(object->get("webhooks"), webhooksPath)) {
      const std::string problem = urlProblem(url);
      if (!problem.empty()) {
        add(element(webhooksPath, i), problem);
      } else if (seenUrls.insert(url).second) {
        out.webhooks.push_back(url);
      }
    }
  }

  // Why `url` is unusable as a webhook, or "". The URL itself is not echoed: it may hold a token.
  static std::string urlProblem(const std::string& url) {
    if (isHttpUrl(url)) return {};
    try {
      const Poco::URI uri(url);
      const std::string scheme = Poco::toLower(uri.getScheme());
      if (scheme.empty()) return "must be an absolute http:// or https:// URL (no scheme)";
      if (scheme != "http" && scheme != "https") {
        return "must be an http:// or https:// URL, not '" + scheme + ":'";
      }
      if (uri.getHost().empty()) return "must be an http(s) URL with a host";
    } catch (const Poco::Exception&) {
      return "is not a valid URL";
    }
    return "must be an absolute http(s) URL without spaces or control characters";
  }

 private:
  std::vector<NotifyProblem>& problems_;
};

}  // namespace

TargetsParse parseNotificationTargets(const Var& value, const std::string& path) {
  TargetsParse out;
  Reader reader(out.problems);
  if (value.isEmpty()) return out;
  if (!isObject(value)) {
    reader.add(path, "must be an object, not " + kindOf(value));
    return out;
  }
  const Object::Ptr object = value.extract<Object::Ptr>();
  reader.rejectUnknownKeys(*object, path, {"onSuccess", "onFailure", "notifyPartialAs"});
  reader.recipients(object->get("onSuccess"), child(path, "onSuccess"), out.targets.onSuccess);
  reader.recipients(object->get("onFailure"), child(path, "onFailure"), out.targets.onFailure);

  const Var partial = object->get("notifyPartialAs");
  if (object->has("notifyPartialAs")) {
    const std::string partialPath = child(path, "notifyPartialAs");
    const std::string text =
        !partial.isEmpty() && partial.isString() ? Poco::toLower(partial.toString()) : "";
    if (text == "failure") {
      out.targets.partialAs = PartialAs::kFailure;
    } else if (text == "success") {
      out.targets.partialAs = PartialAs::kSuccess;
    } else if (!partial.isEmpty() && partial.isString()) {
      reader.add(partialPath,
                 "must be \"success\" or \"failure\", not \"" + partial.toString() + "\"");
    } else {
      reader.add(partialPath, "must be \"success\" or \"failure\", not " + kindOf(partial));
    }
  }
  return out;
}

TargetsParse parseNotificationTargetsJson(const std::string& jsonText, const std::string& path) {
  Var value;
  try {
    Poco::JSON::Parser parser;
    value = parser.parse(jsonText);
  } catch (const Poco::Exception& e) {
    TargetsParse out;
    out.problems.push_back({path, "invalid JSON: " + e.message()});
    return out;
  }
  return parseNotificationTargets(value, path);
}

}  // namespace sfsync::notify
