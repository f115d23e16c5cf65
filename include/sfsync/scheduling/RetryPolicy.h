// RetryPolicy: how often a failed job (or chain) is tried again and how long to wait before each
// retry - exponential backoff: initialBackoff, then x multiplier per further retry, capped at
// maxBackoff. A run is retried only when an attempt ends Failed (never after Partial Success).
// The policy is pure arithmetic; the Scheduler and the ChainExecutor do the waiting on the injected
// Clock.
//
// Thread-safety: a plain value type.
#pragma once

#include <chrono>

namespace sfsync::scheduling {

struct RetryPolicy {
  int maxRetries = 0;  // retries after the first attempt; 0 = never retry (attempts = 1 + this)
  std::chrono::milliseconds initialBackoff{std::chrono::seconds(60)};
  double multiplier = 2.0;  // values below 1 are treated as 1
  std::chrono::milliseconds maxBackoff{std::chrono::minutes(15)};

  // Whether a run whose attempt number `attempt` (1-based) just failed gets another attempt.
  bool retriesAfter(int attempt) const { return attempt >= 1 && attempt <= maxRetries; }

  // The wait before the attempt that follows failed attempt `attempt` (1-based):
  // min(initialBackoff * multiplier^(attempt - 1), maxBackoff), never negative.
  std::chrono::milliseconds backoffAfter(int attempt) const;
};

}  // namespace sfsync::scheduling
