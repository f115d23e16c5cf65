// Schedule: when a job or chain fires - a preset (every N hours, daily, weekdays, weekly, monthly)
// or a cron expression, in an IANA time zone - and the next-fire / misfire arithmetic a scheduler
// needs. Pure logic: no threads, no clock reads; callers pass the times in.
//
// Local times are wall-clock times in the schedule's zone (time zone data from the system tz
// database through CCTZ). DST: a local time that does not exist (spring-forward gap) fires once, at
// the first instant after the gap (02:30 America/New_York on 2026-03-08 fires at 03:00 EDT = 07:00
// UTC); a local time that occurs twice (fall-back) fires once, at its first occurrence. "Every N
// hours" is anchored at local midnight (00:MM, N:MM, 2N:MM ... local) and follows the same rules,
// so around a DST change two of its fires may be N-1 or N+1 hours apart.
//
// Thread-safety: immutable; copies share their state, and every const method may be called from any
// thread concurrently.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/scheduling/ScheduleSpec.h"

namespace sfsync::scheduling {

class Schedule {
 public:
  // A slot older than this when it is noticed counts as missed (see dueRun()).
  static constexpr std::chrono::seconds kDefaultMisfireGrace{60};

  // Parses the compact JSON text of a "schedule" object (see ScheduleSpec.h for the shapes). On
  // error returns kInvalidArgument naming the key path, e.g. "schedule.timeZone: unknown time zone
  // 'Mars/Base'" or "schedule.cron: field 2 (hour): 24 is out of range 0-23".
  static Result<Schedule> parse(const std::string& json);
  // Binds an already parsed spec: checks its time zone and cron fields (messages as for parse()).
  static Result<Schedule> fromSpec(const ScheduleSpec& spec);
  // A cron schedule; on error the message has no "schedule." path, e.g. "unknown time zone 'X'".
  static Result<Schedule> cron(const std::string& expr, const std::string& timeZone = "UTC");

  // The first fire time strictly after `t`; nullopt when there is none within about 9 years (e.g.
  // cron "0 0 30 2 *"). Fire times are whole seconds (whole minutes of local time, or a DST
  // transition).
  std::optional<Clock::TimePoint> nextAfter(Clock::TimePoint t) const;
  // The last fire time at or before `t`; nullopt when there is none within about 9 years.
  std::optional<Clock::TimePoint> lastAtOrBefore(Clock::TimePoint t) const;

  // The one run a scheduler should start at `now`.
  struct DueRun {
    Clock::TimePoint slot;  // the fire time the run stands for: the latest slot at or before now
    bool catchUp = false;   // the slot is older than the grace period (it was missed)
  };
  // Given `lastHandled` (the latest slot already run or deliberately skipped; after acting, the
  // caller stores `now` as the new lastHandled and waits until nextAfter(now)), returns the run due
  // at `now`:
  //   - nullopt when no slot lies in (lastHandled, now];
  //   - the latest such slot with catchUp = false when it is at most `grace` old (an on-time run,
  //   under
  //     either policy; older missed slots are folded into it);
  //   - otherwise (every slot in the window was missed, e.g. a 3-day outage) the latest slot with
  //     catchUp = true under MisfirePolicy::kRunOnce, and nullopt under kSkip.
  // Never more than one run, however many slots were missed.
  std::optional<DueRun> dueRun(Clock::TimePoint lastHandled, Clock::TimePoint now,
                               std::chrono::seconds grace = kDefaultMisfireGrace) const;

  // Human-readable, e.g. "daily at 06:00 Europe/Berlin", "every 4 hours from 00:15 UTC",
  // "cron '0 6 * * 1-5' America/New_York"; ", missed runs skipped" is appended for kSkip.
  std::string describe() const;

  const ScheduleSpec& spec() const;
  const std::string& timeZone() const { return spec().timeZone; }
  MisfirePolicy misfire() const { return spec().misfire; }

 private:
  struct Impl;
  explicit Schedule(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  static Result<Schedule> build(const ScheduleSpec& spec, const std::string& pathPrefix);

  std::shared_ptr<const Impl> impl_;
};

}  // namespace sfsync::scheduling
