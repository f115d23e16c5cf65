// TargetParser: reads the target objects of a job - the single form ("target": {"object": ...}
// with top-level "mappings" / "derivedMappings") or the list form ("targets": [{"object",
// "mappings", "derivedMappings"}, ...], 1 to 5 targets with unique objects) - and checks the rules
// spanning one target's mappings and derived mappings: at least one of them, unique target columns
// (case-insensitive) and at least one upsert key. Single mappings are read by MappingParser and
// DerivedMappingParser.
//
// Thread-safety: not thread-safe (one parser per file).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>

#include "config/JsonObjectReader.h"
#include "config/MappingParser.h"
#include "config/ProblemCollector.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class TargetParser {
 public:
  static constexpr std::size_t kMaxTargets = 5;

  explicit TargetParser(ProblemCollector& problems);

  // The single form; `root` is the job object. The target as far as it could be read.
  TargetConfig parseSingle(JsonObjectReader& root);
  // The list form; `path` is the array's path ("targets"). The targets as far as they could be
  // read.
  std::vector<TargetConfig> parseList(const Poco::JSON::Array::Ptr& targets,
                                      const std::string& path);

 private:
  // The validated "object" of `in`; "" after reporting a problem.
  std::string readObject(JsonObjectReader& in);
  // "mappings" and "derivedMappings" of `holder` (the job object in the single form, the target
  // object in the list form) into `target`.
  void readMappings(JsonObjectReader& holder, const TargetContext& context, TargetConfig& target);

  ProblemCollector& problems_;
};

}  // namespace sfsync::config
