// MappingParser: reads one element of a target's "mappings" array into a MappingConfig: exactly
// one of "source" / "constant" / "fromTarget", a valid "type", a valid target column that is not
// the reserved "gsid", no constant upsert key, and a fromTarget naming an EARLIER target of the
// job. The rules spanning all mappings of a target (unique columns, an upsert key) are checked by
// TargetParser.
//
// Thread-safety: not thread-safe (one parser per file).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>

#include "config/ProblemCollector.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

// The targets of the job being parsed, as far as fromTarget needs them.
struct TargetContext {
  std::vector<std::string> objects;  // every target's object in file order; "" where invalid
  std::size_t index = 0;             // the target being parsed
  bool listed = false;               // the job uses the "targets" list form
};

// What the target-level rules need to know about one mapping or derived mapping, even a broken
// one: whether it asked to be (part of) the upsert key at all (so a broken key mapping does not
// also cause "job has no upsert key"), and its target column when that name is valid.
struct MappingSummary {
  bool flagsUpsertKey = false;
  std::string target;
};

class MappingParser {
 public:
  MappingParser(ProblemCollector& problems, const TargetContext& context);

  // `path` is the element's path ("targets[1].mappings[2]"). nullopt after reporting problems.
  std::optional<MappingConfig> parse(const Poco::Dynamic::Var& v, const std::string& path,
                                     MappingSummary* summary);

 private:
  std::optional<Value> constantValue(const Poco::Dynamic::Var& v, const std::string& path);
  // The earlier target named by `name`, in that target's spelling; "" after reporting why not.
  std::string earlierTarget(const std::string& name, const std::string& path);

  ProblemCollector& problems_;
  const TargetContext& context_;
};

// Reads one element of a target's "derivedMappings" array: target column, lookup object, 1 to 6
// match pairs, the two policies (a self-lookup cannot reject), and "default" exactly when
// onNoMatch is "default".
class DerivedMappingParser {
 public:
  // `ownObject` is the object of the target the mapping belongs to ("" when that is invalid).
  DerivedMappingParser(ProblemCollector& problems, std::string ownObject);

  std::optional<DerivedMappingConfig> parse(const Poco::Dynamic::Var& v, const std::string& path,
                                            MappingSummary* summary);

  static constexpr std::size_t kMaxMatchPairs = 6;

 private:
  void parseMatch(const Poco::JSON::Array::Ptr& pairs, const std::string& path,
                  DerivedMappingConfig& d);

  ProblemCollector& problems_;
  std::string ownObject_;
};

}  // namespace sfsync::config
