// The connection limits against a hostile Salesforce (issue 9) in sfsync.properties:
// connection.<n>.maxResponseBytes, .maxCallsPerRun and .responseDeadlineSeconds - defaults,
// values, and range errors.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "config/MinimalProperties.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

bool mentions(const LoadedConfig& c, const std::string& text) {
  for (const auto& p : c.problems) {
    if (p.toString().find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ConnectionLimitsConfigTest, DefaultsAndValues) {
  sfsync::testing::TempDir defaultsDir;
  const LoadedConfig defaults = test_support::loadMinimalProperties(defaultsDir, {});
  ASSERT_EQ(defaults.app.connections.size(), 1u);
  const auto& d = defaults.app.connections[0].settings;
  EXPECT_EQ(d.maxResponseBytes, 64ll << 20);
  EXPECT_EQ(d.maxStreamedResponseBytes, 4ll << 30);
  EXPECT_EQ(d.maxCallsPerRun, 100000);
  EXPECT_EQ(d.responseDeadline, std::chrono::seconds(300));

  sfsync::testing::TempDir dir;
  const LoadedConfig c = test_support::loadMinimalProperties(
      dir, {{"connection.sample.maxResponseBytes", "1048576"},
            {"connection.sample.maxStreamedResponseBytes", "8589934592"},
            {"connection.sample.maxCallsPerRun", "500"},
            {"connection.sample.responseDeadlineSeconds", "30"}});
  ASSERT_EQ(c.app.connections.size(), 1u);
  const auto& s = c.app.connections[0].settings;
  EXPECT_EQ(s.maxResponseBytes, 1048576);
  EXPECT_EQ(s.maxStreamedResponseBytes, 8ll << 30);
  EXPECT_EQ(s.maxCallsPerRun, 500);
  EXPECT_EQ(s.responseDeadline, std::chrono::seconds(30));
}

TEST(ConnectionLimitsConfigTest, OutOfRangeValuesAreProblems) {
  sfsync::testing::TempDir dir;
  const LoadedConfig c = test_support::loadMinimalProperties(
      dir, {{"connection.sample.maxResponseBytes", "10"},
            {"connection.sample.maxStreamedResponseBytes", "1024"},
            {"connection.sample.maxCallsPerRun", "0"},
            {"connection.sample.responseDeadlineSeconds", "forever"}});
  EXPECT_TRUE(mentions(c, "connection.sample.maxResponseBytes")) << c.problems.size();
  EXPECT_TRUE(mentions(c, "connection.sample.maxStreamedResponseBytes"));
  EXPECT_TRUE(mentions(c, "connection.sample.maxCallsPerRun"));
  EXPECT_TRUE(mentions(c, "connection.sample.responseDeadlineSeconds"));
}

}  // namespace
}  // namespace sfsync::config
