// The real sfsyncd binary: --dry-run=NAME (issue 16) prints the dry run's table, writes the JSON
// report (--dry-run-report=FILE or under the errors directory), exits 0, and leaves the database
// file byte-identical; --dry-run-max bounds the records read; an unknown job is a usage error
// (exit 64) and --dry-run is exclusive with the other modes.
#include <gtest/gtest.h>

#include <string>

#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

void writeConfig(const TempDir& dir, const sim::SimServer& sim) {
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
            "paths.errors = var/errors\nconnections = sample\n"
            "connection.sample.orgType = custom\n"
            "connection.sample.customDomainUrl = " +
                sim.baseUrl() + "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
  dir.write("conf/sample.credentials",
            testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
  dir.write("jobs/companies.json", R"({"name": "Companies", "connection": "sample",
      "source": {"object": "Account", "mode": "full", "api": "rest"},
      "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                   {"source": "Name", "target": "Name"}]})");
  dir.write("chains/.keep", "");
}

TEST(DryRunCliTest, PrintsTheTableWritesTheReportAndLeavesTheStoreAlone) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeConfig(dir, sim);
  auto loaded = runProcess(SFSYNCD_PATH, {"--run-job=Companies"}, dir.path());
  ASSERT_EQ(loaded.exitCode, 0) << loaded.out << loaded.err;
  sim.setField("Account", "0015g0000000tvxAAA", "Name", "\"Acme Renamed\"");
  const std::string before = testing::readFile(dir.file("var/test.db"));
  ASSERT_FALSE(before.empty());

  auto dry = runProcess(SFSYNCD_PATH, {"--dry-run=Companies", "--dry-run-report=out/report.json"},
                        dir.path());

  EXPECT_EQ(dry.exitCode, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("nothing written"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("changed Company.Name: 1"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("'Acme Renamed'"), std::string::npos) << dry.out;
  const std::string report = testing::readFile(dir.file("out/report.json"));
  EXPECT_NE(report.find("\"wouldUpdate\":1"), std::string::npos) << report;
  EXPECT_NE(report.find("\"wouldCreate\":0"), std::string::npos) << report;
  EXPECT_TRUE(testing::readFile(dir.file("var/test.db")) == before)
      << "the database file changed during a dry run";
}

TEST(DryRunCliTest, BoundDefaultReportFileUnknownJobAndExclusiveModes) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeConfig(dir, sim);

  auto bounded = runProcess(SFSYNCD_PATH, {"--dry-run=Companies", "--dry-run-max=2"}, dir.path());
  EXPECT_EQ(bounded.exitCode, 0) << bounded.out << bounded.err;
  EXPECT_NE(bounded.out.find("2 record(s) read (stopped at the bound 2)"), std::string::npos)
      << bounded.out;
  const std::size_t at = bounded.out.find("report: ");
  ASSERT_NE(at, std::string::npos) << bounded.out;
  std::string file = bounded.out.substr(at + 8);
  file = file.substr(0, file.find('\n'));
  EXPECT_NE(file.find("var/errors/companies/dry-run-"), std::string::npos) << file;
  EXPECT_NE(testing::readFile(file).find("\"recordsRead\":2"), std::string::npos) << file;

  EXPECT_EQ(runProcess(SFSYNCD_PATH, {"--dry-run=Nope"}, dir.path()).exitCode, 64);
  EXPECT_EQ(
      runProcess(SFSYNCD_PATH, {"--dry-run=Companies", "--run-job=Companies"}, dir.path()).exitCode,
      64);
}

}  // namespace
}  // namespace sfsync
