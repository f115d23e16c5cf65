#include "sfsync/scheduling/Schedule.h"

#include <bitset>
#include <cstdio>
#include <memory>
#include <string>

#include <cctz/time_zone.h>

#include "scheduling/CalendarPattern.h"
#include "sfsync/scheduling/CronExpression.h"

namespace sfsync::scheduling {

struct Schedule::Impl {
  Impl(ScheduleSpec s, cctz::time_zone z, CalendarPattern p, std::string c)
      : spec(std::move(s)), zone(z), pattern(std::move(p)), cronText(std::move(c)) {}

  ScheduleSpec spec;
  cctz::time_zone zone;
  CalendarPattern pattern;
  std::string cronText;  // kCron: the expression with single spaces
};

namespace {

// IANA names look like "Area/Location" built from letters, digits, '_', '+', '-' and '/'. Anything
// else (absolute or relative paths, "localtime" which is host-dependent) is refused before CCTZ
// would try to open it as a file.
bool plausibleZoneName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  if (name == "localtime" || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '+' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

std::string twoDigits(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

std::string hhmm(int hour, int minute) { return twoDigits(hour) + ":" + twoDigits(minute); }

CalendarPattern::Instant toInstant(Clock::TimePoint t) {
  // Fire times are whole seconds, so "after t" equals "after floor(t)".
  return std::chrono::floor<cctz::seconds>(t);
}

CalendarPattern presetPattern(const ScheduleSpec& spec) {
  std::bitset<60> minutes;
  minutes[spec.minute] = true;
  std::bitset<24> hours;
  if (spec.kind == ScheduleSpec::Kind::kEvery) {
    for (int h = 0; h < 24; h += spec.everyHours) hours[h] = true;
  } else {
    hours[spec.hour] = true;
  }
  CalendarPattern pattern(minutes, hours);
  switch (spec.kind) {
    case ScheduleSpec::Kind::kWeekdays:
      pattern.onWeekdays(std::bitset<7>("0111110"));  // Mon..Fri (bit 0 = Sunday)
      break;
    case ScheduleSpec::Kind::kWeekly:
      pattern.onWeekdays(std::bitset<7>().set(spec.weekday));
      break;
    case ScheduleSpec::Kind::kMonthly:
      pattern.onDayOfMonthClamped(spec.dayOfMonth);
      break;
    case ScheduleSpec::Kind::kEvery:
    case ScheduleSpec::Kind::kDaily:
    case ScheduleSpec::Kind::kCron:
      break;
  }
  return pattern;
}

// Range checks for specs built in code rather than by parseScheduleSpec(): "" or "<key>:
// <problem>".
std::string presetRangeError(const ScheduleSpec& spec) {
  const std::string kind = spec.kind == ScheduleSpec::Kind::kEvery      ? "every"
                           : spec.kind == ScheduleSpec::Kind::kDaily    ? "daily"
                           : spec.kind == ScheduleSpec::Kind::kWeekdays ? "weekdays"
                           : spec.kind == ScheduleSpec::Kind::kWeekly   ? "weekly"
                                                                        : "monthly";
  if (spec.minute < 0 || spec.minute > 59) {
    return kind + ": minute " + std::to_string(spec.minute) + " is out of range 0-59";
  }
  if (spec.hour < 0 || spec.hour > 23) {
    return kind + ": hour " + std::to_string(spec.hour) + " is out of range 0-23";
  }
  const int n = spec.everyHours;
  if (spec.kind == ScheduleSpec::Kind::kEvery &&
      !(n == 1 || n == 2 || n == 3 || n == 4 || n == 8 || n == 12)) {
    return kind + ": " + std::to_string(n) + " hours is not one of 1, 2, 3, 4, 8, 12";
  }
  if (spec.kind == ScheduleSpec::Kind::kWeekly && (spec.weekday < 0 || spec.weekday > 6)) {
    return kind + ".day: weekday " + std::to_string(spec.weekday) + " is out of range 0-6";
  }
  if (spec.kind == ScheduleSpec::Kind::kMonthly && (spec.dayOfMonth < 1 || spec.dayOfMonth > 31)) {
    return kind + ".day: " + std::to_string(spec.dayOfMonth) + " is out of range 1-31";
  }
  return "";
}

}  // namespace

Result<Schedule> Schedule::parse(const std::string& json) {
  Result<ScheduleSpec> spec = parseScheduleSpec(json);
  if (!spec.ok()) return spec.status();
  return build(*spec, "schedule.");
}

Result<Schedule> Schedule::fromSpec(const ScheduleSpec& spec) { return build(spec, "schedule."); }

Result<Schedule> Schedule::cron(const std::string& expr, const std::string& timeZone) {
  ScheduleSpec spec;
  spec.kind = ScheduleSpec::Kind::kCron;
  spec.cron = expr;
  spec.timeZone = timeZone;
  return build(spec, "");
}

Result<Schedule> Schedule::build(const ScheduleSpec& spec, const std::string& pathPrefix) {
  cctz::time_zone zone;
  if (!plausibleZoneName(spec.timeZone) || !cctz::load_time_zone(spec.timeZone, &zone)) {
    return Status::InvalidArgument(pathPrefix + "timeZone: unknown time zone '" + spec.timeZone +
                                   "'");
  }
  if (spec.kind == ScheduleSpec::Kind::kCron) {
    Result<CronExpression> cron = CronExpression::parse(spec.cron);
    if (!cron.ok()) return Status::InvalidArgument(pathPrefix + "cron: " + cron.status().message());
    return Schedule(
        std::make_shared<const Impl>(spec, zone, CalendarPattern::fromCron(*cron), cron->text()));
  }
  const std::string rangeError = presetRangeError(spec);
  if (!rangeError.empty()) return Status::InvalidArgument(pathPrefix + rangeError);
  return Schedule(std::make_shared<const Impl>(spec, zone, presetPattern(spec), ""));
}

std::optional<Clock::TimePoint> Schedule::nextAfter(Clock::TimePoint t) const {
  const auto at = impl_->pattern.firstAfter(impl_->zone, toInstant(t));
  if (!at) return std::nullopt;
  return Clock::TimePoint(*at);
}

std::optional<Clock::TimePoint> Schedule::lastAtOrBefore(Clock::TimePoint t) const {
  const auto at = impl_->pattern.lastAtOrBefore(impl_->zone, toInstant(t));
  if (!at) return std::nullopt;
  return Clock::TimePoint(*at);
}

std::optional<Schedule::DueRun> Schedule::dueRun(Clock::TimePoint lastHandled, Clock::TimePoint now,
                                                 std::chrono::seconds grace) const {
  if (now <= lastHandled) return std::nullopt;
  const std::optional<Clock::TimePoint> latest = lastAtOrBefore(now);
  if (!latest || *latest <= lastHandled) return std::nullopt;
  const bool missed = now - *latest > grace;
  if (missed && impl_->spec.misfire == MisfirePolicy::kSkip) return std::nullopt;
  return DueRun{*latest, missed};
}

std::string Schedule::describe() const {
  static const char* const kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};
  const ScheduleSpec& s = impl_->spec;
  std::string text;
  switch (s.kind) {
    case ScheduleSpec::Kind::kEvery:
      text = s.everyHours == 1
                 ? "every hour at :" + twoDigits(s.minute)
                 : "every " + std::to_string(s.everyHours) + " hours from " + hhmm(0, s.minute);
      break;
    case ScheduleSpec::Kind::kDaily:
      text = "daily at " + hhmm(s.hour, s.minute);
      break;
    case ScheduleSpec::Kind::kWeekdays:
      text = "weekdays (Mon-Fri) at " + hhmm(s.hour, s.minute);
      break;
    case ScheduleSpec::Kind::kWeekly:
      text = std::string("weekly on ") + kDays[s.weekday] + " at " + hhmm(s.hour, s.minute);
      break;
    case ScheduleSpec::Kind::kMonthly:
      text = "monthly on day " + std::to_string(s.dayOfMonth) + " at " + hhmm(s.hour, s.minute);
      break;
    case ScheduleSpec::Kind::kCron:
      text = "cron '" + impl_->cronText + "'";
      break;
  }
  text += " " + s.timeZone;
  if (s.kind == ScheduleSpec::Kind::kMonthly && s.dayOfMonth > 28) {
    text += " (last day of shorter months)";
  }
  if (s.misfire == MisfirePolicy::kSkip) text += ", missed runs skipped";
  return text;
}

const ScheduleSpec& Schedule::spec() const { return impl_->spec; }

}  // namespace sfsync::scheduling
