// Backoff: the retry budget and delays of one logical call. Delays start at `initial` and double up
// to `max`; at most `maxRetries` retries are granted. Waiting goes through the injected Clock, so
// tests (FakeClock) observe the delays without sleeping.
//
// Thread-safety: one instance per call on one thread.
#pragma once

#include <chrono>

#include "sfsync/core/Clock.h"

namespace sfsync::salesforce {

class Backoff {
 public:
  Backoff(int maxRetries, std::chrono::milliseconds initial, std::chrono::milliseconds max,
          Clock& clock)
      : maxRetries_(maxRetries), initial_(initial), max_(max), clock_(clock) {}

  // If a retry remains, sleeps the next delay on the clock, counts the retry and returns true;
  // returns false (without sleeping) when the budget is spent.
  bool sleepBeforeRetry();

  // The delay before retry number `retry` (0-based): min(initial * 2^retry, max).
  std::chrono::milliseconds delayFor(int retry) const;

  int retriesUsed() const { return used_; }

 private:
  int maxRetries_;
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  Clock& clock_;
  int used_ = 0;
};

}  // namespace sfsync::salesforce
