// Misfire policy: after an outage, "run-once" yields exactly one catch-up run and "skip" none;
// on-time runs are the same under both policies. Times are simulated; nothing sleeps or reads the
// wall clock.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "scheduling/ScheduleTestSupport.h"
#include "sfsync/scheduling/Schedule.h"

namespace sfsync::scheduling {
namespace {

using testing::iso;
using testing::isoText;
using testing::mustParse;

struct StartedRun {
  std::string slot;
  bool catchUp;
  bool operator==(const StartedRun& o) const { return slot == o.slot && catchUp == o.catchUp; }
};

std::ostream& operator<<(std::ostream& os, const StartedRun& r) {
  return os << r.slot << (r.catchUp ? " (catch-up)" : "");
}

// A minimal scheduler loop over simulated time: it was last woken at `lastHandled`, is down until
// `restart`, then wakes at `restart` and afterwards exactly at each nextAfter(), until `until`.
// Returns every run it starts.
std::vector<StartedRun> simulate(const Schedule& schedule, const std::string& lastHandled,
                                 const std::string& restart, const std::string& until) {
  std::vector<StartedRun> runs;
  Clock::TimePoint last = iso(lastHandled);
  std::optional<Clock::TimePoint> now = iso(restart);
  while (now && *now <= iso(until)) {
    if (const std::optional<Schedule::DueRun> due = schedule.dueRun(last, *now)) {
      runs.push_back({isoText(due->slot), due->catchUp});
    }
    last = *now;
    now = schedule.nextAfter(*now);
  }
  return runs;
}

TEST(ScheduleMisfireTest, ThreeDayOutageRunOnceCatchesUpExactlyOnce) {
  const Schedule s = mustParse(R"({"every":"1h"})");
  // Last handled slot 2026-01-01 10:00; down until 2026-01-04 10:20 (72 slots missed).
  const std::vector<StartedRun> runs =
      simulate(s, "2026-01-01T10:00:00Z", "2026-01-04T10:20:00Z", "2026-01-04T12:00:00Z");
  const std::vector<StartedRun> expected = {{"2026-01-04T10:00:00Z", true},
                                            {"2026-01-04T11:00:00Z", false},
                                            {"2026-01-04T12:00:00Z", false}};
  EXPECT_EQ(runs, expected);
}

TEST(ScheduleMisfireTest, ThreeDayOutageSkipRunsNothingUntilTheNextSlot) {
  const Schedule s = mustParse(R"({"every":"1h","misfire":"skip"})");
  const std::vector<StartedRun> runs =
      simulate(s, "2026-01-01T10:00:00Z", "2026-01-04T10:20:00Z", "2026-01-04T12:00:00Z");
  const std::vector<StartedRun> expected = {{"2026-01-04T11:00:00Z", false},
                                            {"2026-01-04T12:00:00Z", false}};
  EXPECT_EQ(runs, expected);
  EXPECT_EQ(isoText(s.nextAfter(iso("2026-01-04T10:20:00Z"))), "2026-01-04T11:00:00Z");
}

TEST(ScheduleMisfireTest, DailyOutageCatchesUpTheLatestMissedSlot) {
  // Daily 06:00; last ran 2026-01-01 06:00; back on 2026-01-04 at 05:00, before that day's slot.
  const Schedule runOnce = mustParse(R"({"daily":"06:00"})");
  const std::vector<StartedRun> runs =
      simulate(runOnce, "2026-01-01T06:00:00Z", "2026-01-04T05:00:00Z", "2026-01-05T06:00:00Z");
  const std::vector<StartedRun> expected = {{"2026-01-03T06:00:00Z", true},
                                            {"2026-01-04T06:00:00Z", false},
                                            {"2026-01-05T06:00:00Z", false}};
  EXPECT_EQ(runs, expected);

  const Schedule skip = mustParse(R"({"daily":"06:00","misfire":"skip"})");
  const std::vector<StartedRun> skipped =
      simulate(skip, "2026-01-01T06:00:00Z", "2026-01-04T05:00:00Z", "2026-01-05T06:00:00Z");
  const std::vector<StartedRun> expectedSkipped = {{"2026-01-04T06:00:00Z", false},
                                                   {"2026-01-05T06:00:00Z", false}};
  EXPECT_EQ(skipped, expectedSkipped);
}

TEST(ScheduleMisfireTest, DueRunTable) {
  struct Row {
    const char* name;
    const char* json;
    const char* lastHandled;
    const char* now;
    int graceSeconds;
    const char* slot;  // nullptr: nothing due
    bool catchUp;
  };
  const char* hourly = R"({"every":"1h"})";
  const char* hourlySkip = R"({"every":"1h","misfire":"skip"})";
  const std::vector<Row> rows = {
      {"nothing due before the next slot", hourly, "2026-01-01T10:00:00Z", "2026-01-01T10:59:59Z",
       60, nullptr, false},
      {"woken exactly on the slot", hourly, "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", 60,
       "2026-01-01T11:00:00Z", false},
      {"woken exactly on the slot, no grace", hourly, "2026-01-01T10:00:00Z",
       "2026-01-01T11:00:00Z", 0, "2026-01-01T11:00:00Z", false},
      {"woken within the grace period", hourlySkip, "2026-01-01T10:00:00Z", "2026-01-01T11:00:45Z",
       60, "2026-01-01T11:00:00Z", false},
      {"woken after the grace period, run-once", hourly, "2026-01-01T10:00:00Z",
       "2026-01-01T11:01:01Z", 60, "2026-01-01T11:00:00Z", true},
      {"woken after the grace period, skip", hourlySkip, "2026-01-01T10:00:00Z",
       "2026-01-01T11:01:01Z", 60, nullptr, false},
      // Missed slots before an on-time slot are folded into it, under either policy.
      {"outage ending on a slot, run-once", hourly, "2026-01-01T10:00:00Z", "2026-01-04T10:00:00Z",
       60, "2026-01-04T10:00:00Z", false},
      {"outage ending on a slot, skip", hourlySkip, "2026-01-01T10:00:00Z", "2026-01-04T10:00:00Z",
       60, "2026-01-04T10:00:00Z", false},
      {"slot already handled", hourly, "2026-01-01T11:00:00Z", "2026-01-01T11:00:30Z", 60, nullptr,
       false},
      {"now not after lastHandled", hourly, "2026-01-01T11:30:00Z", "2026-01-01T11:00:00Z", 60,
       nullptr, false},
      {"never fires", R"({"cron":"0 0 30 2 *"})", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
       60, nullptr, false},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const Schedule s = mustParse(row.json);
    const std::optional<Schedule::DueRun> due =
        s.dueRun(iso(row.lastHandled), iso(row.now), std::chrono::seconds(row.graceSeconds));
    if (row.slot == nullptr) {
      EXPECT_FALSE(due.has_value()) << isoText(due->slot);
    } else {
      ASSERT_TRUE(due.has_value());
      EXPECT_EQ(isoText(due->slot), row.slot);
      EXPECT_EQ(due->catchUp, row.catchUp);
    }
  }
}

}  // namespace
}  // namespace sfsync::scheduling
