// ScheduleSpec: the plain, validated content of a job's or chain's "schedule" JSON object, before
// it is bound to a time zone (Schedule does that). parseScheduleSpec() checks the shape and ranges;
// the time zone name and the cron fields are checked by Schedule::fromSpec().
//
// Accepted shapes (each may add "timeZone": "<IANA name>" (default "UTC") and
// "misfire": "run-once" (default) | "skip"; any other key is an error):
//   {"every": "1h"|"2h"|"3h"|"4h"|"8h"|"12h", "minute": 0..59}   fires at 00:MM, N:MM, 2N:MM ...
//   local
//   {"daily": "HH:MM"}
//   {"weekdays": "HH:MM"}                                         Monday to Friday
//   {"weekly": {"day": "MON".."SUN" or "Monday".."Sunday", "at": "HH:MM"}}
//   {"monthly": {"day": 1..31, "at": "HH:MM"}}                    past the month's end: its last
//   day
//   {"cron": "m h dom mon dow"}
//
// Thread-safety: a plain value type; no internal synchronisation.
#pragma once

#include <string>

#include "sfsync/core/Result.h"

namespace sfsync::scheduling {

// What a scheduler does about slots that passed while the daemon was down or busy.
enum class MisfirePolicy {
  kRunOnce,  // one catch-up run, however many slots were missed
  kSkip,     // no catch-up; wait for the next regular slot
};

struct ScheduleSpec {
  enum class Kind { kEvery, kDaily, kWeekdays, kWeekly, kMonthly, kCron };

  Kind kind = Kind::kDaily;
  int everyHours = 0;  // kEvery: 1, 2, 3, 4, 8 or 12
  int hour = 0;        // kDaily, kWeekdays, kWeekly, kMonthly: 0..23
  int minute = 0;      // all but kCron: 0..59 (kEvery: minutes past each slot's hour)
  int weekday = 0;     // kWeekly: 0 = Sunday .. 6 = Saturday
  int dayOfMonth = 1;  // kMonthly: 1..31
  std::string cron;    // kCron: the expression as written
  std::string timeZone = "UTC";
  MisfirePolicy misfire = MisfirePolicy::kRunOnce;
};

// Parses the compact JSON text of a "schedule" object. On error returns kInvalidArgument whose
// message starts with the key path, e.g. `schedule.daily: expected HH:MM, got "25:00"`.
Result<ScheduleSpec> parseScheduleSpec(const std::string& json);

}  // namespace sfsync::scheduling
