// ChainParser: reads one chain file (chains/NAME.json) into a ChainConfig, reporting every problem
// in the file itself: the jobs (each once), explicit "dependencies" (both ends in the chain, a
// known condition, no duplicate edge, no cycle), the schedule (checked with scheduling::Schedule),
// maxParallel, pipelined, overlap, notifications and enabled. Whether the named jobs exist, unique
// chain names, dependencies derived from the jobs' dependsOn and schedule conflicts between chains
// are handled by ConfigCrossChecker.
//
// Thread-safety: not thread-safe (one parser per file).
#pragma once

#include <optional>
#include <string>

#include <Poco/JSON/Array.h>

#include "config/ProblemCollector.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class ChainParser {
 public:
  static constexpr long long kMaxParallel = 16;

  explicit ChainParser(ProblemCollector& problems);

  // The chain as far as it could be read, or nullopt when the text is not a JSON object at all.
  std::optional<ChainConfig> parse(const std::string& file, const std::string& text);

 private:
  // `jobsKnown`: chain.jobs was read, so a dependency naming another job is wrong.
  void readDependencies(const Poco::JSON::Array::Ptr& dependencies, bool jobsKnown,
                        ChainConfig& chain);
  void checkCycles(const ChainConfig& chain);

  ProblemCollector& problems_;
};

}  // namespace sfsync::config
