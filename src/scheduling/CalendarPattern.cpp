#include "scheduling/CalendarPattern.h"

namespace sfsync::scheduling {

namespace {

int daysInMonth(const cctz::civil_day& day) {
  const cctz::civil_month month(day);
  return static_cast<int>(cctz::civil_day(month + 1) - cctz::civil_day(month));
}

// cctz::weekday runs monday = 0 .. sunday = 6; patterns use Sunday = 0 .. Saturday = 6.
int sundayBasedWeekday(const cctz::civil_day& day) {
  return (static_cast<int>(cctz::get_weekday(day)) + 1) % 7;
}

}  // namespace

CalendarPattern::CalendarPattern(std::bitset<60> minutes, std::bitset<24> hours)
    : minutes_(minutes), hours_(hours) {
  daysOfMonth_.set();
  daysOfMonth_[0] = false;
  months_.set();
  months_[0] = false;
  daysOfWeek_.set();
  for (int m = 59; m >= 0; --m) {
    if (minutes_[m]) firstMinute_ = m;
  }
  for (int m = 0; m < 60; ++m) {
    if (minutes_[m]) lastMinute_ = m;
  }
}

CalendarPattern CalendarPattern::fromCron(const CronExpression& cron) {
  CalendarPattern p(cron.minutes(), cron.hours());
  p.daysOfMonth_ = cron.daysOfMonth();
  p.months_ = cron.months();
  p.daysOfWeek_ = cron.daysOfWeek();
  p.dayOr_ = cron.dayOfMonthRestricted() && cron.dayOfWeekRestricted();
  return p;
}

CalendarPattern& CalendarPattern::onWeekdays(std::bitset<7> daysOfWeek) {
  daysOfWeek_ = daysOfWeek;
  return *this;
}

CalendarPattern& CalendarPattern::onDayOfMonthClamped(int day) {
  daysOfMonth_.reset();
  daysOfMonth_[day] = true;
  clampToMonthEnd_ = true;
  return *this;
}

bool CalendarPattern::matchesDay(const cctz::civil_day& day) const {
  if (!months_[day.month()]) return false;
  bool dom = daysOfMonth_[day.day()];
  if (!dom && clampToMonthEnd_) {
    const int last = daysInMonth(day);
    if (day.day() == last) {
      for (int d = last + 1; d <= 31 && !dom; ++d) dom = daysOfMonth_[d];
    }
  }
  const bool dow = daysOfWeek_[sundayBasedWeekday(day)];
  return dayOr_ ? (dom || dow) : (dom && dow);
}

CalendarPattern::Instant CalendarPattern::fireInstant(const cctz::time_zone& tz,
                                                      const cctz::civil_second& cs) {
  const cctz::time_zone::civil_lookup cl = tz.lookup(cs);
  switch (cl.kind) {
    case cctz::time_zone::civil_lookup::SKIPPED:
      return cl.trans;  // first instant after the gap
    case cctz::time_zone::civil_lookup::REPEATED:
    case cctz::time_zone::civil_lookup::UNIQUE:
      break;
  }
  return cl.pre;  // unique, or the first of two occurrences
}

std::optional<CalendarPattern::Instant> CalendarPattern::firstAfter(const cctz::time_zone& tz,
                                                                    Instant t) const {
  if (minutes_.none() || hours_.none()) return std::nullopt;
  const cctz::civil_day localDay(tz.lookup(t).cs);
  // Start two days early: an offset change can move instants just after t to an earlier local day.
  cctz::civil_day day = localDay - 2;
  const cctz::civil_day end = localDay + kHorizonDays;
  while (day <= end) {
    if (!months_[day.month()]) {
      day = cctz::civil_day(cctz::civil_month(day) + 1);  // first day of the next month
      continue;
    }
    if (matchesDay(day)) {
      for (int h = 0; h < 24; ++h) {
        if (!hours_[h]) continue;
        const cctz::civil_hour hour(day.year(), day.month(), day.day(), h);
        // Skip the whole hour when even its last slot is not after t.
        if (fireInstant(tz, cctz::civil_second(hour) + lastMinute_ * 60) <= t) continue;
        for (int m = firstMinute_; m <= lastMinute_; ++m) {
          if (!minutes_[m]) continue;
          const Instant at = fireInstant(tz, cctz::civil_second(hour) + m * 60);
          if (at > t) return at;
        }
      }
    }
    ++day;
  }
  return std::nullopt;
}

std::optional<CalendarPattern::Instant> CalendarPattern::lastAtOrBefore(const cctz::time_zone& tz,
                                                                        Instant t) const {
  if (minutes_.none() || hours_.none()) return std::nullopt;
  const cctz::civil_day localDay(tz.lookup(t).cs);
  // Start two days late, mirroring firstAfter().
  cctz::civil_day day = localDay + 2;
  const cctz::civil_day end = localDay - kHorizonDays;
  while (day >= end) {
    if (!months_[day.month()]) {
      day = cctz::civil_day(cctz::civil_month(day)) - 1;  // last day of the previous month
      continue;
    }
    if (matchesDay(day)) {
      for (int h = 23; h >= 0; --h) {
        if (!hours_[h]) continue;
        const cctz::civil_hour hour(day.year(), day.month(), day.day(), h);
        // Skip the whole hour when even its first slot is after t.
        if (fireInstant(tz, cctz::civil_second(hour) + firstMinute_ * 60) > t) continue;
        for (int m = lastMinute_; m >= firstMinute_; --m) {
          if (!minutes_[m]) continue;
          const Instant at = fireInstant(tz, cctz::civil_second(hour) + m * 60);
          if (at <= t) return at;
        }
      }
    }
    --day;
  }
  return std::nullopt;
}

}  // namespace sfsync::scheduling
