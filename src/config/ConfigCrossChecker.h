// ConfigCrossChecker: the rules that need more than one file - job and chain names unique
// (case-insensitive), jobs naming configured connections, dependsOn and chain entries naming
// existing jobs, no dependency cycles, and no job in two chains with different schedules. Each
// problem is reported against the file that has to change. It also fills the dependencies of
// chains that have no explicit ones from their jobs' dependsOn.
//
// Thread-safety: not thread-safe (one checker per load).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"

namespace sfsync::config {

// One parsed file: its display name, what could be read from it, and whether it is free of
// problems.
template <class T>
struct ParsedFile {
  std::string displayFile;
  std::optional<T> config;
  bool clean = true;
};

class ConfigCrossChecker {
 public:
  explicit ConfigCrossChecker(std::vector<ConfigProblem>& problems);

  // `connectionNames` is consulted only when `connectionsKnown` (otherwise the connection list
  // itself is broken and every job would be reported).
  void checkJobs(std::vector<ParsedFile<JobConfig>>& jobs,
                 const std::vector<std::string>& connectionNames, bool connectionsKnown);
  // Issue 14: a job's source matches its connection's type (Snowflake: "table"/"query";
  // Salesforce: "object"), and a Snowflake job deletes people (onSourceDelete) only when its
  // connection has allowDeletes = true (hidden by default).
  void checkSources(std::vector<ParsedFile<JobConfig>>& jobs,
                    const std::vector<ConnectionConfig>& connections);
  // `jobsKnown`: the jobs directory could be read, so a name missing from `jobs` is really unknown.
  void checkChains(std::vector<ParsedFile<ChainConfig>>& chains,
                   const std::vector<ParsedFile<JobConfig>>& jobs, bool jobsKnown);

 private:
  template <class T>
  void report(ParsedFile<T>& file, const std::string& path, const std::string& message);
  // At most one real-time job per (connection, source object) (issue 18).
  void checkRealtime(std::vector<ParsedFile<JobConfig>>& jobs);
  void checkWriteBackTables(std::vector<ParsedFile<JobConfig>>& jobs);
  void checkCycles(std::vector<ParsedFile<JobConfig>>& jobs);
  // Fills ChainConfig::dependencies of chains without explicit ones from their jobs' dependsOn.
  void deriveDependencies(std::vector<ParsedFile<ChainConfig>>& chains,
                          const std::vector<ParsedFile<JobConfig>>& jobs);
  // A job in two chains whose schedules differ is reported on the later chain file.
  void checkChainSchedules(std::vector<ParsedFile<ChainConfig>>& chains);

  std::vector<ConfigProblem>& problems_;
};

}  // namespace sfsync::config
