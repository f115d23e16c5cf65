// JsonObjectReader: typed, problem-reporting access to the keys of one JSON object in a config
// file. Every getter reports what is wrong (missing required key, wrong type, empty string) at the
// key's JSON path and returns an empty result, so parsers keep going and collect every problem.
//
// Thread-safety: not thread-safe; used on one thread while one file is parsed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "config/ProblemCollector.h"

namespace sfsync::config {

enum class Presence { kRequired, kOptional };

class JsonObjectReader {
 public:
  // `object` must not be null; `path` is the object's own path ("" for the root).
  JsonObjectReader(Poco::JSON::Object::Ptr object, std::string path, ProblemCollector& problems);

  bool has(const std::string& key) const;
  std::string pathOf(const std::string& key) const;
  const std::string& path() const { return path_; }
  ProblemCollector& problems() { return problems_; }

  // A string; empty strings are a problem ("must not be empty") unless allowEmpty.
  std::optional<std::string> getString(const std::string& key, Presence presence,
                                       bool allowEmpty = false);
  std::optional<bool> getBool(const std::string& key, Presence presence);
  // A whole number from `min` to `max` ("expected an integer from 1 to 16, found 20").
  std::optional<long long> getInteger(const std::string& key, Presence presence, long long min,
                                      long long max);
  // A string that must be one of `choices` (exact case); returns its index. `what` names the
  // value in the problem: "unknown <what> 'x' (expected \"a\" or \"b\")".
  std::optional<std::size_t> getChoice(const std::string& key, Presence presence,
                                       const std::string& what,
                                       const std::vector<std::string>& choices);
  // An array whose elements are non-empty strings; `nonEmpty` requires at least one element.
  std::optional<std::vector<std::string>> getStringArray(const std::string& key, Presence presence,
                                                         bool nonEmpty);
  Poco::JSON::Object::Ptr getObject(const std::string& key, Presence presence);
  Poco::JSON::Array::Ptr getArray(const std::string& key, Presence presence);
  // The raw value (null JSON is an empty Var); nullopt if the key is absent.
  std::optional<Poco::Dynamic::Var> getRaw(const std::string& key) const;

  // Reports every key not in `known` as "unknown key 'x'", with a suggestion when one is close.
  void rejectUnknownKeys(const std::vector<std::string>& known);

  // "a string", "a number", "a boolean", "null", "an object", "an array".
  static std::string kindOf(const Poco::Dynamic::Var& v);
  static bool isObject(const Poco::Dynamic::Var& v);
  static bool isArray(const Poco::Dynamic::Var& v);

 private:
  bool present(const std::string& key, Presence presence);  // reports a missing required key

  Poco::JSON::Object::Ptr object_;
  std::string path_;
  ProblemCollector& problems_;
};

}  // namespace sfsync::config
