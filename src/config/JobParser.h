// JobParser: reads one job file (jobs/NAME.json) into a JobConfig, reporting every problem found in
// the file itself: JSON syntax, unknown keys, wrong types, missing keys, invalid names, target and
// mapping rules (see TargetParser, MappingParser), a job depending on itself, an invalid schedule,
// retries out of range. Rules that need other files (unique names, known connections and jobs) are
// checked by ConfigCrossChecker.
//
// Thread-safety: not thread-safe (one parser per file).
#pragma once

#include <optional>
#include <string>

#include "config/JsonObjectReader.h"
#include "config/ProblemCollector.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class JobParser {
 public:
  explicit JobParser(ProblemCollector& problems);

  // The job as far as it could be read (problems are in the collector), or nullopt when the text is
  // not a JSON object at all. `file` becomes JobConfig::file.
  std::optional<JobConfig> parse(const std::string& file, const std::string& text);

  static constexpr long long kMaxRetries = 10;
  static constexpr long long kMaxBackoffSeconds = 86400;

 private:
  void readTargets(JsonObjectReader& in, JobConfig& job);
  void readRetries(JsonObjectReader& in, RetryConfig& retries);
  // Issue 14: "source.table" / "source.query" (read-only, checked), "incrementalColumn",
  // "identifier" of a job reading from Snowflake.
  void readSnowflakeSource(JsonObjectReader& src, JobConfig& job);

  ProblemCollector& problems_;
};

}  // namespace sfsync::config
