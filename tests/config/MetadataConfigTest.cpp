// connection.<n>.metadataRefreshDays (issue 15): default 7, 1..365, problems name the key.
#include <gtest/gtest.h>

#include "config/MinimalProperties.h"
#include "config/ProblemMatchers.h"
#include "fakes/TempDir.h"

namespace sfsync::config {
namespace {

TEST(MetadataConfigTest, RefreshDaysDefaultAndValue) {
  sfsync::testing::TempDir dir;
  const LoadedConfig defaults = test_support::loadMinimalProperties(dir, {});
  ASSERT_TRUE(defaults.problems.empty()) << defaults.problems.front().toString();
  EXPECT_EQ(defaults.app.connections.at(0).settings.metadataRefreshDays, 7);
  sfsync::testing::TempDir other;
  const LoadedConfig set =
      test_support::loadMinimalProperties(other, {{"connection.sample.metadataRefreshDays", "1"}});
  ASSERT_TRUE(set.problems.empty()) << set.problems.front().toString();
  EXPECT_EQ(set.app.connections.at(0).settings.metadataRefreshDays, 1);
}

TEST(MetadataConfigTest, RefreshDaysOutOfRange) {
  for (const char* value : {"0", "366", "weekly"}) {
    sfsync::testing::TempDir dir;
    const LoadedConfig c = test_support::loadMinimalProperties(
        dir, {{"connection.sample.metadataRefreshDays", value}});
    ASSERT_EQ(c.problems.size(), 1u) << value << test_support::describe(c.problems);
    EXPECT_EQ(c.problems[0].path, "connection.sample.metadataRefreshDays");
    EXPECT_NE(c.problems[0].message.find("expected an integer from 1 to 365"), std::string::npos)
        << c.problems[0].toString();
  }
}

}  // namespace
}  // namespace sfsync::config
