// ChainExecutor: runs one ChainPlan - its jobs in dependency order, independent branches in
// parallel on up to `maxParallel` threads - through a ChainJobRunner callback that does the real
// work (the jobs module's runner in production, a fake in tests).
//
// Rules:
//   - A job starts when every predecessor has finished and every edge condition holds for the
//     predecessor's final status. Otherwise the job is Skipped: skipJob() is called with a reason
//     naming the first (plan order) predecessor that blocked it and the condition, e.g.
//     "predecessor 'Accounts' ended Failed; condition 'success-or-partial' not met". A Skipped job
//     counts as "not successful" for its own successors, so skipping propagates unless an edge is
//     "always". A Deferred predecessor (API budget out) blocks "success" and "success-or-partial"
//     edges with the reason "predecessor 'A' was deferred (...)".
//   - Among jobs that are ready at the same time, loads (see below) go first, then plan order.
//   - Retries (Options::retryPolicy): an attempt that ends Failed is tried again after the policy's
//     backoff (Deferred is never retried: the next run resumes from the checkpoint), measured on
//     the injected Clock; a retry re-runs the whole job with runJob(job, attempt) where attempt is
//     2, 3, ... (the runner keeps one execution row). The waiting holds no worker: other ready jobs
//     keep running; a worker with nothing else to do waits through Clock::sleepFor() in steps of at
//     most one second.
//   - Chain status: Failed if any job ended Failed; otherwise Deferred if any job ended Deferred;
//     otherwise Partial Success if any job ended Partial Success or Skipped (a skip always traces
//     back to a Failed, Deferred or Partial job); otherwise Success.
//
// Pipelined extraction (optional, per job): when supportsPhases(job) is true the first attempt
// runs as prepare(job) (extract into a buffer the runner owns) followed later by load(job) (write
// the buffer to the store). For an edge A -> B:
//   - B's prepare may start once A's prepare finished (without Failed), or once A finished.
//   - B's load (or B's whole run) starts only after A finished completely (its load or whole run)
//     and the edge condition holds for A's final status.
// So B may extract while A loads, but loads happen in dependency order and see everything their
// predecessors wrote. If a prepared job turns out to be blocked, skipJob() is called and the
// runner must drop its buffer. A prepare that ends Failed ends the attempt (load is not called).
// A job's final status is the worse of its prepare and load statuses (Success < Partial Success <
// Deferred < Failed). Prepared jobs waiting for
// their load hold no worker (their buffers hold memory: the runner may decline phases for big
// jobs).
//
// Callbacks are called without any lock held, on the caller's thread or on helper threads the
// executor starts for the duration of run(); they must be safe to call concurrently for
// different jobs. A callback that throws std::exception ends that attempt as Failed. The same holds
// for Options::retryPolicy: it is asked (without any lock) after each Failed attempt, so it may
// block or call anything; if it throws, the job is not retried.
//
// Thread-safety: run() may be called concurrently from several threads (each call has its own
// state). The executor itself is immutable.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sfsync/core/Clock.h"
#include "sfsync/scheduling/ChainPlan.h"
#include "sfsync/scheduling/RetryPolicy.h"

namespace sfsync::scheduling {

// What one job run (or phase) ended with.
struct JobOutcome {
  std::string status;  // kRunSuccess, kRunPartial, kRunFailed or kRunDeferred; anything else counts
                       // as Failed
  std::string message;  // error or summary; may be empty
};

// The work behind a chain's jobs. Implementations must be callable from several threads at once
// (for different jobs).
class ChainJobRunner {
 public:
  virtual ~ChainJobRunner() = default;

  // Runs `job` whole (extract and load). `attempt` is 1, then 2, 3, ... for retries of the same
  // job in this chain run: keep one execution row and count the attempts in it.
  virtual JobOutcome runJob(const std::string& job, int attempt) = 0;
  // Records that `job` did not run, with the reason; drops anything prepare() buffered for it.
  virtual void skipJob(const std::string& job, const std::string& reason) = 0;

  // Two-phase support; asked once per job at the start of run(). Default: no phases.
  virtual bool supportsPhases(const std::string& job) {
    (void)job;
    return false;
  }
  // Extracts `job` into a buffer (first attempt only). Called only when supportsPhases(job).
  virtual JobOutcome prepare(const std::string& job);
  // Loads what prepare(job) buffered and finishes the job's first attempt.
  virtual JobOutcome load(const std::string& job);
};

struct ChainJobResult {
  std::string job;
  std::string status;   // Success, Partial Success, Failed, Deferred or Skipped
  std::string message;  // the runner's message, or the skip reason
  int attempts = 0;     // 0 when Skipped before running
};

struct ChainResult {
  std::string status;                // Success, Partial Success, Failed or Deferred
  std::string message;               // e.g. "failed: 'B'; deferred: 'E'; skipped: 'C', 'D'";
                                     // empty on Success
  std::vector<ChainJobResult> jobs;  // one per job, in plan order

  // The result of `job`, or nullptr.
  const ChainJobResult* find(const std::string& job) const;
};

class ChainExecutor {
 public:
  struct Options {
    int maxParallel = 1;  // jobs (or phases) running at once; values below 1 mean 1
    // Retry policy per job; empty means no retries.
    std::function<RetryPolicy(const std::string& job)> retryPolicy;
  };

  // `clock` must outlive the executor; it times retry backoff.
  ChainExecutor(Clock& clock, Options options);

  // Runs the whole plan and returns when every job has finished or been skipped. Blocks the
  // calling thread, which works as one of the maxParallel workers.
  ChainResult run(const ChainPlan& plan, ChainJobRunner& runner) const;

 private:
  Clock& clock_;
  Options options_;
};

}  // namespace sfsync::scheduling
