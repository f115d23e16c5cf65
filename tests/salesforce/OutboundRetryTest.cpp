// Issue 13: a create (POST /composite/sobjects) whose answer was lost is not resent - the client
// answers kUnavailable with remote code OUTCOME_UNKNOWN after one request, and Salesforce holds the
// record once - while an update (PATCH, idempotent) whose answer was lost is retried and succeeds.
// Against the simulator, which carries the request out and then closes the connection unanswered.
#include <gtest/gtest.h>

#include <chrono>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {
namespace {

class OutboundRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    client_ = makeHttpClient(sfsync::testing::simConnection(sim_), clock_);
    ASSERT_TRUE(client_->authenticate().ok());
    // A first call, so the create goes out on a reused (kept-alive) connection: the case where the
    // transport would otherwise resend a request that got no answer.
    ASSERT_TRUE(client_->describe("Account").ok());
  }

  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
  sim::SimServer sim_;
  SalesforceClientPtr client_;
};

TEST_F(OutboundRetryTest, CreateWhoseAnswerWasLostIsNotResent) {
  const std::size_t before = sim_.recordCount("Account");
  sim_.dropCollectionsAnswerOnce();
  OutboundRecord record;
  record.fields.emplace_back("Name", Value{std::string("Once Only")});
  Result<std::vector<WriteResult>> r =
      client_->outbound()->write(WriteOperation::kCreate, "Account", "", {record});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().remoteCode(), kOutcomeUnknown) << r.status().toString();
  EXPECT_EQ(sim_.collectionCalls(), 1) << "one POST, not repeated";
  EXPECT_EQ(sim_.recordCount("Account"), before + 1) << "Salesforce carried it out once";
  EXPECT_TRUE(clock_->sleeps().empty()) << "no backoff: nothing is retried";
}

TEST_F(OutboundRetryTest, CreateAnsweredWithAServerErrorIsNotRetried) {
  sim_.fail500Once(1);
  OutboundRecord record;
  record.fields.emplace_back("Name", Value{std::string("Maybe")});
  Result<std::vector<WriteResult>> r =
      client_->outbound()->write(WriteOperation::kCreate, "Account", "", {record});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().remoteCode(), kOutcomeUnknown) << r.status().toString();
}

TEST_F(OutboundRetryTest, UpdateWhoseAnswerWasLostIsRetried) {
  const std::string id = sim_.insertRecord("Account", R"({"Name":"Before"})");
  sim_.dropCollectionsAnswerOnce();
  OutboundRecord record;
  record.id = id;
  record.fields.emplace_back("Name", Value{std::string("After")});
  Result<std::vector<WriteResult>> r =
      client_->outbound()->write(WriteOperation::kUpdate, "Account", "", {record});
  ASSERT_TRUE(r.ok()) << r.status().toString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_TRUE((*r)[0].success);
  EXPECT_EQ(sim_.collectionCalls(), 2) << "the idempotent PATCH was sent again";
}

}  // namespace
}  // namespace sfsync::salesforce
