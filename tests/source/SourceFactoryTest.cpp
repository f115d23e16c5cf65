// source::chooseSource against the simulator: configured APIs are taken as asked, auto counts the
// records (one SELECT COUNT() call) and compares with the threshold, and a query whose REST URL
// would pass kRestUriLimit goes to Bulk without asking anything.
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/source/SourceFactory.h"

namespace sfsync::source {
namespace {

class SourceFactoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    client_ = salesforce::makeHttpClient(testing::simConnection(sim_),
                                         std::make_shared<testing::FakeClock>());
  }

  Result<SourceChoice> choose(ApiChoice api, std::int64_t threshold, const std::string& soql) {
    SourceOptions options;
    options.api = api;
    options.bulkThreshold = threshold;
    return chooseSource(*client_, options, soql, "SELECT COUNT() FROM Account");
  }

  sim::SimServer sim_;
  salesforce::SalesforceClientPtr client_;
};

TEST_F(SourceFactoryTest, ConfiguredApisAreTakenWithoutCounting) {
  const std::int64_t before = sim_.queryRequests();
  Result<SourceChoice> rest = choose(ApiChoice::kRest, 0, "SELECT Id FROM Account");
  Result<SourceChoice> bulk = choose(ApiChoice::kBulk, 1000000, "SELECT Id FROM Account");
  ASSERT_TRUE(rest.ok() && bulk.ok());
  EXPECT_STREQ(rest->source->api(), "rest");
  EXPECT_STREQ(bulk->source->api(), "bulk");
  EXPECT_EQ(sim_.queryRequests(), before);
}

TEST_F(SourceFactoryTest, AutoComparesTheCountWithTheThreshold) {
  const auto accounts = static_cast<std::int64_t>(sim_.recordCount("Account"));
  Result<SourceChoice> at = choose(ApiChoice::kAuto, accounts, "SELECT Id FROM Account");
  Result<SourceChoice> above = choose(ApiChoice::kAuto, accounts - 1, "SELECT Id FROM Account");
  ASSERT_TRUE(at.ok()) << at.status().toString();
  ASSERT_TRUE(above.ok()) << above.status().toString();
  EXPECT_STREQ(at->source->api(), "rest");
  EXPECT_STREQ(above->source->api(), "bulk");
  EXPECT_NE(above->reason.find(std::to_string(accounts) + " records > bulkThreshold"),
            std::string::npos)
      << above->reason;
}

TEST_F(SourceFactoryTest, AnExhaustedBudgetFailsTheChoiceInsteadOfGuessing) {
  sim_.setApiLimit(10, 11);  // 403 REQUEST_LIMIT_EXCEEDED
  Result<SourceChoice> choice = choose(ApiChoice::kAuto, 1, "SELECT Id FROM Account");
  ASSERT_FALSE(choice.ok());
  EXPECT_EQ(choice.status().remoteCode(), salesforce::kRequestLimitExceeded);
}

TEST_F(SourceFactoryTest, AQueryTooWideForARestUrlGoesToBulk) {
  std::string soql = "SELECT Id";
  for (int i = 0; restQueryUrlLength(soql + " FROM Account") <= kRestUriLimit; ++i) {
    soql += ", Field_Number_" + std::to_string(i) + "__c";
  }
  soql += " FROM Account";
  const std::int64_t before = sim_.dataRequests();
  Result<SourceChoice> choice = choose(ApiChoice::kRest, 1000000, soql);
  ASSERT_TRUE(choice.ok());
  EXPECT_STREQ(choice->source->api(), "bulk");
  EXPECT_NE(choice->reason.find("REST query URL would be"), std::string::npos) << choice->reason;
  EXPECT_EQ(sim_.dataRequests(), before);  // decided without a call
  // Just under the limit stays on REST.
  EXPECT_LE(restQueryUrlLength("SELECT Id, Name FROM Account"), kRestUriLimit);
}

}  // namespace
}  // namespace sfsync::source
