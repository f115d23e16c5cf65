// CronExpression: valid forms (which values each field allows), every error message, and the
// day-of-month / day-of-week rule.
#include <gtest/gtest.h>

#include <bitset>
#include <string>
#include <vector>

#include "sfsync/scheduling/CronExpression.h"

namespace sfsync::scheduling {
namespace {

template <std::size_t N>
std::vector<int> values(const std::bitset<N>& bits) {
  std::vector<int> out;
  for (std::size_t i = 0; i < N; ++i) {
    if (bits[i]) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<int> range(int lo, int hi) {
  std::vector<int> out;
  for (int v = lo; v <= hi; ++v) out.push_back(v);
  return out;
}

struct ValidRow {
  const char* expr;
  const char* text;  // normalised text()
  std::vector<int> minutes;
  std::vector<int> hours;
  std::vector<int> daysOfMonth;
  std::vector<int> months;
  std::vector<int> daysOfWeek;  // 0 = Sunday
  bool domRestricted;
  bool dowRestricted;
};

TEST(CronExpressionTest, ParsesValidForms) {
  const std::vector<ValidRow> rows = {
      {"* * * * *", "* * * * *", range(0, 59), range(0, 23), range(1, 31), range(1, 12),
       range(0, 6), false, false},
      {"0,15,30,45 */6 1-7 JAN-MAR,dec 1-5",
       "0,15,30,45 */6 1-7 JAN-MAR,dec 1-5",
       {0, 15, 30, 45},
       {0, 6, 12, 18},
       range(1, 7),
       {1, 2, 3, 12},
       range(1, 5),
       true,
       true},
      {"5-20/5 9-17/4 */10 */3 0",
       "5-20/5 9-17/4 */10 */3 0",
       {5, 10, 15, 20},
       {9, 13, 17},
       {1, 11, 21, 31},
       {1, 4, 7, 10},
       {0},
       false,
       true},
      {"0 0 * * 7", "0 0 * * 7", {0}, {0}, range(1, 31), range(1, 12), {0}, false, true},
      {"0 0 * * 0,7", "0 0 * * 0,7", {0}, {0}, range(1, 31), range(1, 12), {0}, false, true},
      {"0 0 * * sun-SAT",
       "0 0 * * sun-SAT",
       {0},
       {0},
       range(1, 31),
       range(1, 12),
       range(0, 6),
       false,
       true},
      {"0 0 * * 5-7", "0 0 * * 5-7", {0}, {0}, range(1, 31), range(1, 12), {0, 5, 6}, false, true},
      {"0 0 * * 1-7/2",
       "0 0 * * 1-7/2",
       {0},
       {0},
       range(1, 31),
       range(1, 12),
       {0, 1, 3, 5},
       false,
       true},
      {"0 0 * * Mon,wed,FRI",
       "0 0 * * Mon,wed,FRI",
       {0},
       {0},
       range(1, 31),
       range(1, 12),
       {1, 3, 5},
       false,
       true},
      {"  0   12  *\t*  mon ",
       "0 12 * * mon",
       {0},
       {12},
       range(1, 31),
       range(1, 12),
       {1},
       false,
       true},
      {"00 09 01 01 *", "00 09 01 01 *", {0}, {9}, {1}, {1}, range(0, 6), true, false},
      {"59 23 31 12 6", "59 23 31 12 6", {59}, {23}, {31}, {12}, {6}, true, true},
      {"*/59 */23 */30 */11 */7",
       "*/59 */23 */30 */11 */7",
       {0, 59},
       {0, 23},
       {1, 31},
       {1, 12},
       {0},
       false,
       false},
  };
  for (const ValidRow& row : rows) {
    SCOPED_TRACE(row.expr);
    Result<CronExpression> e = CronExpression::parse(row.expr);
    ASSERT_TRUE(e.ok()) << e.status().message();
    EXPECT_EQ(e->text(), row.text);
    EXPECT_EQ(values(e->minutes()), row.minutes);
    EXPECT_EQ(values(e->hours()), row.hours);
    EXPECT_EQ(values(e->daysOfMonth()), row.daysOfMonth);
    EXPECT_EQ(values(e->months()), row.months);
    EXPECT_EQ(values(e->daysOfWeek()), row.daysOfWeek);
    EXPECT_EQ(e->dayOfMonthRestricted(), row.domRestricted);
    EXPECT_EQ(e->dayOfWeekRestricted(), row.dowRestricted);
  }
}

TEST(CronExpressionTest, ReportsEachErrorWithItsField) {
  const std::vector<std::pair<const char*, const char*>> rows = {
      {"", "expected 5 fields (minute hour day-of-month month day-of-week), got 0"},
      {"0 0 * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"},
      {"* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6"},
      {"@daily", "expected 5 fields (minute hour day-of-month month day-of-week), got 1"},
      {"60 * * * *", "field 1 (minute): 60 is out of range 0-59"},
      {"* 24 * * *", "field 2 (hour): 24 is out of range 0-23"},
      {"* * 0 * *", "field 3 (day-of-month): 0 is out of range 1-31"},
      {"* * 32 * *", "field 3 (day-of-month): 32 is out of range 1-31"},
      {"* * * 0 *", "field 4 (month): 0 is out of range 1-12"},
      {"* * * 13 *", "field 4 (month): 13 is out of range 1-12"},
      {"* * * * 8", "field 5 (day-of-week): 8 is out of range 0-7"},
      {"* * * FOO *", "field 4 (month): 'FOO' is not a number or month name (JAN-DEC)"},
      {"* * * JAN-MON *", "field 4 (month): 'MON' is not a number or month name (JAN-DEC)"},
      {"* * * * FUN", "field 5 (day-of-week): 'FUN' is not a number or day name (SUN-SAT)"},
      {"* * * * MONDAY", "field 5 (day-of-week): 'MONDAY' is not a number or day name (SUN-SAT)"},
      {"MON * * * *", "field 1 (minute): 'MON' is not a number"},
      {"? * * * *", "field 1 (minute): '?' is not a number"},
      {"* * L * *", "field 3 (day-of-month): 'L' is not a number"},
      {"99999 * * * *", "field 1 (minute): '99999' is not a number"},
      {"5-1 * * * *",
       "field 1 (minute): range 5-1 is backwards (the start must not be after the end)"},
      {"* * * * FRI-MON",
       "field 5 (day-of-week): range FRI-MON is backwards (the start must not be after the end)"},
      {"-5 * * * *", "field 1 (minute): '-5' is not a valid range"},
      {"1- * * * *", "field 1 (minute): '1-' is not a valid range"},
      {"1-2-3 * * * *", "field 1 (minute): '2-3' is not a number"},
      {"*/0 * * * *", "field 1 (minute): step 0 is out of range 1-59"},
      {"*/60 * * * *", "field 1 (minute): step 60 is out of range 1-59"},
      {"* 0-23/24 * * *", "field 2 (hour): step 24 is out of range 1-23"},
      {"* * * * */8", "field 5 (day-of-week): step 8 is out of range 1-7"},
      {"*/x * * * *", "field 1 (minute): 'x' is not a valid step in '*/x'"},
      {"*/ * * * *", "field 1 (minute): '' is not a valid step in '*/'"},
      {"5/15 * * * *", "field 1 (minute): '5/15' needs '*' or a range before '/'"},
      {"1,,2 * * * *", "field 1 (minute): empty list element in '1,,2'"},
      {"* 1, * * *", "field 2 (hour): empty list element in '1,'"},
      {"* * ,1 * *", "field 3 (day-of-month): empty list element in ',1'"},
  };
  for (const auto& [expr, message] : rows) {
    SCOPED_TRACE(expr);
    Result<CronExpression> e = CronExpression::parse(expr);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(e.status().message(), message);
  }
}

TEST(CronExpressionTest, DayOfMonthAndDayOfWeekFollowTheCronRule) {
  struct Row {
    const char* expr;
    int year, month, day;
    bool matches;
  };
  // 2026-03-01 is a Sunday, 2026-02-09 a Monday, 2026-01-04 a Sunday.
  const std::vector<Row> rows = {
      // Both restricted: either matches.
      {"0 12 1 * MON", 2026, 3, 1, true},   // the 1st (a Sunday)
      {"0 12 1 * MON", 2026, 3, 2, true},   // a Monday
      {"0 12 1 * MON", 2026, 3, 3, false},  // neither
      {"0 12 13 * FRI", 2026, 2, 6, true},  // a Friday, not the 13th
      // Day-of-month written with '*' counts as unrestricted: both must match.
      {"0 12 */2 * MON", 2026, 2, 9, true},   // odd day and Monday
      {"0 12 */2 * MON", 2026, 2, 2, false},  // Monday, even day
      {"0 12 */2 * MON", 2026, 2, 3, false},  // odd day, Tuesday
      // Only one restricted: that one decides.
      {"0 0 15 * *", 2026, 2, 15, true},
      {"0 0 15 * *", 2026, 2, 16, false},
      {"0 0 * * 7", 2026, 1, 4, true},   // Sunday as 7
      {"0 0 * * 0", 2026, 1, 4, true},   // Sunday as 0
      {"0 0 * * 0", 2026, 1, 5, false},  // Monday
      // Month restricts before the day rule.
      {"0 0 1 JUL MON", 2026, 1, 1, false},
      {"0 0 29 2 *", 2028, 2, 29, true},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(row.expr) + " on " + std::to_string(row.year) + "-" +
                 std::to_string(row.month) + "-" + std::to_string(row.day));
    Result<CronExpression> e = CronExpression::parse(row.expr);
    ASSERT_TRUE(e.ok()) << e.status().message();
    EXPECT_EQ(e->matchesDate(row.year, row.month, row.day), row.matches);
  }
}

TEST(CronExpressionTest, MatchesChecksEveryField) {
  Result<CronExpression> e = CronExpression::parse("30 8 * * 1-5");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->matches(2026, 1, 5, 8, 30));   // Monday 08:30
  EXPECT_FALSE(e->matches(2026, 1, 5, 8, 31));  // wrong minute
  EXPECT_FALSE(e->matches(2026, 1, 5, 9, 30));  // wrong hour
  EXPECT_FALSE(e->matches(2026, 1, 4, 8, 30));  // Sunday
}

}  // namespace
}  // namespace sfsync::scheduling
