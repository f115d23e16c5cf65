// SchedulerEntry: one thing the Scheduler can run - a standalone job or a chain - with its
// schedule, the connections it uses, its retry and overlap policies. ChainCatalog computes the
// entries of a configuration (jobs that belong to a chain get no entry of their own).
//
// The misfire policy (what happens to slots missed while the daemon was down) is part of the
// Schedule ("misfire": "run-once" | "skip" in the schedule JSON; see Schedule::dueRun()).
//
// Thread-safety: a plain value type.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/scheduling/RetryPolicy.h"
#include "sfsync/scheduling/RunExecutor.h"
#include "sfsync/scheduling/Schedule.h"

namespace sfsync::scheduling {

// What run-now (or a schedule slot) does while the entry is already running or waiting to retry.
enum class OverlapPolicy {
  kRefuse,  // run-now is refused ("'X' is already running"); a slot is skipped
  kQueue,   // one run is queued and starts when the current one has finished (more are coalesced)
};

struct SchedulerEntry {
  std::string name;  // unique among jobs and chains
  RunKind kind = RunKind::kJob;
  std::optional<Schedule> schedule;      // nullopt: runs only on run-now
  std::vector<std::string> connections;  // a job: its connection; a chain: its jobs' connections
  // Further names locked while this entry runs, so no job runs twice at the same time: a chain
  // lists its jobs (a job in two chains keeps the chains apart, and a job entry with the same
  // name cannot start while a chain runs it).
  std::vector<std::string> members;
  RetryPolicy retry;
  OverlapPolicy overlap = OverlapPolicy::kRefuse;
};

}  // namespace sfsync::scheduling
