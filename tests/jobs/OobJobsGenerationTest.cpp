// Out-of-the-box jobs: the shipped sample files are exactly what the generator renders, and the
// first authorisation of a connection creates the right set (multi-currency, primary vs second
// connection).
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/jobs/ConnectionAuthorizer.h"
#include "sfsync/jobs/OobJobWriter.h"

namespace sfsync::jobs {
namespace {

using sfsync::testing::TempDir;

const std::string kSource = SFSYNC_SOURCE_DIR;

std::vector<std::string> fileNames(const std::vector<std::string>& paths) {
  std::vector<std::string> names;
  for (const auto& p : paths) names.push_back(Poco::Path(p).getFileName());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(OobJobsGenerationTest, ShippedSampleJobsAreTheRenderedTemplates) {
  OobRequest request{
      kSource + "/conf/oob", kSource + "/jobs", kSource + "/chains", "sample", true, true};
  auto files = OobJobWriter::plan(request);
  ASSERT_TRUE(files.ok()) << files.status().toString();
  ASSERT_EQ(files->size(), 7u);
  for (const OobFile& file : *files) {
    EXPECT_EQ(sfsync::testing::readFile(file.path), file.text) << file.path;
  }
}

class AuthorizeTest : public ::testing::Test {
 protected:
  Result<AuthorizationResult> authorize(sim::SimServer& sim, const std::string& connection) {
    auto client = salesforce::makeHttpClient(sfsync::testing::simConnection(sim), clock_);
    OobRequest oob{kSource + "/conf/oob", dir_.file("jobs"), dir_.file("chains"), connection};
    return ConnectionAuthorizer::authorize(*client, *store_, *clock_, oob);
  }
  void SetUp() override { store_ = std::move(store::openSqliteStore(dir_.file("db")).value()); }

  TempDir dir_;
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
  store::StorePtr store_;
};

TEST_F(AuthorizeTest, FirstConnectionGetsEveryOobJobAndTheChain) {
  sim::SimServer sim;
  sim.start();
  auto result = authorize(sim, "prod");
  ASSERT_TRUE(result.ok()) << result.status().toString();
  EXPECT_TRUE(result->firstAuthorization);
  EXPECT_TRUE(result->primary);
  EXPECT_TRUE(result->multiCurrency);
  EXPECT_EQ(
      fileNames(result->writtenFiles),
      (std::vector<std::string>{"cases_sync.json", "company_person_sync.json", "company_sync.json",
                                "currency_sync.json", "opportunity_sync.json",
                                "sfdc_company_person_sync.json", "user_sync.json"}));
  EXPECT_NE(
      sfsync::testing::readFile(dir_.file("jobs/user_sync.json")).find("\"connection\": \"prod\""),
      std::string::npos);

  // A second connection gets only User Sync and Currency Sync, named after the connection.
  auto second = authorize(sim, "emea");
  ASSERT_TRUE(second.ok()) << second.status().toString();
  EXPECT_FALSE(second->primary);
  EXPECT_EQ(fileNames(second->writtenFiles),
            (std::vector<std::string>{"currency_sync_emea.json", "user_sync_emea.json"}));
  EXPECT_NE(sfsync::testing::readFile(dir_.file("jobs/user_sync_emea.json"))
                .find("\"name\": \"User Sync (emea)\""),
            std::string::npos);

  // Re-authorising keeps every job file, even an edited one.
  dir_.write("jobs/user_sync.json", "{\"edited\": true}");
  auto again = authorize(sim, "prod");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->firstAuthorization);
  EXPECT_TRUE(again->writtenFiles.empty());
  EXPECT_EQ(sfsync::testing::readFile(dir_.file("jobs/user_sync.json")), "{\"edited\": true}");
}

TEST_F(AuthorizeTest, NoCurrencyJobWhenMultiCurrencyIsOff) {
  sim::SimOptions options;
  options.multiCurrency = false;
  sim::SimServer sim(options);
  sim.start();
  auto result = authorize(sim, "prod");
  ASSERT_TRUE(result.ok()) << result.status().toString();
  EXPECT_FALSE(result->multiCurrency);
  EXPECT_EQ(result->writtenFiles.size(), 6u);
  EXPECT_FALSE(Poco::File(dir_.file("jobs/currency_sync.json")).exists());
}

TEST_F(AuthorizeTest, BadCredentialsAreReportedAndWriteNothing) {
  sim::SimServer sim;
  sim.start();
  sim.setPasswordForTest("changed");
  auto result = authorize(sim, "prod");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().remoteCode(), "invalid_grant");
  EXPECT_FALSE(Poco::File(dir_.file("jobs")).exists());
}

}  // namespace
}  // namespace sfsync::jobs
