// Next-fire times for every preset and for cron, away from DST changes (see ScheduleDstTest.cpp):
// anchoring, strictness, month ends, leap days, the DOM/DOW rule, steps and Sunday as 0 and 7.
// Expected instants were computed by hand (weekdays: 2026-01-01 is a Thursday, 2026-02-01 and
// 2026-03-01 Sundays, 2027-02-28 a Sunday, 2028-02-29 a Tuesday; Berlin is UTC+1 in winter and
// UTC+2 in summer, New York UTC-5 in winter).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scheduling/ScheduleTestSupport.h"
#include "sfsync/scheduling/Schedule.h"

namespace sfsync::scheduling {
namespace {

using testing::expectFireSequence;
using testing::iso;
using testing::isoText;
using testing::mustParse;
using testing::runRows;

TEST(ScheduleNextFireTest, Presets) {
  runRows({
      {"every hour",
       R"({"every":"1h"})",
       "2026-01-01T10:30:00Z",
       {"2026-01-01T11:00:00Z", "2026-01-01T12:00:00Z"}},
      {"every 4h from 00:15",
       R"({"every":"4h","minute":15})",
       "2026-01-01T22:00:00Z",
       {"2026-01-02T00:15:00Z", "2026-01-02T04:15:00Z", "2026-01-02T08:15:00Z"}},
      {"every 12h, strictly after a fire time",
       R"({"every":"12h"})",
       "2026-01-01T12:00:00Z",
       {"2026-01-02T00:00:00Z", "2026-01-02T12:00:00Z"}},
      {"every 8h, after a fraction of a second past a fire",
       R"({"every":"8h"})",
       "2026-01-01T08:00:00.500Z",
       {"2026-01-01T16:00:00Z", "2026-01-02T00:00:00Z"}},
      // Anchored at local midnight: 21:00 CET, 00:00 CET, 03:00 CET.
      {"every 3h in Berlin",
       R"({"every":"3h","timeZone":"Europe/Berlin"})",
       "2026-01-01T19:30:00Z",
       {"2026-01-01T20:00:00Z", "2026-01-01T23:00:00Z", "2026-01-02T02:00:00Z"}},
      // 06:00 CET = 05:00Z; the row starts exactly on a fire time.
      {"daily in Berlin (winter)",
       R"({"daily":"06:00","timeZone":"Europe/Berlin"})",
       "2026-01-01T05:00:00Z",
       {"2026-01-02T05:00:00Z", "2026-01-03T05:00:00Z"}},
      {"daily in Berlin (summer)",
       R"({"daily":"06:00","timeZone":"Europe/Berlin"})",
       "2026-07-01T00:00:00Z",
       {"2026-07-01T04:00:00Z", "2026-07-02T04:00:00Z"}},
      {"daily at 23:59 across the year end",
       R"({"daily":"23:59"})",
       "2026-12-31T23:59:00Z",
       {"2027-01-01T23:59:00Z"}},
      // Friday 2026-01-02 -> Monday 01-05, Tuesday 01-06.
      {"weekdays skip the weekend",
       R"({"weekdays":"09:30"})",
       "2026-01-02T09:30:00Z",
       {"2026-01-05T09:30:00Z", "2026-01-06T09:30:00Z", "2026-01-07T09:30:00Z",
        "2026-01-08T09:30:00Z", "2026-01-09T09:30:00Z", "2026-01-12T09:30:00Z"}},
      // Sunday 2026-01-04 23:00 EST = Monday 04:00Z.
      {"weekly Sunday in New York",
       R"({"weekly":{"day":"SUN","at":"23:00"},"timeZone":"America/New_York"})",
       "2026-01-01T00:00:00Z",
       {"2026-01-05T04:00:00Z", "2026-01-12T04:00:00Z"}},
      {"weekly Thursday, starting on a Thursday before the time",
       R"({"weekly":{"day":"Thursday","at":"12:00"}})",
       "2026-01-01T11:59:59Z",
       {"2026-01-01T12:00:00Z", "2026-01-08T12:00:00Z"}},
      {"monthly day 31: Feb 28, Apr 30",
       R"({"monthly":{"day":31,"at":"12:00"}})",
       "2026-01-31T12:00:00Z",
       {"2026-02-28T12:00:00Z", "2026-03-31T12:00:00Z", "2026-04-30T12:00:00Z",
        "2026-05-31T12:00:00Z", "2026-06-30T12:00:00Z"}},
      {"monthly day 31 in a leap year: Feb 29",
       R"({"monthly":{"day":31,"at":"00:00"}})",
       "2028-01-31T00:00:00Z",
       {"2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z"}},
      {"monthly day 31 in 2027: Feb 28",
       R"({"monthly":{"day":31,"at":"00:00"}})",
       "2027-01-31T00:00:00Z",
       {"2027-02-28T00:00:00Z", "2027-03-31T00:00:00Z"}},
      {"monthly day 29 in 2027: Feb 28",
       R"({"monthly":{"day":29,"at":"08:00"}})",
       "2027-01-29T08:00:00Z",
       {"2027-02-28T08:00:00Z", "2027-03-29T08:00:00Z"}},
      {"monthly day 29 in 2028: Feb 29",
       R"({"monthly":{"day":29,"at":"08:00"}})",
       "2028-01-29T08:00:00Z",
       {"2028-02-29T08:00:00Z", "2028-03-29T08:00:00Z"}},
      {"monthly day 30 in Feb and Apr",
       R"({"monthly":{"day":30,"at":"00:00"}})",
       "2026-01-30T00:00:00Z",
       {"2026-02-28T00:00:00Z", "2026-03-30T00:00:00Z", "2026-04-30T00:00:00Z"}},
      // 10:00 CET = 09:00Z in March, 10:00 CEST = 08:00Z in April.
      {"monthly in Berlin across the DST change",
       R"({"monthly":{"day":15,"at":"10:00"},"timeZone":"Europe/Berlin"})",
       "2026-03-15T09:00:00Z",
       {"2026-04-15T08:00:00Z", "2026-05-15T08:00:00Z"}},
  });
}

TEST(ScheduleNextFireTest, Cron) {
  runRows({
      {"every minute",
       R"({"cron":"* * * * *"})",
       "2026-01-01T00:00:30Z",
       {"2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z"}},
      {"leap day",
       R"({"cron":"0 0 29 2 *"})",
       "2026-01-01T00:00:00Z",
       {"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}},
      {"leap day across 2100 (not a leap year)",
       R"({"cron":"0 0 29 2 *"})",
       "2096-03-01T00:00:00Z",
       {"2104-02-29T00:00:00Z"}},
      {"day 31 skips short months (no clamping in cron)",
       R"({"cron":"0 0 31 * *"})",
       "2026-01-31T00:00:00Z",
       {"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"}},
      {"last minute of the year",
       R"({"cron":"59 23 31 12 *"})",
       "2026-06-01T00:00:00Z",
       {"2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"}},
      // DOM and DOW both restricted: the 1st (Sunday 2026-03-01) OR any Monday.
      {"DOM/DOW OR-rule",
       R"({"cron":"0 12 1 * MON"})",
       "2026-02-23T12:00:00Z",
       {"2026-03-01T12:00:00Z", "2026-03-02T12:00:00Z", "2026-03-09T12:00:00Z"}},
      // Friday the 13th written as "13 * FRI" fires on every Friday and every 13th.
      {"Friday OR 13th",
       R"({"cron":"0 12 13 * FRI"})",
       "2026-02-01T00:00:00Z",
       {"2026-02-06T12:00:00Z", "2026-02-13T12:00:00Z", "2026-02-20T12:00:00Z",
        "2026-02-27T12:00:00Z", "2026-03-06T12:00:00Z", "2026-03-13T12:00:00Z"}},
      // DOM starting with '*' is unrestricted: odd days AND Mondays (Feb 9, 23; Mar 9, 23).
      {"star-step DOM with DOW is AND",
       R"({"cron":"0 12 */2 * MON"})",
       "2026-02-01T00:00:00Z",
       {"2026-02-09T12:00:00Z", "2026-02-23T12:00:00Z", "2026-03-09T12:00:00Z",
        "2026-03-23T12:00:00Z"}},
      {"Sunday as 0",
       R"({"cron":"0 0 * * 0"})",
       "2026-01-01T00:00:00Z",
       {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"}},
      {"Sunday as 7",
       R"({"cron":"0 0 * * 7"})",
       "2026-01-01T00:00:00Z",
       {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"}},
      {"Sunday as SUN",
       R"({"cron":"0 0 * * sun"})",
       "2026-01-01T00:00:00Z",
       {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"}},
      {"Friday to Sunday as 5-7",
       R"({"cron":"0 0 * * 5-7"})",
       "2026-01-01T00:00:00Z",
       {"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
        "2026-01-09T00:00:00Z"}},
      {"step ranges in minutes and hours",
       R"({"cron":"*/15 9-17/4 * * *"})",
       "2026-01-01T09:50:00Z",
       {"2026-01-01T13:00:00Z", "2026-01-01T13:15:00Z", "2026-01-01T13:30:00Z",
        "2026-01-01T13:45:00Z", "2026-01-01T17:00:00Z", "2026-01-01T17:15:00Z",
        "2026-01-01T17:30:00Z", "2026-01-01T17:45:00Z", "2026-01-02T09:00:00Z"}},
      {"bounded minute step",
       R"({"cron":"5-20/5 * * * *"})",
       "2026-01-01T10:20:00Z",
       {"2026-01-01T11:05:00Z", "2026-01-01T11:10:00Z", "2026-01-01T11:15:00Z",
        "2026-01-01T11:20:00Z", "2026-01-01T12:05:00Z"}},
      {"month names",
       R"({"cron":"0 6 1 JAN,jul *"})",
       "2026-01-01T06:00:00Z",
       {"2026-07-01T06:00:00Z", "2027-01-01T06:00:00Z"}},
      {"month step",
       R"({"cron":"0 0 1 */3 *"})",
       "2026-01-01T00:00:00Z",
       {"2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z",
        "2027-01-01T00:00:00Z"}},
      // 09:00 EST = 14:00Z; Friday 2026-01-02 -> Monday 01-05.
      {"cron in New York",
       R"({"cron":"0 9 * * MON-FRI","timeZone":"America/New_York"})",
       "2026-01-02T14:00:00Z",
       {"2026-01-05T14:00:00Z", "2026-01-06T14:00:00Z"}},
      // Asia/Kolkata is UTC+5:30 all year.
      {"half-hour zone",
       R"({"cron":"0 0 * * *","timeZone":"Asia/Kolkata"})",
       "2026-01-01T00:00:00Z",
       {"2026-01-01T18:30:00Z", "2026-01-02T18:30:00Z"}},
  });
}

TEST(ScheduleNextFireTest, NoFireTimeGivesNullopt) {
  for (const char* expr : {"0 0 30 2 *", "0 0 31 4 *", "0 0 31 2,4,6,9,11 *"}) {
    SCOPED_TRACE(expr);
    Result<Schedule> s = Schedule::cron(expr);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_FALSE(s->nextAfter(iso("2026-01-01T00:00:00Z")).has_value());
    EXPECT_FALSE(s->lastAtOrBefore(iso("2026-01-01T00:00:00Z")).has_value());
  }
}

TEST(ScheduleNextFireTest, LastAtOrBeforeLooksBackAcrossYears) {
  const Schedule leap = Schedule::cron("0 0 29 2 *").value();
  EXPECT_EQ(isoText(leap.lastAtOrBefore(iso("2027-06-01T00:00:00Z"))), "2024-02-29T00:00:00Z");
  EXPECT_EQ(isoText(leap.lastAtOrBefore(iso("2028-02-29T00:00:00Z"))), "2028-02-29T00:00:00Z");
  EXPECT_EQ(isoText(leap.lastAtOrBefore(iso("2028-02-28T23:59:59Z"))), "2024-02-29T00:00:00Z");
  // Within the same minute: a fire time is "at or before" itself plus fractions of a second.
  const Schedule hourly = mustParse(R"({"every":"1h"})");
  EXPECT_EQ(isoText(hourly.lastAtOrBefore(iso("2026-01-01T10:00:00.999Z"))),
            "2026-01-01T10:00:00Z");
  EXPECT_EQ(isoText(hourly.nextAfter(iso("2026-01-01T09:59:59.999Z"))), "2026-01-01T10:00:00Z");
}

TEST(ScheduleNextFireTest, CopiesShareTheSameCalendar) {
  const Schedule a = mustParse(R"({"daily":"06:00","timeZone":"Europe/Berlin"})");
  const Schedule b = a;  // NOLINT: copy on purpose
  EXPECT_EQ(isoText(a.nextAfter(iso("2026-01-01T00:00:00Z"))),
            isoText(b.nextAfter(iso("2026-01-01T00:00:00Z"))));
  EXPECT_EQ(b.describe(), "daily at 06:00 Europe/Berlin");
}

}  // namespace
}  // namespace sfsync::scheduling
