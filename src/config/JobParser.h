// JobParser: reads one job file (jobs/NAME.json) into a JobConfig, reporting every problem found in
// the file itself: JSON syntax, unknown keys, wrong types, missing keys, invalid names, mapping
// rules (see MappingParser), a job depending on itself. Rules that need other files (unique names,
// known connections and jobs) are checked by ConfigCrossChecker.
//
// Thread-safety: not thread-safe (one parser per file).
#pragma once

#include <optional>
#include <string>

#include "config/ProblemCollector.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class JobParser {
 public:
  explicit JobParser(ProblemCollector& problems);

  // The job as far as it could be read (problems are in the collector), or nullopt when the text is
  // not a JSON object at all. `file` becomes JobConfig::file.
  std::optional<JobConfig> parse(const std::string& file, const std::string& text);

 private:
  ProblemCollector& problems_;
};

}  // namespace sfsync::config
