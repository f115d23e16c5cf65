#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Ids.h"
#include "sfsync/core/Result.h"
#include "sfsync/core/Status.h"
#include "sfsync/core/Value.h"

namespace sfsync {
namespace {

TEST(StatusTest, CarriesCodeMessageAndRemoteCode) {
  Status ok = Status::OK();
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.toString(), "OK");

  Status s = Status::RemoteError("No such column 'X'").withRemote("INVALID_FIELD", 400);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kRemoteError);
  EXPECT_EQ(s.remoteCode(), "INVALID_FIELD");
  EXPECT_EQ(s.httpStatus(), 400);
  EXPECT_EQ(s.toString(), "INVALID_FIELD: No such column 'X'");
  EXPECT_EQ(Status::IoError("disk").toString(), "IO_ERROR: disk");
  EXPECT_TRUE(Status::Unavailable("x").retryable());
  EXPECT_FALSE(Status::RemoteError("x").retryable());
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::NotFound("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
}

TEST(ValueTest, TextForms) {
  struct Case {
    Value value;
    std::string text;
  };
  const Case cases[] = {
      {Value{}, ""},
      {Value{true}, "true"},
      {Value{false}, "false"},
      {Value{std::int64_t{-42}}, "-42"},
      {Value{std::numeric_limits<std::int64_t>::max()}, "9223372036854775807"},
      {Value{1.5}, "1.5"},
      {Value{0.1}, "0.1"},
      {Value{3.0}, "3"},
      {Value{1234567.25}, "1234567.25"},
      {Value{std::string("abc")}, "abc"},
  };
  for (const auto& c : cases) EXPECT_EQ(valueToText(c.value), c.text);
}

TEST(ClockTest, FormatsIso8601InUtcWithMilliseconds) {
  using namespace std::chrono;
  EXPECT_EQ(formatIso8601(Clock::TimePoint(milliseconds(0))), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatIso8601(Clock::TimePoint(milliseconds(1795000000123LL))),
            "2026-11-18T11:06:40.123Z");
}

TEST(IdsTest, UuidsAreUniqueCanonicalAndTimeOrdered) {
  std::set<std::string> seen;
  std::string previousPrefix;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = newUuid();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[14], '7');                                          // version 7
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // RFC 9562 variant
    EXPECT_TRUE(seen.insert(id).second) << id;
    const std::string prefix = id.substr(0, 13);  // the millisecond timestamp
    EXPECT_GE(prefix, previousPrefix);
    previousPrefix = prefix;
  }
}

}  // namespace
}  // namespace sfsync
