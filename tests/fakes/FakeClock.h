// FakeClock: a Clock for tests. now() returns a settable time; sleepFor() advances it instantly and
// records the requested sleeps so tests can assert on backoff without waiting.
//
// Thread-safety: safe from any thread (internal mutex).
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "sfsync/core/Clock.h"

namespace sfsync::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1795000000))) : now_(start) {}

  TimePoint now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void sleepFor(std::chrono::milliseconds d) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(d);
    now_ += d;
  }
  void advance(std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace sfsync::testing
