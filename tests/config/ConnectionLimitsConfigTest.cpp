// The connection limits against a hostile Salesforce (issue 9) in sfsync.properties:
// connection.<n>.maxResponseBytes, .maxCallsPerRun and .responseDeadlineSeconds - defaults,
// values, and range errors.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

const char* kProps = "conf/sfsync.properties";

LoadedConfig loadWith(sfsync::testing::TempDir& dir,
                      const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> props = {
      {"store.type", "sqlite"},
      {"store.path", "var/sfsync.db"},
      {"paths.jobs", "jobs"},
      {"paths.chains", "chains"},
      {"connections", "sample"},
      {"connection.sample.orgType", "custom"},
      {"connection.sample.customDomainUrl", "http://127.0.0.1:8086/"},
      {"connection.sample.credentialsFile", "conf/sample.credentials"}};
  for (const auto& [key, value] : extra) props[key] = value;
  std::string text;
  for (const auto& [key, value] : props) text += key + " = " + value + "\n";
  dir.write(kProps, text);
  dir.write("conf/sample.credentials",
            "clientId = c\nclientSecret = s\nusername = u@example.com\npassword = p\n");
  dir.write("jobs/.keep", "");
  dir.write("chains/.keep", "");
  return loadConfig(kProps, dir.path(), {});
}

bool mentions(const LoadedConfig& c, const std::string& text) {
  for (const auto& p : c.problems) {
    if (p.toString().find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ConnectionLimitsConfigTest, DefaultsAndValues) {
  sfsync::testing::TempDir defaultsDir;
  const LoadedConfig defaults = loadWith(defaultsDir, {});
  ASSERT_EQ(defaults.app.connections.size(), 1u);
  const auto& d = defaults.app.connections[0].settings;
  EXPECT_EQ(d.maxResponseBytes, 64ll << 20);
  EXPECT_EQ(d.maxCallsPerRun, 100000);
  EXPECT_EQ(d.responseDeadline, std::chrono::seconds(300));

  sfsync::testing::TempDir dir;
  const LoadedConfig c = loadWith(dir, {{"connection.sample.maxResponseBytes", "1048576"},
                                        {"connection.sample.maxCallsPerRun", "500"},
                                        {"connection.sample.responseDeadlineSeconds", "30"}});
  ASSERT_EQ(c.app.connections.size(), 1u);
  const auto& s = c.app.connections[0].settings;
  EXPECT_EQ(s.maxResponseBytes, 1048576);
  EXPECT_EQ(s.maxCallsPerRun, 500);
  EXPECT_EQ(s.responseDeadline, std::chrono::seconds(30));
}

TEST(ConnectionLimitsConfigTest, OutOfRangeValuesAreProblems) {
  sfsync::testing::TempDir dir;
  const LoadedConfig c = loadWith(dir, {{"connection.sample.maxResponseBytes", "10"},
                                        {"connection.sample.maxCallsPerRun", "0"},
                                        {"connection.sample.responseDeadlineSeconds", "forever"}});
  EXPECT_TRUE(mentions(c, "connection.sample.maxResponseBytes")) << c.problems.size();
  EXPECT_TRUE(mentions(c, "connection.sample.maxCallsPerRun"));
  EXPECT_TRUE(mentions(c, "connection.sample.responseDeadlineSeconds"));
}

}  // namespace
}  // namespace sfsync::config
