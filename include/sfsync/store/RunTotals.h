// RunTotals: monotonic totals of the finished executions of one job or chain (runs by status,
// records by outcome, API calls, run-duration histogram, last Success / Partial Success times),
// and of one connection (API calls, remaining daily API requests). They live in the store's
// key/value state (keys kRunTotalsPrefix + "job/NAME", "chain/NAME", "connection/NAME"), are
// added to by the store in the same transaction that saves an execution as finished (once per
// execution: a finished row saved again is not counted twice; failInterruptedExecutions counts
// the rows it marks Failed), and are never pruned, so /metrics can expose them as Prometheus
// counters that survive activity-log retention.
//
// Thread-safety: plain value types and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "sfsync/core/Result.h"
#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::store {

inline constexpr const char* kRunTotalsPrefix = "metrics.totals/";

// Upper bounds (seconds) of the run-duration histogram buckets; +Inf is implicit.
inline constexpr std::array<double, 10> kDurationBuckets = {1,   5,    15,   60,   300,
                                                            900, 1800, 3600, 7200, 21600};

// Order of RunTotals::records.
inline constexpr std::array<const char*, 6> kRecordOutcomes = {"read",    "created", "updated",
                                                               "skipped", "failed",  "deleted"};

struct RunTotals {
  std::map<std::string, std::int64_t> runs;  // final status -> executions that ended so
  std::array<std::int64_t, kRecordOutcomes.size()> records{};
  std::int64_t apiCalls = 0;
  // Non-cumulative per-bucket counts (index kDurationBuckets.size() = above the last bound).
  std::array<std::int64_t, kDurationBuckets.size() + 1> durationBuckets{};
  std::int64_t durationMillis = 0;  // sum of the durations counted in durationBuckets
  std::string lastSuccess;          // endTime of the newest Success (ISO-8601) or ""
  std::string lastPartialSuccess;   // endTime of the newest Partial Success or ""
  std::int64_t apiRemaining = -1;   // connections: the newest known remaining requests, -1 unknown

  // Adds one finished execution (job or chain totals).
  void addExecution(const ExecutionRecord& record);
  // Adds one finished job execution to its connection's totals (API calls, remaining).
  void addConnectionUse(const ExecutionRecord& record);

  std::string toJson() const;
  static Result<RunTotals> fromJson(const std::string& text);
};

// The state key of a job's / chain's ("job", "chain") or connection's ("connection") totals.
std::string runTotalsKey(const std::string& kind, const std::string& name);

// Milliseconds between two store times (formatIso8601 form), or nullopt when either does not parse
// or end < start.
std::optional<std::int64_t> isoDurationMillis(const std::string& start, const std::string& end);

}  // namespace sfsync::store
