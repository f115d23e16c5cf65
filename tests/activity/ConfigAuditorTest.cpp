#include <gtest/gtest.h>

#include <Poco/File.h>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/activity/ConfigAuditor.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::activity {
namespace {

using sfsync::testing::TempDir;

TEST(ConfigAuditorTest, LineDiffShowsRemovedAndAddedLines) {
  EXPECT_EQ(ConfigAuditor::lineDiff("a\nb\nc\n", "a\nB\nc\nd\n"), "- b\n+ B\n+ d\n");
  EXPECT_EQ(ConfigAuditor::lineDiff("same\n", "same\n"), "");
  EXPECT_EQ(ConfigAuditor::lineDiff("", "x\n"), "+ x\n");
}

class ConfigAuditorFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("conf/sfsync.properties",
               "store.path = var/t.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = sandbox\n"
               "connection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials",
               "clientId = c\nclientSecret = s\nusername = u\npassword = SECRET-PASSWORD\n");
    Poco::File(dir_.file("chains")).createDirectories();
    writeJob("Company");
    store_ = std::move(store::openSqliteStore(dir_.file("var/t.db")).value());
  }
  void writeJob(const std::string& target) {
    dir_.write("jobs/companies.json",
               "{\n  \"name\": \"Companies\",\n  \"connection\": \"sample\",\n"
               "  \"source\": {\"object\": \"Account\"},\n  \"target\": {\"object\": \"" +
                   target +
                   "\"},\n  \"mappings\": [{\"source\": \"Id\", \"target\": \"SfdcAccountId\", "
                   "\"upsertKey\": true}]\n}\n");
  }
  std::vector<store::UpdateRecord> audit() {
    config::LoadedConfig config = config::loadConfig("conf/sfsync.properties", dir_.path());
    EXPECT_TRUE(config.problems.empty());
    auto records = ConfigAuditor::audit(config, *store_, clock_);
    EXPECT_TRUE(records.ok()) << records.status().toString();
    return records.ok() ? *records : std::vector<store::UpdateRecord>{};
  }

  TempDir dir_;
  sfsync::testing::FakeClock clock_;
  store::StorePtr store_;
};

TEST_F(ConfigAuditorFilesTest, RecordsAddedEditedAndRemovedItemsOnce) {
  auto first = audit();
  ASSERT_EQ(first.size(), 2u);   // the connection and the job appear for the first time
  EXPECT_TRUE(audit().empty());  // nothing changed since

  writeJob("Account Copy");
  auto edited = audit();
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_EQ(edited[0].kind, "job");
  EXPECT_EQ(edited[0].name, "Companies");
  EXPECT_EQ(edited[0].action, "edited");
  EXPECT_EQ(edited[0].actor, "config file");
  EXPECT_EQ(edited[0].diff,
            "-   \"target\": {\"object\": \"Company\"},\n"
            "+   \"target\": {\"object\": \"Account Copy\"},\n");

  Poco::File(dir_.file("jobs/companies.json")).remove();
  auto removed = audit();
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].action, "removed");
  EXPECT_TRUE(audit().empty());

  auto stored = store_->listUpdates(10, "").value();
  EXPECT_EQ(stored.size(), 4u);
  for (const auto& u : stored) {
    EXPECT_EQ(u.diff.find("SECRET-PASSWORD"), std::string::npos) << u.diff;  // never secrets
  }
}

}  // namespace
}  // namespace sfsync::activity
