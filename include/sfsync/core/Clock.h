// Clock: the only source of time for sfsync code, injected so tests control it (FakeClock in
// tests/fakes). sleepFor() is how retry backoff waits; a fake clock advances instead of sleeping.
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace sfsync {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  virtual void sleepFor(std::chrono::milliseconds d) = 0;
};

// The real wall clock.
std::shared_ptr<Clock> systemClock();

// "2026-11-23T10:30:00.123Z" (UTC, millisecond precision).
std::string formatIso8601(Clock::TimePoint t);

}  // namespace sfsync
