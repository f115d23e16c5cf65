// RunExecutor: the interface through which the Scheduler starts a job or chain run - the seam
// between "when and whether to run" (scheduling) and "how to run" (the jobs module, wired in
// src/app). Also the value types that describe a run request and a finished run.
//
// Retries keep one execution row: attempt 1 arrives with an empty executionId and the executor
// returns the id of the row it created; later attempts of the same run arrive with that id, the
// run's original trigger and attempt > 1, and the executor updates the same row (counting attempts
// in it, keeping the first attempt's trigger and start time).
//
// Thread-safety: execute() is called on the Scheduler's worker threads, concurrently for different
// entries (never concurrently for the same entry), without any Scheduler lock held. It may call the
// Scheduler's read-only methods (lastRun, nextRun, status) but must not wait for other runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sfsync/core/Clock.h"

namespace sfsync::scheduling {

enum class RunKind { kJob, kChain };

// "job" or "chain" (the words execution rows use).
inline const char* runKindName(RunKind kind) { return kind == RunKind::kJob ? "job" : "chain"; }

struct RunRequest {
  std::string name;  // job or chain name
  RunKind kind = RunKind::kJob;
  std::string trigger;      // "schedule", "catch-up" or "run-now" (also on retries: see attempt)
  int attempt = 1;          // 1, then 2, 3, ... for retries
  std::string executionId;  // empty on attempt 1; on retries the id attempt 1 returned
  std::optional<Clock::TimePoint> slot;  // the schedule slot this run stands for (schedule runs
                                         // and their retries); nullopt for run-now
  bool catchUp = false;    // the slot was missed (e.g. daemon down) and is run late (run-once)
  std::string claimKey;    // the cluster claim this run holds (RunClaims); "" without claims
  std::uint64_t mark = 0;  // what the runNow() caller marked this run with (0: nothing)
};

struct ExecutionOutcome {
  std::string status;       // "Success", "Partial Success" or "Failed"; anything else = Failed
  std::string executionId;  // the execution row written; passed back on retries
  std::string message;      // error or summary; may be empty
};

class RunExecutor {
 public:
  virtual ~RunExecutor() = default;
  // Runs the request to completion and returns its outcome. A thrown std::exception counts as
  // Failed with its what() as the message.
  virtual ExecutionOutcome execute(const RunRequest& request) = 0;
};

// A run after its last attempt: what the finished-run hook (notifications) and lastRun() report.
struct FinishedRun {
  std::string name;
  RunKind kind = RunKind::kJob;
  std::string trigger;  // of the first attempt: "schedule", "catch-up" or "run-now"
  std::string executionId;
  std::string status;  // final: "Success", "Partial Success" or "Failed"
  std::string message;
  int attempts = 0;  // attempts executed (0 when a pending retry was cancelled before attempt 1)
  std::optional<Clock::TimePoint> slot;
  bool catchUp = false;
  Clock::TimePoint startedAt;   // start of attempt 1
  Clock::TimePoint finishedAt;  // end of the last attempt (or of the cancellation)
  std::string claimKey;         // the cluster claim to finish (RunClaims::finish); "" without
};

// An attempt ended Failed and the run will be tried again: what Hooks::onRetryScheduled reports.
struct RetryScheduled {
  std::string name;
  RunKind kind = RunKind::kJob;
  std::string trigger;      // of the first attempt
  std::string executionId;  // the run's execution row
  int failedAttempt = 1;    // the attempt that just failed
  int nextAttempt = 2;
  Clock::TimePoint retryAt;  // earliest start of nextAttempt
  std::string message;       // why failedAttempt failed
};

}  // namespace sfsync::scheduling
