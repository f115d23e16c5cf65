// CalendarPattern: the set of local civil minutes a schedule fires at (minutes, hours, days,
// months) and the search that turns them into instants in a time zone. Private to the scheduling
// module; Schedule builds one from a preset or a CronExpression.
//
// Civil minute -> instant (DST rules):
//   - a unique local time maps to its instant;
//   - a local time inside a spring-forward gap maps to the first instant after the gap (the
//     transition), so every skipped slot fires once, right after the gap;
//   - a repeated local time (fall-back) maps to its first occurrence only.
// This mapping never decreases as civil time increases, so "the first matching civil minute whose
// instant is after t" is the next fire time. The search steps by day in local civil time (jumping
// over months that cannot match) and only then looks at hours and minutes within a matching day.
//
// Thread-safety: an immutable value after construction; const methods may be called from any thread
// (cctz::time_zone lookups are thread-safe).
#pragma once

#include <bitset>
#include <optional>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include "sfsync/scheduling/CronExpression.h"

namespace sfsync::scheduling {

class CalendarPattern {
 public:
  using Instant = cctz::time_point<cctz::seconds>;

  // How far the searches look (in local days) before giving up. The longest gap between two
  // matching days of any pattern that matches at all is 8 years (Feb 29 across a skipped leap year,
  // 2096 -> 2104), so 9 years is enough for every satisfiable pattern.
  static constexpr int kHorizonDays = 9 * 366;

  // Fires at every listed minute of every listed hour on every day (all months, all weekdays).
  CalendarPattern(std::bitset<60> minutes, std::bitset<24> hours);
  // The exact calendar of a cron expression.
  static CalendarPattern fromCron(const CronExpression& cron);

  // Restricts days to these weekdays (bit 0 = Sunday).
  CalendarPattern& onWeekdays(std::bitset<7> daysOfWeek);
  // Restricts days to this day of month; in months that are too short, the month's last day fires.
  CalendarPattern& onDayOfMonthClamped(int day);

  bool matchesDay(const cctz::civil_day& day) const;

  // The first fire instant strictly after `t`, or nullopt if none within kHorizonDays.
  std::optional<Instant> firstAfter(const cctz::time_zone& tz, Instant t) const;
  // The last fire instant at or before `t`, or nullopt if none within kHorizonDays.
  std::optional<Instant> lastAtOrBefore(const cctz::time_zone& tz, Instant t) const;

 private:
  // The instant a local civil time fires at (see the DST rules above).
  static Instant fireInstant(const cctz::time_zone& tz, const cctz::civil_second& cs);

  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> daysOfMonth_;   // 1-based
  std::bitset<13> months_;        // 1-based
  std::bitset<7> daysOfWeek_;     // 0 = Sunday
  bool dayOr_ = false;            // cron rule: both day fields restricted -> either may match
  bool clampToMonthEnd_ = false;  // a day of month past the month's end means its last day
  int firstMinute_ = 0;
  int lastMinute_ = 0;
};

}  // namespace sfsync::scheduling
