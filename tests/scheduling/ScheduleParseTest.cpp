// Schedule JSON: each accepted shape, each error message (with its key path), and describe().
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scheduling/ScheduleTestSupport.h"
#include "sfsync/scheduling/Schedule.h"
#include "sfsync/scheduling/ScheduleSpec.h"

namespace sfsync::scheduling {
namespace {

using Kind = ScheduleSpec::Kind;

TEST(ScheduleParseTest, AcceptsEachShape) {
  struct Row {
    const char* json;
    Kind kind;
    int everyHours, hour, minute, weekday, dayOfMonth;
    const char* cron;
    const char* timeZone;
    MisfirePolicy misfire;
  };
  const auto once = MisfirePolicy::kRunOnce;
  const std::vector<Row> rows = {
      {R"({"every":"1h"})", Kind::kEvery, 1, 0, 0, 0, 1, "", "UTC", once},
      {R"({"every":"12h","minute":45,"timeZone":"Europe/Berlin"})", Kind::kEvery, 12, 0, 45, 0, 1,
       "", "Europe/Berlin", once},
      {R"({"every":"8h","minute":0,"misfire":"skip"})", Kind::kEvery, 8, 0, 0, 0, 1, "", "UTC",
       MisfirePolicy::kSkip},
      {R"({"daily":"06:00"})", Kind::kDaily, 0, 6, 0, 0, 1, "", "UTC", once},
      {R"({"daily":"6:05","misfire":"run-once"})", Kind::kDaily, 0, 6, 5, 0, 1, "", "UTC", once},
      {R"({"weekdays":"23:59","timeZone":"America/New_York"})", Kind::kWeekdays, 0, 23, 59, 0, 1,
       "", "America/New_York", once},
      {R"({"weekly":{"day":"MON","at":"07:15"}})", Kind::kWeekly, 0, 7, 15, 1, 1, "", "UTC", once},
      {R"({"weekly":{"at":"00:00","day":"sunday"}})", Kind::kWeekly, 0, 0, 0, 0, 1, "", "UTC",
       once},
      {R"({"weekly":{"day":"Sat","at":"12:30"}})", Kind::kWeekly, 0, 12, 30, 6, 1, "", "UTC", once},
      {R"({"monthly":{"day":31,"at":"02:30"}})", Kind::kMonthly, 0, 2, 30, 0, 31, "", "UTC", once},
      {R"({"cron":"*/5 * * * MON-FRI","timeZone":"Asia/Kolkata"})", Kind::kCron, 0, 0, 0, 0, 1,
       "*/5 * * * MON-FRI", "Asia/Kolkata", once},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.json);
    Result<Schedule> s = Schedule::parse(row.json);
    ASSERT_TRUE(s.ok()) << s.status().message();
    const ScheduleSpec& spec = s->spec();
    EXPECT_EQ(spec.kind, row.kind);
    EXPECT_EQ(spec.everyHours, row.everyHours);
    EXPECT_EQ(spec.hour, row.hour);
    EXPECT_EQ(spec.minute, row.minute);
    EXPECT_EQ(spec.weekday, row.weekday);
    EXPECT_EQ(spec.dayOfMonth, row.dayOfMonth);
    EXPECT_EQ(spec.cron, row.cron);
    EXPECT_EQ(s->timeZone(), row.timeZone);
    EXPECT_EQ(s->misfire(), row.misfire);
  }
}

TEST(ScheduleParseTest, ReportsErrorsWithTheirKeyPath) {
  const std::vector<std::pair<const char*, const char*>> rows = {
      {R"({"daily":"25:00"})", R"(schedule.daily: expected HH:MM, got "25:00")"},
      {R"({"daily":"06:60"})", R"(schedule.daily: expected HH:MM, got "06:60")"},
      {R"({"daily":"6:5"})", R"(schedule.daily: expected HH:MM, got "6:5")"},
      {R"({"daily":"06:00:00"})", R"(schedule.daily: expected HH:MM, got "06:00:00")"},
      {R"({"daily":" 6:00"})", R"(schedule.daily: expected HH:MM, got " 6:00")"},
      {R"({"daily":600})", "schedule.daily: expected HH:MM, got 600"},
      {R"({"daily":null})", "schedule.daily: expected HH:MM, got null"},
      {R"({"weekdays":"noon"})", R"(schedule.weekdays: expected HH:MM, got "noon")"},
      {R"({"cron":"0 24 * * *"})", "schedule.cron: field 2 (hour): 24 is out of range 0-23"},
      {R"({"cron":"0 0 * *"})",
       "schedule.cron: expected 5 fields (minute hour day-of-month month day-of-week), got 4"},
      {R"({"cron":5})", R"(schedule.cron: expected a string "m h dom mon dow", got 5)"},
      {R"({"daily":"06:00","timeZone":"Mars/Base"})",
       "schedule.timeZone: unknown time zone 'Mars/Base'"},
      {R"({"daily":"06:00","timeZone":"europe/berlin"})",
       "schedule.timeZone: unknown time zone 'europe/berlin'"},
      {R"({"daily":"06:00","timeZone":"../../../etc/localtime"})",
       "schedule.timeZone: unknown time zone '../../../etc/localtime'"},
      {R"({"daily":"06:00","timeZone":"/usr/share/zoneinfo/UTC"})",
       "schedule.timeZone: unknown time zone '/usr/share/zoneinfo/UTC'"},
      {R"({"daily":"06:00","timeZone":"localtime"})",
       "schedule.timeZone: unknown time zone 'localtime'"},
      {R"({"daily":"06:00","timeZone":5})",
       R"(schedule.timeZone: expected an IANA time zone name such as "Europe/Berlin", got 5)"},
      {R"({"daily":"06:00","timeZone":""})",
       R"(schedule.timeZone: expected an IANA time zone name such as "Europe/Berlin", got "")"},
      {R"({"every":"5h"})",
       R"(schedule.every: expected one of "1h", "2h", "3h", "4h", "8h", "12h", got "5h")"},
      {R"({"every":"6h"})",
       R"(schedule.every: expected one of "1h", "2h", "3h", "4h", "8h", "12h", got "6h")"},
      {R"({"every":2})",
       R"(schedule.every: expected one of "1h", "2h", "3h", "4h", "8h", "12h", got 2)"},
      {R"({"every":"1h","minute":60})", "schedule.minute: expected an integer 0-59, got 60"},
      {R"({"every":"1h","minute":-1})", "schedule.minute: expected an integer 0-59, got -1"},
      {R"({"every":"1h","minute":1.5})", "schedule.minute: expected an integer 0-59, got 1.5"},
      {R"({"every":"1h","minute":"5"})", R"(schedule.minute: expected an integer 0-59, got "5")"},
      {R"({"every":"1h","minute":true})", "schedule.minute: expected an integer 0-59, got true"},
      {R"({"daily":"06:00","minute":5})", R"(schedule.minute: only allowed with "every")"},
      {R"({"weekly":{"day":"Funday","at":"06:00"}})",
       R"(schedule.weekly.day: expected a day name (MON..SUN or Monday..Sunday), got "Funday")"},
      {R"({"weekly":{"day":1,"at":"06:00"}})",
       "schedule.weekly.day: expected a day name (MON..SUN or Monday..Sunday), got 1"},
      {R"({"weekly":{"day":"MON"}})", "schedule.weekly.at: required"},
      {R"({"weekly":{"at":"06:00"}})", "schedule.weekly.day: required"},
      {R"({"weekly":{"day":"MON","at":"6am"}})",
       R"(schedule.weekly.at: expected HH:MM, got "6am")"},
      {R"({"weekly":"MON 06:00"})",
       R"(schedule.weekly: expected an object {"day": ..., "at": "HH:MM"}, got "MON 06:00")"},
      {R"({"weekly":{"day":"MON","at":"06:00","tz":"UTC"}})",
       "schedule.weekly.tz: unknown key (expected day, at)"},
      {R"({"monthly":{"day":32,"at":"06:00"}})",
       "schedule.monthly.day: expected an integer 1-31, got 32"},
      {R"({"monthly":{"day":0,"at":"06:00"}})",
       "schedule.monthly.day: expected an integer 1-31, got 0"},
      {R"({"monthly":{"day":"1","at":"06:00"}})",
       R"(schedule.monthly.day: expected an integer 1-31, got "1")"},
      {R"({"monthly":{"day":1,"at":"24:00"}})",
       R"(schedule.monthly.at: expected HH:MM, got "24:00")"},
      {R"({"monthly":[1,"06:00"]})",
       R"(schedule.monthly: expected an object {"day": ..., "at": "HH:MM"}, got an array)"},
      {R"({"daily":"06:00","foo":1})",
       "schedule.foo: unknown key (expected every, daily, weekdays, weekly, monthly, cron, minute, "
       "timeZone, misfire)"},
      {R"({"daily":"06:00","timezone":"UTC"})",
       "schedule.timezone: unknown key (expected every, daily, weekdays, weekly, monthly, cron, "
       "minute, timeZone, misfire)"},
      {"{}", "schedule: expected one of every, daily, weekdays, weekly, monthly, cron"},
      {R"({"timeZone":"UTC"})",
       "schedule: expected one of every, daily, weekdays, weekly, monthly, cron"},
      {R"({"daily":"06:00","cron":"* * * * *"})",
       "schedule: only one of every, daily, weekdays, weekly, monthly, cron may be given, got "
       "daily, "
       "cron"},
      {R"({"daily":"06:00","misfire":"never"})",
       R"(schedule.misfire: expected "run-once" or "skip", got "never")"},
      {R"({"daily":"06:00","misfire":false})",
       R"(schedule.misfire: expected "run-once" or "skip", got false)"},
      {"[]", "schedule: expected an object, got an array"},
  };
  for (const auto& [json, message] : rows) {
    SCOPED_TRACE(json);
    Result<Schedule> s = Schedule::parse(json);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.status().message(), message);
  }
}

