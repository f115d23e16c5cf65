// Write-back keys of a job file (issue 13): "direction" per mapping, "createInSalesforce" and
// "externalIdField" per job, and the checks that need no describe.
#include <gtest/gtest.h>

#include "config/MinimalProperties.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

std::vector<ConfigProblem> problemsOf(const std::string& mappings, const std::string& extra = "") {
  std::vector<ConfigProblem> problems;
  const std::string text = R"({"name": "J", "connection": "c", "source": {"object": "Contact"},
      "target": {"object": "Person"}, )" +
                           extra + R"("mappings": [)" + mappings + "]}";
  auto job = parseJob("jobs/j.json", text, problems);
  return problems;
}

std::string joined(const std::vector<ConfigProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.toString() + "\n";
  return out;
}

TEST(WriteBackConfigTest, DirectionsParseAndDefaultToFromSalesforce) {
  std::vector<ConfigProblem> problems;
  auto job = parseJob("jobs/j.json", R"({"name": "J", "connection": "c",
      "source": {"object": "Contact"}, "target": {"object": "Person"}, "createInSalesforce": true,
      "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true},
                   {"source": "Email", "target": "Email", "direction": "twoWay"},
                   {"source": "Phone", "target": "Phone", "direction": "toSalesforce"},
                   {"source": "Title", "target": "Title", "direction": "fromSalesforce"}]})",
                      problems);
  ASSERT_TRUE(problems.empty()) << joined(problems);
  ASSERT_TRUE(job);
  const auto& m = job->targets[0].mappings;
  EXPECT_EQ(m[0].direction, Direction::kFromSalesforce);
  EXPECT_EQ(m[1].direction, Direction::kTwoWay);
  EXPECT_EQ(m[2].direction, Direction::kToSalesforce);
  EXPECT_EQ(m[3].direction, Direction::kFromSalesforce);
  EXPECT_TRUE(job->createInSalesforce);
  EXPECT_TRUE(job->writesBack());
}

TEST(WriteBackConfigTest, ReadOnlyMappingsAreRefusedWithTheirPath) {
  const auto problems = problemsOf(R"({"source": "Id", "target": "SfId", "upsertKey": true},
      {"source": "Account.Name", "target": "Company", "direction": "twoWay"},
      {"target": "Origin", "constant": "x", "direction": "toSalesforce"},
      {"source": "Id", "target": "Id2", "direction": "twoWay"},
      {"source": "Email", "target": "Email", "direction": "sideways"})");
  const std::string all = joined(problems);
  EXPECT_NE(all.find("mappings[1].direction: relationship path 'Account.Name' is read-only"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("mappings[2].direction: only a mapping with 'source'"), std::string::npos)
      << all;
  EXPECT_NE(all.find("mappings[3].direction: the record Id is read-only"), std::string::npos)
      << all;
  EXPECT_NE(all.find("mappings[4].direction"), std::string::npos) << all;
}

TEST(WriteBackConfigTest, AWriteBackTargetNeedsTheIdOrTheExternalId) {
  auto all = joined(problemsOf(R"({"source": "Email", "target": "Email", "upsertKey": true,
      "direction": "twoWay"})"));
  EXPECT_NE(all.find("mappings: a target that writes back"), std::string::npos) << all;

  all = joined(problemsOf(R"({"source": "Email", "target": "Email", "upsertKey": true},
      {"source": "Ext__c", "target": "Ext", "direction": "twoWay"})",
                          R"("externalIdField": "Ext__c", )"));
  EXPECT_TRUE(all.empty()) << all;

  all = joined(problemsOf(R"({"source": "Id", "target": "SfId", "upsertKey": true},
      {"source": "Email", "target": "Email", "direction": "twoWay"})",
                          R"("externalIdField": "Other__c", )"));
  EXPECT_NE(all.find("externalIdField: field 'Other__c' is not mapped"), std::string::npos) << all;
}

TEST(WriteBackConfigTest, CreateInSalesforceWithoutWriteBackIsAProblem) {
  const auto all = joined(problemsOf(R"({"source": "Id", "target": "SfId", "upsertKey": true})",
                                     R"("createInSalesforce": true, )"));
  EXPECT_NE(all.find("createInSalesforce: the job has no mapping with direction"),
            std::string::npos)
      << all;
}

// Write-back is built on both stores (SQLite and PostgreSQL triggers): a write-back job loads on
// either.
TEST(WriteBackConfigTest, WriteBackLoadsOnBothStores) {
  const std::string job = R"({"name": "J", "connection": "sample", "source": {"object": "Contact"},
      "target": {"object": "Person"},
      "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true},
                   {"source": "Email", "target": "Email", "direction": "twoWay"}]})";
  sfsync::testing::TempDir sqliteDir;
  sqliteDir.write("jobs/j.json", job);
  const LoadedConfig onSqlite = test_support::loadMinimalProperties(sqliteDir, {});
  EXPECT_TRUE(onSqlite.problems.empty()) << joined(onSqlite.problems);

  sfsync::testing::TempDir pgDir;
  pgDir.write("jobs/j.json", job);
  const LoadedConfig onPg = test_support::loadMinimalProperties(
      pgDir,
      {{"store.type", "postgresql"}, {"store.url", "postgresql://sfsync@127.0.0.1:5432/db"}});
  EXPECT_TRUE(onPg.problems.empty()) << joined(onPg.problems);
}

// Review finding 8: a table has one capture trigger with one column list, so two jobs writing back
// to the same table would replace each other's capture. The second job is refused, naming both.
TEST(WriteBackConfigTest, TwoWriteBackJobsOnOneTableAreRefusedNamingBoth) {
  auto job = [](const std::string& name, const std::string& table, const char* direction) {
    return R"({"name": ")" + name +
           R"(", "connection": "sample", "source": {"object": "Contact"},
      "target": {"object": ")" +
           table + R"("}, "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true},
                   {"source": "Email", "target": "Email", "direction": ")" +
           direction + R"("}]})";
  };
  sfsync::testing::TempDir dir;
  dir.write("jobs/a.json", job("First", "Person", "twoWay"));
  dir.write("jobs/b.json", job("Second", "person", "toSalesforce"));
  dir.write("jobs/c.json", job("Reader", "Person", "fromSalesforce"));
  dir.write("jobs/d.json", job("Other", "Lead", "twoWay"));
  const LoadedConfig loaded = test_support::loadMinimalProperties(dir, {});
  ASSERT_EQ(loaded.problems.size(), 1u) << joined(loaded.problems);
  const std::string all = joined(loaded.problems);
  EXPECT_NE(all.find("b.json"), std::string::npos) << all;
  EXPECT_NE(all.find("job 'First' already writes table 'person' back to Salesforce"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace sfsync::config
