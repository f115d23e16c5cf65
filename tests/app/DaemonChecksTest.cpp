// What --validate checks beyond the loader, through the real sfsyncd binary: what serve would
// refuse (admin.host that neither parses nor resolves, an admin TLS pair that does not load),
// unknown keys inside "notifications" with a suggestion, and a disabled job inside a chain - valid
// configuration, recorded Skipped ("disabled") by --run-chain while its dependents run.
#include <gtest/gtest.h>

#include <Poco/File.h>

#include <string>
#include <vector>

#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/store/Store.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

std::string shipped(const std::string& relative) {
  return testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/" + relative);
}

// The shipped jobs, chains and sample credentials with a test properties file plus `extra`.
void writeConfig(const TempDir& dir, const std::string& simUrl, const std::string& extra = "") {
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\nadmin.port = 0\n"
            "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
            "log.file = var/log/sfsyncd.log\nconnections = sample\n"
            "connection.sample.orgType = custom\n"
            "connection.sample.customDomainUrl = " +
                simUrl + "\nconnection.sample.credentialsFile = conf/sample.credentials\n" + extra);
  dir.write("conf/sample.credentials", shipped("conf/sample.credentials"));
  for (const char* folder : {"jobs", "chains"}) {
    std::vector<std::string> files;
    Poco::File(std::string(SFSYNC_SOURCE_DIR) + "/" + folder).list(files);
    for (const auto& file : files) {
      dir.write(std::string(folder) + "/" + file, shipped(std::string(folder) + "/" + file));
    }
  }
}

// Replaces the first `from` in a written file by `to` (the test fails if absent).
void edit(const TempDir& dir, const std::string& relative, const std::string& from,
          const std::string& to) {
  std::string text = testing::readFile(dir.file(relative));
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << relative << " has no " << from;
  dir.write(relative, text.replace(at, from.size(), to));
}

TEST(DaemonChecksTest, TheTestTreeValidates) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");
  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 0) << result.err;
}

TEST(DaemonChecksTest, AnAdminHostServeWouldRefuseFailsValidation) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9", "admin.host = 999.1.1.1\n");
  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("conf/sfsync.properties: admin.host: '999.1.1.1' is not an IP address "
                            "or a host name that resolves"),
            std::string::npos)
      << result.err;
}

TEST(DaemonChecksTest, AnAdminTlsPairThatDoesNotLoadFailsValidation) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9",
              "admin.tls.certificateFile = conf/admin.crt\n"
              "admin.tls.privateKeyFile = conf/admin.key\n");
  dir.write("conf/admin.crt", "not a certificate\n");
  dir.write("conf/admin.key", "not a key\n");
  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("conf/sfsync.properties: admin.tls.certificateFile: the admin server "
                            "cannot use this certificate and private key"),
            std::string::npos)
      << result.err;
}

TEST(DaemonChecksTest, UnknownNotificationKeysFailValidationWithASuggestion) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");
  edit(dir, "jobs/company_sync.json", "\"dependsOn\"",
       R"("notifications": {"onSucces": {"emails": ["ops@example.com"]}}, "dependsOn")");
  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("jobs/company_sync.json: notifications.onSucces: unknown key "
                            "'onSucces' (did you mean 'onSuccess'?)"),
            std::string::npos)
      << result.err;
}

TEST(DaemonChecksTest, NotificationProblemsAreListedWithTheLoadersProblems) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");
  edit(dir, "jobs/company_sync.json", "\"dependsOn\"",
       R"("notifications": {"onSucces": {"emails": ["ops@example.com"]}}, "dependsOn")");
  edit(dir, "jobs/cases_sync.json", "\"connection\": \"sample\"", "\"connection\": \"smaple\"");
  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("jobs/cases_sync.json: connection: unknown connection 'smaple'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("jobs/company_sync.json: notifications.onSucces: unknown key"),
            std::string::npos)
      << result.err;
}

TEST(DaemonChecksTest, ADisabledJobInAChainIsValidAndSkippedWhileItsDependentsRun) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeConfig(dir, sim.baseUrl());
  edit(dir, "jobs/user_sync.json", "\"name\": \"User Sync\",",
       "\"name\": \"User Sync\", \"enabled\": false,");

  auto validate = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  ASSERT_EQ(validate.exitCode, 0) << validate.err;

  auto run = runProcess(SFSYNCD_PATH, {"--run-chain=sfdc_company_person_sync"}, dir.path());
  EXPECT_EQ(run.exitCode, 2) << run.out << run.err;  // Partial Success: one bad contact
  auto store = store::openSqliteStore(dir.file("var/test.db"));
  ASSERT_TRUE(store.ok());
  auto rows = (*store)->listExecutions(store::ExecutionQuery{});
  ASSERT_TRUE(rows.ok());
  std::map<std::string, store::ExecutionRecord> byName;
  for (const auto& row : *rows) byName[row.name] = row;
  ASSERT_EQ(byName.count("User Sync"), 1u);
  EXPECT_EQ(byName["User Sync"].status, "Skipped");
  EXPECT_EQ(byName["User Sync"].message, "disabled");
  EXPECT_EQ(byName["User Sync"].recordsRead, 0);
  EXPECT_EQ(byName["Company Sync"].status, "Success") << byName["Company Sync"].message;
  EXPECT_GT(byName["Company Sync"].created, 0);
  EXPECT_EQ(byName["Company Person Sync"].status, "Partial Success");
}

}  // namespace
}  // namespace sfsync
