// DST behaviour: a local time in a spring-forward gap fires once, at the first instant after the
// gap; a local time repeated at fall-back fires once, at its first occurrence. Hand-computed UTC
// instants:
//   America/New_York 2026-03-08: 02:00 EST (07:00Z) jumps to 03:00 EDT; before UTC-5, after UTC-4.
//   America/New_York 2026-11-01: 02:00 EDT (06:00Z) falls back to 01:00 EST; 01:xx happens at
//   05:xxZ
//     (EDT) and again at 06:xxZ (EST).
//   Europe/Berlin 2026-03-29: 02:00 CET (01:00Z) jumps to 03:00 CEST; before UTC+1, after UTC+2.
//   Europe/Berlin 2026-10-25: 03:00 CEST (01:00Z) falls back to 02:00 CET; 02:xx happens at 00:xxZ
//     (CEST) and again at 01:xxZ (CET).
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

TEST(ScheduleDstTest, NewYorkSpringForward) {
  runRows({
      {"02:30 does not exist: fires at 03:00 EDT",
       R"({"daily":"02:30","timeZone":"America/New_York"})",
       "2026-03-07T07:30:00Z",
       {"2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"}},
      {"02:00 (start of the gap)",
       R"({"daily":"02:00","timeZone":"America/New_York"})",
       "2026-03-07T07:00:00Z",
       {"2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"}},
      {"03:00 (end of the gap) is unaffected",
       R"({"daily":"03:00","timeZone":"America/New_York"})",
       "2026-03-07T08:00:00Z",
       {"2026-03-08T07:00:00Z", "2026-03-09T07:00:00Z"}},
      {"01:59 (last minute before the gap)",
       R"({"daily":"01:59","timeZone":"America/New_York"})",
       "2026-03-07T06:59:00Z",
       {"2026-03-08T06:59:00Z", "2026-03-09T05:59:00Z"}},
      // 02:00 and 02:30 both fall in the gap; they fire once together right after it.
      {"two slots inside the gap fire once",
       R"({"cron":"*/30 2 * * *","timeZone":"America/New_York"})",
       "2026-03-07T07:30:00Z",
       {"2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z", "2026-03-09T06:30:00Z"}},
      // 00:00 EST, 01:00 EST, 02:00 (gap) = 03:00 EDT fire once, 04:00 EDT.
      {"every hour",
       R"({"every":"1h","timeZone":"America/New_York"})",
       "2026-03-08T05:00:00Z",
       {"2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z",
        "2026-03-08T09:00:00Z"}},
      // 00:00 EST, 04:00 EDT, 08:00 EDT: the first interval is 3 real hours.
      {"every 4 hours",
       R"({"every":"4h","timeZone":"America/New_York"})",
       "2026-03-08T04:00:00Z",
       {"2026-03-08T05:00:00Z", "2026-03-08T08:00:00Z", "2026-03-08T12:00:00Z"}},
      {"every 2 hours at :30",
       R"({"every":"2h","minute":30,"timeZone":"America/New_York"})",
       "2026-03-08T05:00:00Z",
       {"2026-03-08T05:30:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:30:00Z"}},
  });
}

TEST(ScheduleDstTest, NewYorkFallBack) {
  runRows({
      {"01:30 repeats: first occurrence only",
       R"({"daily":"01:30","timeZone":"America/New_York"})",
       "2026-10-31T05:30:00Z",
       {"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"}},
      {"both slots of the repeated hour, once each",
       R"({"cron":"0,30 1 * * *","timeZone":"America/New_York"})",
       "2026-11-01T04:59:00Z",
       {"2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:00:00Z"}},
      // 00:00 EDT, 01:00 EDT, (01:00 EST skipped), 02:00 EST.
      {"every hour",
       R"({"every":"1h","timeZone":"America/New_York"})",
       "2026-11-01T04:00:00Z",
       {"2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"}},
      // 00:00 EDT, 04:00 EST, 08:00 EST: the first interval is 5 real hours.
      {"every 4 hours",
       R"({"every":"4h","timeZone":"America/New_York"})",
       "2026-11-01T03:00:00Z",
       {"2026-11-01T04:00:00Z", "2026-11-01T09:00:00Z", "2026-11-01T13:00:00Z"}},
      {"02:00 after the repeat is unique",
       R"({"daily":"02:00","timeZone":"America/New_York"})",
       "2026-10-31T06:00:00Z",
       {"2026-11-01T07:00:00Z", "2026-11-02T07:00:00Z"}},
  });
}