TEST(ScheduleParseTest, ReportsMalformedJson) {
  for (const char* json : {"", "{", R"({"daily":)", R"({"daily":"06:00",})", "not json"}) {
    SCOPED_TRACE(json);
    Result<Schedule> s = Schedule::parse(json);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.status().message().rfind("schedule: invalid JSON: ", 0), 0u)
        << s.status().message();
  }
}

TEST(ScheduleParseTest, CronFactoryReportsWithoutKeyPath) {
  Result<Schedule> bad = Schedule::cron("0 24 * * *");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "cron: field 2 (hour): 24 is out of range 0-23");
  Result<Schedule> badZone = Schedule::cron("0 0 * * *", "Mars/Base");
  ASSERT_FALSE(badZone.ok());
  EXPECT_EQ(badZone.status().message(), "timeZone: unknown time zone 'Mars/Base'");
  Result<Schedule> good = Schedule::cron("0 6 * * 1-5", "America/New_York");
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->spec().kind, Kind::kCron);
  EXPECT_EQ(good->timeZone(), "America/New_York");
}

TEST(ScheduleParseTest, FromSpecChecksRangesOfSpecsBuiltInCode) {
  ScheduleSpec spec;
  spec.kind = Kind::kEvery;
  spec.everyHours = 6;
  Result<Schedule> s = Schedule::fromSpec(spec);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "schedule.every: 6 hours is not one of 1, 2, 3, 4, 8, 12");

  spec.kind = Kind::kMonthly;
  spec.dayOfMonth = 0;
  s = Schedule::fromSpec(spec);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "schedule.monthly.day: 0 is out of range 1-31");

  spec.kind = Kind::kDaily;
  spec.hour = 24;
  s = Schedule::fromSpec(spec);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "schedule.daily: hour 24 is out of range 0-23");
}

