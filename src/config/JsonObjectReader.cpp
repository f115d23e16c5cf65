#include "config/JsonObjectReader.h"

#include <utility>

#include "config/ConfigText.h"

namespace sfsync::config {

JsonObjectReader::JsonObjectReader(Poco::JSON::Object::Ptr object, std::string path,
                                   ProblemCollector& problems)
    : object_(std::move(object)), path_(std::move(path)), problems_(problems) {}

bool JsonObjectReader::has(const std::string& key) const { return object_->has(key); }

std::string JsonObjectReader::pathOf(const std::string& key) const {
  return ProblemCollector::child(path_, key);
}

bool JsonObjectReader::isObject(const Poco::Dynamic::Var& v) {
  return v.type() == typeid(Poco::JSON::Object::Ptr);
}

bool JsonObjectReader::isArray(const Poco::Dynamic::Var& v) {
  return v.type() == typeid(Poco::JSON::Array::Ptr);
}

std::string JsonObjectReader::kindOf(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "null";
  if (isObject(v)) return "an object";
  if (isArray(v)) return "an array";
  if (v.isBoolean()) return "a boolean";  // before isNumeric: Poco counts bool as numeric
  if (v.isString()) return "a string";
  if (v.isNumeric()) return "a number";
  return "an unsupported value";
}

bool JsonObjectReader::present(const std::string& key, Presence presence) {
  if (object_->has(key)) return true;
  if (presence == Presence::kRequired) problems_.add(pathOf(key), "is required");
  return false;
}

std::optional<Poco::Dynamic::Var> JsonObjectReader::getRaw(const std::string& key) const {
  if (!object_->has(key)) return std::nullopt;
  return object_->get(key);
}

std::optional<std::string> JsonObjectReader::getString(const std::string& key, Presence presence,
                                                       bool allowEmpty) {
  if (!present(key, presence)) return std::nullopt;
  const Poco::Dynamic::Var v = object_->get(key);
  if (!v.isString()) {
    problems_.add(pathOf(key), "expected a string, found " + kindOf(v));
    return std::nullopt;
  }
  std::string s = v.extract<std::string>();
  if (!allowEmpty && text::trim(s).empty()) {
    problems_.add(pathOf(key), "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> JsonObjectReader::getBool(const std::string& key, Presence presence) {
  if (!present(key, presence)) return std::nullopt;
  const Poco::Dynamic::Var v = object_->get(key);
  if (!v.isBoolean()) {
    problems_.add(pathOf(key), "expected a boolean (true or false), found " + kindOf(v));
    return std::nullopt;
  }
  return v.extract<bool>();
}

std::optional<long long> JsonObjectReader::getInteger(const std::string& key, Presence presence,
                                                      long long min, long long max) {
  if (!present(key, presence)) return std::nullopt;
  const Poco::Dynamic::Var v = object_->get(key);
  const std::string expected =
      "expected an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (v.isEmpty() || v.isBoolean() || !v.isInteger()) {
    const bool fraction = !v.isEmpty() && !v.isBoolean() && v.isNumeric();
    problems_.add(pathOf(key), expected + ", found " + (fraction ? "a fraction" : kindOf(v)));
    return std::nullopt;
  }
  const bool tooBig =
      !v.isSigned() && v.convert<Poco::UInt64>() > static_cast<Poco::UInt64>(max < 0 ? 0 : max);
  const long long n = tooBig ? max : static_cast<long long>(v.convert<Poco::Int64>());
  if (tooBig || n < min || n > max) {
    problems_.add(pathOf(key), expected + ", found " + v.convert<std::string>());
    return std::nullopt;
  }
  return n;
}

std::optional<std::size_t> JsonObjectReader::getChoice(const std::string& key, Presence presence,
                                                       const std::string& what,
                                                       const std::vector<std::string>& choices) {
  const auto s = getString(key, presence, /*allowEmpty=*/true);
  if (!s) return std::nullopt;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == *s) return i;
  }
  problems_.add(pathOf(key), "unknown " + what + " '" + *s + "' (expected " +
                                 text::quotedChoices(choices) + ")");
  return std::nullopt;
}

std::optional<std::vector<std::string>> JsonObjectReader::getStringArray(const std::string& key,
                                                                         Presence presence,
                                                                         bool nonEmpty) {
  Poco::JSON::Array::Ptr array = getArray(key, presence);
  if (!array) return std::nullopt;
  const std::string arrayPath = pathOf(key);
  if (nonEmpty && array->size() == 0) {
    problems_.add(arrayPath, "must not be empty");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Poco::Dynamic::Var v = array->get(static_cast<unsigned>(i));
    const std::string elementPath = ProblemCollector::element(arrayPath, i);
    if (!v.isString()) {
      problems_.add(elementPath, "expected a string, found " + kindOf(v));
      ok = false;
    } else if (text::trim(v.extract<std::string>()).empty()) {
      problems_.add(elementPath, "must not be empty");
      ok = false;
    } else {
      out.push_back(v.extract<std::string>());
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

Poco::JSON::Object::Ptr JsonObjectReader::getObject(const std::string& key, Presence presence) {
  if (!present(key, presence)) return nullptr;
  const Poco::Dynamic::Var v = object_->get(key);
  if (!isObject(v)) {
    problems_.add(pathOf(key), "expected an object, found " + kindOf(v));
    return nullptr;
  }
  return v.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr JsonObjectReader::getArray(const std::string& key, Presence presence) {
  if (!present(key, presence)) return nullptr;
  const Poco::Dynamic::Var v = object_->get(key);
  if (!isArray(v)) {
    problems_.add(pathOf(key), "expected an array, found " + kindOf(v));
    return nullptr;
  }
  return v.extract<Poco::JSON::Array::Ptr>();
}

void JsonObjectReader::rejectUnknownKeys(const std::vector<std::string>& known) {
  for (const std::string& key : object_->getNames()) {
    bool isKnown = false;
    for (const auto& k : known) isKnown = isKnown || k == key;
    if (!isKnown) {
      problems_.add(pathOf(key), "unknown key '" + key + "'" + text::didYouMean(key, known));
    }
  }
}

}  // namespace sfsync::config
