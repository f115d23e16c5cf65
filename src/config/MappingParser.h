// MappingParser: reads a job's "mappings" array into MappingConfigs and checks the rules that span
// mappings: exactly one of "source" / "constant", a valid "type", unique targets
// (case-insensitive), no mapping onto the reserved "gsid" column, and at least one non-constant
// upsert key.
//
// Thread-safety: not thread-safe (one parser per file).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>

#include "config/ProblemCollector.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class MappingParser {
 public:
  explicit MappingParser(ProblemCollector& problems);

  // `path` is the array's path ("mappings"). Returns the mappings that parsed without problems.
  std::vector<MappingConfig> parse(const Poco::JSON::Array::Ptr& mappings, const std::string& path);

 private:
  // One mapping; nullopt after reporting its problems. `flagsUpsertKey` tells whether it asked to
  // be an upsert key at all (so a broken key mapping does not also cause "job has no upsert key");
  // `target` receives its target name when that is valid, even if other parts are not.
  std::optional<MappingConfig> parseOne(const Poco::Dynamic::Var& v, const std::string& path,
                                        bool* flagsUpsertKey, std::string* target);
  std::optional<Value> constantValue(const Poco::Dynamic::Var& v, const std::string& path);

  ProblemCollector& problems_;
};

}  // namespace sfsync::config