TEST(ScheduleParseTest, DescribesEachShape) {
  const std::vector<std::pair<const char*, const char*>> rows = {
      {R"({"every":"1h"})", "every hour at :00 UTC"},
      {R"({"every":"1h","minute":5})", "every hour at :05 UTC"},
      {R"({"every":"4h","minute":15,"timeZone":"Europe/Berlin"})",
       "every 4 hours from 00:15 Europe/Berlin"},
      {R"({"daily":"06:00","timeZone":"Europe/Berlin"})", "daily at 06:00 Europe/Berlin"},
      {R"({"daily":"6:05","misfire":"skip"})", "daily at 06:05 UTC, missed runs skipped"},
      {R"({"weekdays":"09:30","timeZone":"America/New_York"})",
       "weekdays (Mon-Fri) at 09:30 America/New_York"},
      {R"({"weekly":{"day":"sun","at":"23:00"}})", "weekly on Sunday at 23:00 UTC"},
      {R"({"monthly":{"day":15,"at":"10:00"}})", "monthly on day 15 at 10:00 UTC"},
      {R"({"monthly":{"day":31,"at":"00:00"}})",
       "monthly on day 31 at 00:00 UTC (last day of shorter months)"},
      {R"({"cron":" 0  6 * *  1-5 ","timeZone":"America/New_York"})",
       "cron '0 6 * * 1-5' America/New_York"},
  };
  for (const auto& [json, text] : rows) {
    SCOPED_TRACE(json);
    EXPECT_EQ(testing::mustParse(json).describe(), text);
  }
}

}  // namespace
}  // namespace sfsync::scheduling
