// The real sfsyncd binary: --refresh-metadata=CONNECTION (issue 15) describes every object the
// connection's jobs use into the store's metadata cache (sfsync_metadata), prints a summary, and on
// a renamed field marks the job invalid and records update activity (actor "cli"); a later
// --run-job of that job fails at once with METADATA_FIELD_MISSING (exit 1). An unknown connection
// is a usage error (exit 64); the option is exclusive with the other modes.
#include <gtest/gtest.h>

#include <string>

#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/jobs/MetadataRefresh.h"
#include "sfsync/store/Store.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

std::string widgetDescribe(const std::string& colorField) {
  return R"({"name": "Widget__c", "keyPrefix": "a0W", "custom": true, "fields": [
      {"name": "Id", "type": "id"}, {"name": "Name", "type": "string"},
      {"name": ")" +
         colorField + R"(", "type": "string", "label": "Color"},
      {"name": "SystemModstamp", "type": "datetime"}]})";
}

void writeConfig(const TempDir& dir, const sim::SimServer& sim) {
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
            "paths.errors = var/errors\nconnections = sample\n"
            "connection.sample.orgType = custom\n"
            "connection.sample.customDomainUrl = " +
                sim.baseUrl() + "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
  dir.write("conf/sample.credentials",
            testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
  dir.write("jobs/widgets.json", R"({"name": "Widgets", "connection": "sample",
      "source": {"object": "Widget__c", "mode": "full", "api": "rest"},
      "target": {"object": "Widget"},
      "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true},
                   {"source": "Color__c", "target": "Color"}]})");
  dir.write("chains/.keep", "");
}

TEST(MetadataCliTest, RefreshMetadataCachesAndMarksRenamedFields) {
  sim::SimServer sim;
  sim.start();
  sim.addObject(widgetDescribe("Color__c"));
  TempDir dir;
  writeConfig(dir, sim);

  auto first = runProcess(SFSYNCD_PATH, {"--refresh-metadata=sample"}, dir.path());
  EXPECT_EQ(first.exitCode, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("1 object(s) described, 0 job(s) invalid"), std::string::npos)
      << first.out;
  {
    store::StorePtr store = std::move(store::openSqliteStore(dir.file("var/test.db")).value());
    auto cached = store->getMetadata("sample", "Widget__c");
    ASSERT_TRUE(cached.ok() && cached->has_value());
    EXPECT_NE((*cached)->describeJson.find("Color__c"), std::string::npos);
  }

  sim.addObject(widgetDescribe("Colour__c"));
  auto found = runProcess(SFSYNCD_PATH, {"--refresh-metadata=sample"}, dir.path());
  EXPECT_EQ(found.exitCode, 0) << found.out << found.err;
  EXPECT_NE(found.out.find("1 job(s) invalid: Widgets"), std::string::npos) << found.out;
  {
    store::StorePtr store = std::move(store::openSqliteStore(dir.file("var/test.db")).value());
    bool recorded = false;
    for (const store::UpdateRecord& u : store->listUpdates(0, "").value()) {
      recorded |= u.action == "metadata-invalid" && u.actor == "cli" && u.name == "Widgets" &&
                  u.diff.find("Color__c") != std::string::npos;
    }
    EXPECT_TRUE(recorded);
  }
  auto run = runProcess(SFSYNCD_PATH, {"--run-job=Widgets"}, dir.path());
  EXPECT_EQ(run.exitCode, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("METADATA_FIELD_MISSING"), std::string::npos) << run.out << run.err;
}

TEST(MetadataCliTest, UnknownConnectionAndOtherModesAreUsageErrors) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeConfig(dir, sim);
  auto unknown = runProcess(SFSYNCD_PATH, {"--refresh-metadata=nope"}, dir.path());
  EXPECT_EQ(unknown.exitCode, 64) << unknown.out << unknown.err;
  EXPECT_NE(unknown.err.find("no connection named 'nope'"), std::string::npos) << unknown.err;
  auto both =
      runProcess(SFSYNCD_PATH, {"--refresh-metadata=sample", "--run-job=Widgets"}, dir.path());
  EXPECT_EQ(both.exitCode, 64) << both.out << both.err;
}

}  // namespace
}  // namespace sfsync
