// RunProgress: publishes a running job's progress as "run.progress" events on the daemon's
// EventBus (issue 16): records so far against the expected total (the first page's totalSize,
// which is the COUNT() of the query; capped so the percentage never passes 100), the phase
// ("extract" while pages are fetched into a pipelined chain's spill, "load" while pages are
// mapped and written, "writeback" while the outbox is sent to Salesforce - its counts are outbox
// entries, i.e. captured field changes), the rate (since the run, or a later phase, began) and
// the ETA. At most one event per kMinInterval, except that a phase change and the last page always
// publish.
//
// Thread-safety: not thread-safe; used by one JobExecution on the thread running its phase.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sfsync/core/EventBus.h"
#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::jobs {

class RunProgress {
 public:
  static constexpr std::chrono::milliseconds kMinInterval{250};
  using SteadyClock = std::chrono::steady_clock;

  // `events` is borrowed; nullptr: nothing is published. The first phase's rate counts from here
  // (the run's start), later phases' from their first update.
  explicit RunProgress(EventBus* events) : events_(events), phaseStart_(SteadyClock::now()) {}

  // A page was handled in `phase`; `done` records so far of `total` expected (0: unknown).
  void update(const store::ExecutionRecord& record, const std::string& phase, std::int64_t done,
              std::int64_t total);

  // The payload (also for tests): kind "job", name, executionId, parentId, chain, phase, records,
  // total, percent (-1: unknown), ratePerSecond and etaSeconds (-1: unknown).
  static std::string json(const store::ExecutionRecord& record, const std::string& phase,
                          std::int64_t done, std::int64_t total, double elapsedSeconds);

 private:
  EventBus* events_;
  std::string phase_;
  SteadyClock::time_point phaseStart_;
  SteadyClock::time_point lastPublished_{};
};

}  // namespace sfsync::jobs
