// CronExpression: a parsed 5-field cron expression ("minute hour day-of-month month day-of-week")
// that says which local civil minutes match. It knows nothing about time zones or instants;
// Schedule turns matching civil minutes into fire instants in a zone.
//
// Accepted syntax per field: a number, `*`, lists `a,b,c`, ranges `a-b`, steps `*/n` and `a-b/n`.
// Months also accept JAN-DEC and days of week SUN-SAT (case-insensitive); day-of-week 0 and 7 are
// both Sunday. Ranges do not wrap (`FRI-MON` is an error) and a step needs `*` or a range before
// it. Day rule (as in Vixie cron / cronie): a field is "restricted" unless its text begins with
// `*`; when both day-of-month and day-of-week are restricted a day matches if EITHER matches,
// otherwise both must. So "0 0 1,15 * MON" fires on the 1st, the 15th and every Monday, while "0 0
// */2 * MON" fires on Mondays that fall on an odd day of the month.
//
// Thread-safety: an immutable value; const methods may be called from any thread.
#pragma once

#include <bitset>
#include <string>

#include "sfsync/core/Result.h"

namespace sfsync::scheduling {

class CronExpression {
 public:
  // Parses `expr` (fields separated by blanks). On error returns kInvalidArgument whose message
  // names the field, e.g. "field 2 (hour): 24 is out of range 0-23" (no "schedule.cron" prefix;
  // callers add the path they know).
  static Result<CronExpression> parse(const std::string& expr);

  // The expression with its fields joined by single spaces, as written (names not rewritten).
  const std::string& text() const { return text_; }

  // Allowed values; bit i set means value i matches. Days of month and months are 1-based (bit 0 is
  // unused); days of week are 0 = Sunday .. 6 = Saturday (7 was folded into 0).
  const std::bitset<60>& minutes() const { return minutes_; }
  const std::bitset<24>& hours() const { return hours_; }
  const std::bitset<32>& daysOfMonth() const { return daysOfMonth_; }
  const std::bitset<13>& months() const { return months_; }
  const std::bitset<7>& daysOfWeek() const { return daysOfWeek_; }
  bool dayOfMonthRestricted() const { return dayOfMonthRestricted_; }
  bool dayOfWeekRestricted() const { return dayOfWeekRestricted_; }

  // Whether the calendar date matches (month, then day-of-month / day-of-week per the day rule).
  // `year`, `month`, `day` must form a valid date.
  bool matchesDate(int year, int month, int day) const;
  // Whether the civil minute matches every field.
  bool matches(int year, int month, int day, int hour, int minute) const;

 private:
  CronExpression() = default;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> daysOfMonth_;
  std::bitset<13> months_;
  std::bitset<7> daysOfWeek_;
  bool dayOfMonthRestricted_ = false;
  bool dayOfWeekRestricted_ = false;
};

}  // namespace sfsync::scheduling
