// The real sfsyncd binary: --full-resync=NAME and --allow-mass-delete=NAME write the one-shot
// requests to the store state keys (jobs/ReplicationState.h) as {"requestedAt","by"} and an update
// (audit) row, also while another process holds the store open (as a serving daemon does); an
// unknown job is a clear error with a non-zero exit and writes nothing.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/jobs/ReplicationState.h"
#include "sfsync/store/Store.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

void writeConfig(const TempDir& dir) {
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
            "paths.errors = var/errors\nconnections = sample\n"
            "connection.sample.orgType = custom\n"
            "connection.sample.customDomainUrl = http://127.0.0.1:9\n"
            "connection.sample.credentialsFile = conf/sample.credentials\n");
  dir.write("conf/sample.credentials",
            "clientId = c\nclientSecret = s\nusername = u@example.com\npassword = p\n");
  dir.write("jobs/company_sync.json", R"({
      "name": "Company Sync", "connection": "sample",
      "source": {"object": "Account", "mode": "incremental"}, "target": {"object": "Company"},
      "onSourceDelete": "delete",
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true}]})");
  dir.write("chains/.keep", "");
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

TEST(ReplicationRequestCliTest, FullResyncAndAllowMassDeleteWriteTheStore) {
  TempDir dir;
  writeConfig(dir);
  // Another process (here: this test) holds the store open, as a serving daemon would.
  Result<store::StorePtr> held = store::openSqliteStore(dir.file("var/test.db"));
  ASSERT_TRUE(held.ok()) << held.status().toString();
  store::Store& store = **held;

  auto resync = runProcess(SFSYNCD_PATH, {"--full-resync=Company Sync"}, dir.path());
  EXPECT_EQ(resync.exitCode, 0) << resync.out << resync.err;
  EXPECT_NE(resync.out.find("full-resync requested"), std::string::npos) << resync.out;
  // By file stem too; the key is always the job's name.
  auto allow = runProcess(SFSYNCD_PATH, {"--allow-mass-delete=company_sync"}, dir.path());
  EXPECT_EQ(allow.exitCode, 0) << allow.out << allow.err;

  for (const std::string& key :
       {jobs::fullResyncKey("Company Sync"), jobs::allowMassDeleteKey("Company Sync")}) {
    Result<std::optional<std::string>> value = store.getState(key);
    ASSERT_TRUE(value.ok() && value->has_value()) << key;
    Poco::JSON::Object::Ptr request = parse(**value);
    EXPECT_EQ(request->getValue<std::string>("by"), "cli") << **value;
    EXPECT_EQ(request->getValue<std::string>("requestedAt").size(), 24u) << **value;  // ISO ms Z
  }

  Result<std::vector<store::UpdateRecord>> updates = store.listUpdates(0, "");
  ASSERT_TRUE(updates.ok()) << updates.status().toString();
  std::vector<std::string> actions;
  for (const auto& u : *updates) {
    if (u.name == "Company Sync" && u.actor == "cli") actions.push_back(u.action);
  }
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{"allow-mass-delete", "full-resync"}));
}

TEST(ReplicationRequestCliTest, UnknownJobIsAClearErrorAndWritesNothing) {
  TempDir dir;
  writeConfig(dir);
  for (const char* option : {"--full-resync=Nope", "--allow-mass-delete=Nope"}) {
    auto result = runProcess(SFSYNCD_PATH, {option}, dir.path());
    EXPECT_NE(result.exitCode, 0) << option;
    EXPECT_NE(result.err.find("no job named 'Nope'"), std::string::npos) << result.err;
  }
  Result<store::StorePtr> store = store::openSqliteStore(dir.file("var/test.db"));
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE((*store)->getState(jobs::fullResyncKey("Nope"))->has_value());
  EXPECT_FALSE((*store)->getState(jobs::allowMassDeleteKey("Nope"))->has_value());
}

TEST(ReplicationRequestCliTest, CannotBeCombinedWithAnotherMode) {
  TempDir dir;
  writeConfig(dir);
  auto result = runProcess(SFSYNCD_PATH, {"--full-resync=Company Sync", "--run-job=Company Sync"},
                           dir.path());
  EXPECT_EQ(result.exitCode, 64) << result.err;
  EXPECT_NE(result.err.find("--full-resync"), std::string::npos) << result.err;
}

// --validate --online prints the replication warnings (calculated field of an incremental job) as
// "warning: ..." without failing, and fails on the replication problems (incremental without
// SystemModstamp).
TEST(ReplicationRequestCliTest, OnlineValidationPrintsReplicationWarningsAndProblems) {
  sim::SimServer sim;
  sim.start();
  sim.addObject(R"({"name": "Score__c", "keyPrefix": "a0S", "custom": true, "fields": [
      {"name": "Id", "type": "id"}, {"name": "IsDeleted", "type": "boolean"},
      {"name": "Grade__c", "type": "string", "calculated": true},
      {"name": "SystemModstamp", "type": "datetime"}]})");
  sim.addObject(R"({"name": "Log__c", "keyPrefix": "a0L", "custom": true, "fields": [
      {"name": "Id", "type": "id"}, {"name": "Name", "type": "string"}]})");
  TempDir dir;
  writeConfig(dir);
  std::string properties = testing::readFile(dir.file("conf/sfsync.properties"));
  properties.replace(properties.find("http://127.0.0.1:9"), 18, sim.baseUrl());
  dir.write("conf/sfsync.properties", properties);
  dir.write("conf/sample.credentials",
            testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
  dir.write("jobs/company_sync.json", R"({"name": "Scores", "connection": "sample",
      "source": {"object": "Score__c"}, "target": {"object": "Score"},
      "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true},
                   {"source": "Grade__c", "target": "Grade"}]})");
  auto warned = runProcess(SFSYNCD_PATH, {"--validate", "--online"}, dir.path());
  EXPECT_EQ(warned.exitCode, 0) << warned.out << warned.err;
  EXPECT_NE(warned.err.find("warning: jobs/company_sync.json: mappings[1].source: field "
                            "'Grade__c' is a formula or roll-up (calculated) field"),
            std::string::npos)
      << warned.err;

  dir.write("jobs/logs.json", R"({"name": "Logs", "connection": "sample",
      "source": {"object": "Log__c", "mode": "incremental", "dedupeBy": ""},
      "target": {"object": "Log"},
      "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true}]})");
  auto failed = runProcess(SFSYNCD_PATH, {"--validate", "--online"}, dir.path());
  EXPECT_EQ(failed.exitCode, 1) << failed.out << failed.err;
  EXPECT_NE(failed.err.find("jobs/logs.json: source.mode: \"incremental\" needs SystemModstamp"),
            std::string::npos)
      << failed.err;
}

}  // namespace
}  // namespace sfsync
