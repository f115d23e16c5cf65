#include <gtest/gtest.h>

#include <set>

#include "salesforce_sim/JsonText.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimTime.h"

namespace sfsync::sim {
namespace {

TEST(SalesforceIdTest, ChecksumMatchesSalesforceAlgorithm) {
  struct Case {
    const char* id15;
    const char* suffix;
  };
  const Case cases[] = {
      {"001A0000006Vm9r", "IAC"},  // 'A' at 3 -> 8 (I); none -> A; 'V' at 1 -> 2 (C)
      {"000000000000000", "AAA"},
      {"AAAAAAAAAAAAAAA", "555"},  // all five upper-case -> 31 -> '5'
      {"0015g00000AbCdE", "AAV"},  // 'A' at 0, 'C' at 2, 'E' at 4 -> 1+4+16 = 21 -> 'V'
  };
  for (const Case& c : cases) {
    EXPECT_EQ(SalesforceId::checksumSuffix(c.id15), c.suffix) << c.id15;
    EXPECT_EQ(SalesforceId::to18(c.id15), std::string(c.id15) + c.suffix);
  }
}

TEST(SalesforceIdTest, ValidatesAndNormalises) {
  EXPECT_TRUE(SalesforceId::isValid("001A0000006Vm9r"));
  EXPECT_TRUE(SalesforceId::isValid("001A0000006Vm9rIAC"));
  EXPECT_TRUE(SalesforceId::isValid("001A0000006Vm9riac"));  // suffix is case-insensitive
  EXPECT_FALSE(SalesforceId::isValid("001A0000006Vm9rIAD"));
  EXPECT_FALSE(SalesforceId::isValid("001A0000006Vm9"));
  EXPECT_FALSE(SalesforceId::isValid("001A0000006Vm9r-AC"));
  EXPECT_FALSE(SalesforceId::isValid("001A000000-Vm9r"));
  EXPECT_EQ(SalesforceId::to18("001A0000006Vm9riac"), "001A0000006Vm9rIAC");
  EXPECT_THROW(SalesforceId::to18("nope"), std::invalid_argument);
}

TEST(SalesforceIdTest, MakeProducesSortableValidIds) {
  std::set<std::string> ids;
  std::string previous;
  for (std::uint64_t serial : {1ULL, 2ULL, 61ULL, 62ULL, 63ULL, 3843ULL, 3844ULL, 999999ULL}) {
    const std::string id = SalesforceId::make("001", "Gn", serial);
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(id.substr(0, 5), "001Gn");
    EXPECT_TRUE(SalesforceId::isValid(id)) << id;
    EXPECT_LT(previous, id);
    previous = id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 8u);
  EXPECT_THROW(SalesforceId::make("01", "Gn", 1), std::invalid_argument);
}

TEST(SimTimeTest, ParsesAndFormatsSalesforceFormats) {
  std::int64_t days = 0, ms = 0;
  ASSERT_TRUE(SimTime::parseDate("2025-01-15", days));
  EXPECT_EQ(SimTime::formatDate(days), "2025-01-15");
  EXPECT_FALSE(SimTime::parseDate("2025-02-30", days));
  EXPECT_FALSE(SimTime::parseDate("2025-1-15", days));
  ASSERT_TRUE(SimTime::parseDate("2024-02-29", days));

  ASSERT_TRUE(SimTime::parseDateTime("2025-01-15T10:30:00Z", ms));
  EXPECT_EQ(SimTime::formatDateTime(ms), "2025-01-15T10:30:00.000+0000");
  std::int64_t other = 0;
  ASSERT_TRUE(SimTime::parseDateTime("2025-01-15T10:30:00.000+0000", other));
  EXPECT_EQ(other, ms);
  ASSERT_TRUE(SimTime::parseDateTime("2025-01-15T02:30:00-08:00", other));
  EXPECT_EQ(other, ms);
  ASSERT_TRUE(SimTime::parseDateTime("2025-01-15T10:30:00.5Z", other));
  EXPECT_EQ(other, ms + 500);
  EXPECT_EQ(SimTime::formatDateTime(ms + 7), "2025-01-15T10:30:00.007+0000");
  EXPECT_FALSE(SimTime::parseDateTime("2025-01-15T10:30:00", other));  // zone required
  EXPECT_FALSE(SimTime::parseDateTime("2025-01-15 10:30:00Z", other));
  EXPECT_EQ(SimTime::formatDateTime(0), "1970-01-01T00:00:00.000+0000");
  EXPECT_EQ(SimTime::formatDateTime(-1), "1969-12-31T23:59:59.999+0000");
}

TEST(JsonTextTest, WritesDoublesLikeSalesforce) {
  const std::pair<double, const char*> cases[] = {{15000.0, "15000.0"},
                                                  {0.25, "0.25"},
                                                  {1.85e9, "1.85E9"},
                                                  {1e7, "1.0E7"},
                                                  {9999999.0, "9999999.0"},
                                                  {0.001, "0.001"},
                                                  {0.0001, "1.0E-4"},
                                                  {-42.5, "-42.5"},
                                                  {0.0, "0.0"},
                                                  {12750000.5, "1.27500005E7"},
                                                  {99999.99, "99999.99"}};
  for (const auto& [value, text] : cases) {
    std::string out;
    JsonText::appendDouble(out, value);
    EXPECT_EQ(out, text) << value;
  }
}

TEST(JsonTextTest, EscapesStrings) {
  std::string out;
  JsonText::appendString(out, "a\"b\\c\nd\x01 Weiß");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001 Weiß\"");
  EXPECT_EQ(JsonText::errorArray("X", "m"), R"([{"message":"m","errorCode":"X"}])");
}

}  // namespace
}  // namespace sfsync::sim