TEST(ScheduleDstTest, NewYorkFallBackQueriedDuringTheRepeatedHour) {
  const Schedule s = mustParse(R"({"daily":"01:30","timeZone":"America/New_York"})");
  // 06:10Z is 01:10 EST, the second pass: 01:30 already fired at 05:30Z and must not fire at
  // 06:30Z.
  EXPECT_EQ(isoText(s.nextAfter(iso("2026-11-01T06:10:00Z"))), "2026-11-02T06:30:00Z");
  // 05:50Z is 01:50 EDT, the first pass, after 01:30 EDT.
  EXPECT_EQ(isoText(s.nextAfter(iso("2026-11-01T05:50:00Z"))), "2026-11-02T06:30:00Z");
  // 05:10Z is 01:10 EDT, before the first 01:30.
  EXPECT_EQ(isoText(s.nextAfter(iso("2026-11-01T05:10:00Z"))), "2026-11-01T05:30:00Z");
  EXPECT_EQ(isoText(s.lastAtOrBefore(iso("2026-11-01T06:45:00Z"))), "2026-11-01T05:30:00Z");
}

TEST(ScheduleDstTest, BerlinSpringForward) {
  runRows({
      {"02:30 does not exist: fires at 03:00 CEST",
       R"({"daily":"02:30","timeZone":"Europe/Berlin"})",
       "2026-03-28T01:30:00Z",
       {"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"}},
      {"weekly Sunday 02:00",
       R"({"weekly":{"day":"SUN","at":"02:00"},"timeZone":"Europe/Berlin"})",
       "2026-03-22T01:00:00Z",
       {"2026-03-29T01:00:00Z", "2026-04-05T00:00:00Z"}},
      // 00:30 CET, 02:30 (gap) -> 03:00 CEST, 04:30 CEST.
      {"every 2 hours at :30",
       R"({"every":"2h","minute":30,"timeZone":"Europe/Berlin"})",
       "2026-03-28T23:00:00Z",
       {"2026-03-28T23:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:30:00Z"}},
      // 00:00 CET, 01:00 CET, 02:00 (gap) = 03:00 CEST, 04:00 CEST.
      {"every hour",
       R"({"every":"1h","timeZone":"Europe/Berlin"})",
       "2026-03-28T22:30:00Z",
       {"2026-03-28T23:00:00Z", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z",
        "2026-03-29T02:00:00Z"}},
      {"cron every 15 minutes through the gap",
       R"({"cron":"*/15 * * * *","timeZone":"Europe/Berlin"})",
       "2026-03-29T00:30:00Z",
       {"2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z"}},
  });
}

TEST(ScheduleDstTest, BerlinFallBack) {
  runRows({
      {"02:30 repeats: first occurrence only",
       R"({"daily":"02:30","timeZone":"Europe/Berlin"})",
       "2026-10-24T00:30:00Z",
       {"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}},
      // 02:00 CEST, (02:00 CET skipped), 03:00 CET.
      {"every hour",
       R"({"every":"1h","timeZone":"Europe/Berlin"})",
       "2026-10-24T23:00:00Z",
       {"2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"}},
      {"monthly on the fall-back day",
       R"({"monthly":{"day":25,"at":"02:30"},"timeZone":"Europe/Berlin"})",
       "2026-09-25T00:30:00Z",
       {"2026-10-25T00:30:00Z", "2026-11-25T01:30:00Z"}},
      // 02:00..02:45 CEST fire, then the CET pass does not, then 03:00 CET.
      {"cron every 15 minutes through the repeat",
       R"({"cron":"*/15 * * * *","timeZone":"Europe/Berlin"})",
       "2026-10-24T23:50:00Z",
       {"2026-10-25T00:00:00Z", "2026-10-25T00:15:00Z", "2026-10-25T00:30:00Z",
        "2026-10-25T00:45:00Z", "2026-10-25T02:00:00Z"}},
  });
}

}  // namespace
}  // namespace sfsync::scheduling
