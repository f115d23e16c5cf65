// Helpers shared by the scheduling tests: ISO-8601 UTC text <-> Clock::TimePoint, and a checker
// that walks a schedule through a hand-computed sequence of fire times (forward with nextAfter()
// and backward with lastAtOrBefore()).
//
// Thread-safety: test code; no shared state.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include "sfsync/core/Clock.h"
#include "sfsync/scheduling/Schedule.h"

namespace sfsync::scheduling::testing {

// "2026-03-08T07:00:00Z" or "2026-03-08T07:00:00.500Z" (UTC only) -> time point. Throws on bad
// text.
inline Clock::TimePoint iso(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) !=
      6) {
    throw std::invalid_argument("bad ISO time: " + text);
  }
  int millis = 0;
  std::string rest = text.substr(static_cast<std::size_t>(used));
  if (rest.size() == 5 && rest[0] == '.') {
    millis = std::stoi(rest.substr(1, 3));
    rest = rest.substr(4);
  }
  if (rest != "Z") throw std::invalid_argument("bad ISO time (want ...Z): " + text);
  const cctz::civil_second cs(y, mo, d, h, mi, s);
  if (cs.year() != y || cs.month() != mo || cs.day() != d || cs.hour() != h || cs.minute() != mi) {
    throw std::invalid_argument("not a real date/time: " + text);
  }
  return Clock::TimePoint(cctz::convert(cs, cctz::utc_time_zone())) +
         std::chrono::milliseconds(millis);
}

// Time point -> "2026-03-08T07:00:00Z" (whole seconds; fire times never have fractions).
inline std::string isoText(Clock::TimePoint t) {
  return cctz::format("%Y-%m-%dT%H:%M:%SZ", std::chrono::floor<cctz::seconds>(t),
                      cctz::utc_time_zone());
}

inline std::string isoText(const std::optional<Clock::TimePoint>& t) {
  return t ? isoText(*t) : std::string("(none)");
}

inline Schedule mustParse(const std::string& json) {
  Result<Schedule> r = Schedule::parse(json);
  if (!r.ok()) throw std::invalid_argument(json + ": " + r.status().message());
  return r.value();
}

// Checks nextAfter(after) == fires[0], nextAfter(fires[i]) == fires[i + 1], and backwards
// lastAtOrBefore(fires[i]) == fires[i], lastAtOrBefore(fires[i] - 1s) == fires[i - 1].
inline void expectFireSequence(const Schedule& schedule, const std::string& after,
                               const std::vector<std::string>& fires) {
  Clock::TimePoint t = iso(after);
  for (const std::string& expected : fires) {
    const std::optional<Clock::TimePoint> next = schedule.nextAfter(t);
    ASSERT_EQ(isoText(next), isoText(iso(expected))) << "nextAfter(" << isoText(t) << ")";
    t = *next;
  }
  for (std::size_t i = 0; i < fires.size(); ++i) {
    const Clock::TimePoint fire = iso(fires[i]);
    EXPECT_EQ(isoText(schedule.lastAtOrBefore(fire)), fires[i])
        << "lastAtOrBefore(" << fires[i] << ")";
    if (i > 0) {
      EXPECT_EQ(isoText(schedule.lastAtOrBefore(fire - std::chrono::seconds(1))), fires[i - 1])
          << "lastAtOrBefore(" << fires[i] << " - 1s)";
    }
  }
}

// One row of a next-fire table: a schedule, a start instant and the fire times expected after it.
struct Row {
  const char* name;
  const char* json;
  const char* after;
  std::vector<std::string> fires;  // consecutive fire times after `after`, UTC
};

inline void runRows(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(row.name) + ": " + row.json + " after " + row.after);
    expectFireSequence(mustParse(row.json), row.after, row.fires);
  }
}

}  // namespace sfsync::scheduling::testing
