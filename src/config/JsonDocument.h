// JsonDocument: parses the text of one config file into a Poco JSON object, reporting syntax errors
// (with line and column), invalid UTF-8 (line and column), duplicate keys and a non-object root as
// problems instead of throwing.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "config/ProblemCollector.h"

namespace sfsync::config {

class JsonDocument {
 public:
  // The root object, or null after reporting why there is none (path "$"). Duplicate keys are
  // reported at their own path; the object is still returned (the last duplicate wins).
  static Poco::JSON::Object::Ptr parseObject(const std::string& text, ProblemCollector& problems);

  // Compact JSON text of `object`, keys in file order.
  static std::string compact(const Poco::JSON::Object::Ptr& object);
};

}  // namespace sfsync::config
