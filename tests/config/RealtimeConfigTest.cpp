// Real-time sync configuration (issue 18): the job key "realtime" and the mapping key "realtime",
// and the rule of at most one real-time job per object and connection.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/MinimalProperties.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

std::string job(const std::string& name, const std::string& object, bool realtime) {
  return R"({"name": ")" + name + R"(", "connection": "sample", "source": {"object": ")" + object +
         R"("}, "target": {"object": "T_)" + name + R"("}, "realtime": )" +
         (realtime ? "true" : "false") +
         R"(, "mappings": [{"source": "Id", "target": "SfdcId", "upsertKey": true},
             {"source": "Industry", "target": "Industry", "realtime": false},
             {"source": "Name", "target": "Name"}]})";
}

TEST(RealtimeConfigTest, ReadsTheJobAndMappingKeys) {
  std::vector<ConfigProblem> problems;
  const auto j = parseJob("jobs/a.json", job("A", "Account", true), problems);
  ASSERT_TRUE(j.has_value());
  EXPECT_TRUE(problems.empty());
  EXPECT_TRUE(j->realtime);
  ASSERT_EQ(j->targets.size(), 1u);
  EXPECT_TRUE(j->targets[0].mappings[0].realtime);
  EXPECT_FALSE(j->targets[0].mappings[1].realtime);
  EXPECT_TRUE(j->targets[0].mappings[2].realtime);
  const auto off = parseJob("jobs/b.json", job("B", "Account", false), problems);
  ASSERT_TRUE(off.has_value());
  EXPECT_FALSE(off->realtime);
}

TEST(RealtimeConfigTest, ASecondRealtimeJobOnTheSameObjectIsRefused) {
  sfsync::testing::TempDir dir;
  dir.write("jobs/a.json", job("A", "Account", true));
  dir.write("jobs/b.json", job("B", "account", true));   // object names compare case-insensitively
  dir.write("jobs/c.json", job("C", "Account", false));  // scheduled only: fine
  dir.write("jobs/d.json", job("D", "Contact", true));   // another object: fine
  const LoadedConfig loaded = test_support::loadMinimalProperties(dir, {});
  ASSERT_EQ(loaded.problems.size(), 1u) << loaded.problems.front().toString();
  EXPECT_EQ(loaded.problems[0].path, "realtime");
  EXPECT_NE(loaded.problems[0].file.find("b.json"), std::string::npos);
  EXPECT_NE(loaded.problems[0].message.find("job 'A' is already the real-time job of"),
            std::string::npos)
      << loaded.problems[0].message;
}

TEST(RealtimeConfigTest, OneRealtimeJobPerObjectIsAccepted) {
  sfsync::testing::TempDir dir;
  dir.write("jobs/a.json", job("A", "Account", true));
  dir.write("jobs/c.json", job("C", "Account", false));
  const LoadedConfig loaded = test_support::loadMinimalProperties(dir, {});
  EXPECT_TRUE(loaded.problems.empty()) << loaded.problems.front().toString();
}

}  // namespace
}  // namespace sfsync::config
