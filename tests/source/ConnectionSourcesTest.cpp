// source::makeSalesforceSources against the simulator: the per-connection source factory of a run
// describes through the client, opens REST or Bulk by the request's options (auto: one
// SELECT COUNT()), and reports the client's calls as its usage.
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/source/ConnectionSources.h"

namespace sfsync::source {
namespace {

class ConnectionSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    client_ = salesforce::makeHttpClient(testing::simConnection(sim_),
                                         std::make_shared<testing::FakeClock>());
    sources_ = makeSalesforceSources(*client_);
  }

  sim::SimServer sim_;
  salesforce::SalesforceClientPtr client_;
  ConnectionSourcesPtr sources_;
};

TEST_F(ConnectionSourcesTest, SalesforceDescribesOpensAndCounts) {
  EXPECT_STREQ(sources_->type(), "salesforce");
  Result<salesforce::ObjectDescribe> account = sources_->describe("Account");
  ASSERT_TRUE(account.ok()) << account.status().toString();
  EXPECT_NE(account->findField("Name"), nullptr);
  EXPECT_EQ(sources_->usage().calls, 1);
  EXPECT_FALSE(sources_->describe("NoSuchObject__c").ok());

  OpenRequest rest{"SELECT Id FROM Account", "SELECT COUNT() FROM Account", {}};
  rest.options.api = ApiChoice::kRest;
  Result<SourceChoice> opened = sources_->open(rest);
  ASSERT_TRUE(opened.ok()) << opened.status().toString();
  EXPECT_STREQ(opened->source->api(), "rest");
  EXPECT_EQ(opened->reason, "rest: configured");

  const std::int64_t before = sources_->usage().calls;
  OpenRequest automatic = rest;
  automatic.options.api = ApiChoice::kAuto;
  automatic.options.bulkThreshold = 0;  // any record: Bulk
  opened = sources_->open(automatic);
  ASSERT_TRUE(opened.ok()) << opened.status().toString();
  EXPECT_STREQ(opened->source->api(), "bulk");
  EXPECT_EQ(sources_->usage().calls, before + 1);  // the SELECT COUNT()
  EXPECT_EQ(sources_->usage().calls, client_->usage().calls);
}

}  // namespace
}  // namespace sfsync::source
