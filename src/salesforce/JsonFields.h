// JsonFields: tolerant accessors for Poco::JSON objects used on small bodies (token responses,
// error bodies, describe results). A missing key, a null or a value of another type gives the
// fallback; no accessor throws.
//
// Thread-safety: pure functions.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sfsync::salesforce::json {

inline std::string getString(const Poco::JSON::Object& obj, const std::string& key,
                             const std::string& fallback = "") {
  try {
    const Poco::Dynamic::Var v = obj.get(key);
    if (v.isEmpty() || !v.isString()) return fallback;
    return v.extract<std::string>();
  } catch (...) {
    return fallback;
  }
}

inline std::int64_t getInt(const Poco::JSON::Object& obj, const std::string& key,
                           std::int64_t fallback = 0) {
  try {
    const Poco::Dynamic::Var v = obj.get(key);
    if (v.isEmpty() || !v.isNumeric()) return fallback;
    return v.convert<std::int64_t>();
  } catch (...) {
    return fallback;
  }
}

inline bool getBool(const Poco::JSON::Object& obj, const std::string& key, bool fallback) {
  try {
    const Poco::Dynamic::Var v = obj.get(key);
    if (v.isEmpty() || !v.isBoolean()) return fallback;
    return v.extract<bool>();
  } catch (...) {
    return fallback;
  }
}

// The strings of an array value (other elements skipped); empty when absent.
inline std::vector<std::string> getStrings(const Poco::JSON::Object& obj, const std::string& key) {
  std::vector<std::string> out;
  try {
    const Poco::JSON::Array::Ptr arr = obj.getArray(key);
    if (!arr) return out;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
      if (v.isString()) out.push_back(v.extract<std::string>());
    }
  } catch (...) {
  }
  return out;
}

}  // namespace sfsync::salesforce::json
