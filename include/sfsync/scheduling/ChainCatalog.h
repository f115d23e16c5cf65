// ChainCatalog: the scheduling view of a whole configuration - every chain's validated ChainPlan,
// the Scheduler entries that result (standalone jobs and chains; a job that belongs to a chain is
// run by its chain and gets no entry, its own schedule is ignored), every validation problem and
// every warning. The config loader fills the definitions (parsing schedules with Schedule::parse);
// the app fails startup when problems() is not empty and logs the warnings.
//
// Problems (one message each):
//   - every ChainPlan::validate() problem (unknown jobs, cycles, self-dependencies, ...);
//   - "job 'A' is defined twice", "chain 'C' is defined twice",
//     "'X' is both a job and a chain" (names must be unique across both);
//   - "job 'A' depends on unknown job 'B'";
//   - "job 'Company Sync' is in chains 'A' and 'B' which have different schedules (daily at 06:00
//     UTC vs daily at 07:00 UTC)" - both chains scheduled with different fire times (zone
//     included; the misfire policy does not count). A chain without a schedule conflicts with
//     nothing.
// Warnings:
//   - "job 'A' is in chain 'C'; its own schedule (daily at 06:00 UTC) is ignored";
//   - "job 'A' depends on 'B', which is not in chain 'C'; that dependency is ignored there";
//   - "job 'A' depends on 'B' but is not in a chain; the dependency is ignored".
//
// Thread-safety: an immutable value once built.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/scheduling/ChainPlan.h"
#include "sfsync/scheduling/RetryPolicy.h"
#include "sfsync/scheduling/Schedule.h"
#include "sfsync/scheduling/SchedulerEntry.h"

namespace sfsync::scheduling {

struct JobDefinition {
  std::string name;
  std::string connection;
  std::vector<std::string> dependsOn;
  std::optional<Schedule> schedule;  // ignored when the job is in a chain
  RetryPolicy retry;                 // for its entry, or for its runs inside chains
  OverlapPolicy overlap = OverlapPolicy::kRefuse;
};

struct ChainDefinition {
  std::string name;
  std::vector<std::string> jobs;                // plan order
  std::optional<std::vector<ChainEdge>> edges;  // given: replaces the jobs' dependsOn
  std::optional<Schedule> schedule;             // nullopt: runs only on run-now
  RetryPolicy retry;                            // retries of the whole chain (usually none)
  OverlapPolicy overlap = OverlapPolicy::kRefuse;
};

class ChainCatalog {
 public:
  // Validates everything and computes plans and entries. Never fails: check problems().
  static ChainCatalog build(const std::vector<JobDefinition>& jobs,
                            const std::vector<ChainDefinition>& chains);

  // Valid chains' plans, in definition order (a chain with problems has none).
  const std::vector<ChainPlan>& plans() const { return plans_; }
  const ChainPlan* findPlan(const std::string& chain) const;
  // Standalone jobs (definition order), then chains with a plan (definition order). Entries for
  // unscheduled jobs and chains are included (run-now only).
  const std::vector<SchedulerEntry>& entries() const { return entries_; }
  const std::vector<std::string>& problems() const { return problems_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  bool ok() const { return problems_.empty(); }
  // The chains `job` belongs to, in definition order (empty for a standalone job).
  std::vector<std::string> chainsOf(const std::string& job) const;
  // The retry policy of `job` (JobDefinition::retry), for ChainExecutor::Options::retryPolicy;
  // a default (no retries) policy for unknown names.
  RetryPolicy retryPolicyOf(const std::string& job) const;

  // Whether two schedules fire at the same instants: same kind, the fields that kind uses and the
  // same time zone (cron text compared with blanks collapsed). The misfire policy is ignored.
  static bool sameFireTimes(const Schedule& a, const Schedule& b);

 private:
  ChainCatalog() = default;

  std::vector<ChainPlan> plans_;
  std::vector<SchedulerEntry> entries_;
  std::vector<std::string> problems_;
  std::vector<std::string> warnings_;
  std::vector<std::pair<std::string, std::vector<std::string>>> membership_;  // job -> chains
  std::map<std::string, RetryPolicy> jobRetries_;
};

}  // namespace sfsync::scheduling
