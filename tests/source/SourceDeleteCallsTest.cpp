// Delete detection through the Source interface (Source::deletedIds / Source::listIds) of the
// Salesforce sources, against the simulator: the incremental window answered from
// sobjects/{Object}/deleted (with where its coverage ended), a window older than the recycle bin or
// without a usable start left unanswered (the caller compares Id sets), the object's Ids listed and
// narrowed by a filter, the listing following the source's REST-or-Bulk options, and
// PrefetchingSource forwarding both calls.
#include <gtest/gtest.h>

#include <algorithm>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/source/PrefetchingSource.h"
#include "sfsync/source/SourceFactory.h"

namespace sfsync::source {
namespace {

std::string accountId(int i) { return sim::SalesforceId::make("001", "DL", i); }

class SourceDeleteCallsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.setNowForTest("2026-01-10T12:00:00Z");
    sim_.clearObject("Account");
    for (int i = 1; i <= 6; ++i) {
      sim_.upsertRecord("Account", "{\"Id\":\"" + accountId(i) + "\",\"Name\":\"Acct " +
                                       std::to_string(i) + "\",\"IsDeleted\":false," +
                                       "\"SystemModstamp\":\"2026-01-01T00:00:00.000+0000\"}");
    }
    client_ = salesforce::makeHttpClient(testing::simConnection(sim_),
                                         std::make_shared<testing::FakeClock>());
  }

  // Every Id the call handed on, sorted.
  static IdSink collect(std::vector<std::string>* ids) {
    return [ids](const std::vector<std::string>& batch) {
      ids->insert(ids->end(), batch.begin(), batch.end());
      std::sort(ids->begin(), ids->end());
      return Status::OK();
    };
  }

  sim::SimServer sim_;
  salesforce::SalesforceClientPtr client_;
};

TEST_F(SourceDeleteCallsTest, DeletedIdsAnswersTheWindowFromTheDeleteFeed) {
  sim_.deleteRecord("Account", accountId(2));  // at 12:00
  SourcePtr source = makeRestSource(*client_);
  std::vector<std::string> ids;
  DeletedIdsAnswer answer;
  const std::int64_t before = sim_.dataRequests();
  Status s = source->deletedIds("Account", {"2026-01-10T11:00:00Z", "2026-01-10T13:00:00Z"},
                                collect(&ids), &answer);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_TRUE(answer.answered);
  EXPECT_EQ(ids, std::vector<std::string>{accountId(2)});
  // The feed covers up to the simulator's now (12:00), not the window's end.
  EXPECT_EQ(answer.checkedUpTo, "2026-01-10T12:00:00.000Z");
  EXPECT_EQ(sim_.dataRequests() - before, 1);  // one GET sobjects/Account/deleted
}

TEST_F(SourceDeleteCallsTest, AWindowTheFeedCannotAnswerIsLeftToTheComparison) {
  sim_.deleteRecord("Account", accountId(2));
  sim_.setEarliestDateAvailable("2026-01-10T11:58:00Z");
  SourcePtr source = makeBulkSource(*client_, std::chrono::seconds(60));
  std::vector<std::string> ids;
  DeletedIdsAnswer answer;
  Status s = source->deletedIds("Account", {"2026-01-10T11:00:00Z", "2026-01-10T13:00:00Z"},
                                collect(&ids), &answer);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_FALSE(answer.answered);  // older than the recycle bin
  EXPECT_TRUE(ids.empty());
  const std::int64_t before = sim_.dataRequests();
  s = source->deletedIds("Account", {"not a time", "2026-01-10T13:00:00Z"}, collect(&ids), &answer);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_FALSE(answer.answered);  // no usable start
  EXPECT_EQ(sim_.dataRequests(), before);
}

TEST_F(SourceDeleteCallsTest, ListIdsStreamsTheObjectsIdsNarrowedByAFilter) {
  sim_.deleteRecord("Account", accountId(6));  // deleted records are not listed
  SourcePtr source = makeRestSource(*client_);
  std::vector<std::string> ids;
  Status s = source->listIds("Account", "", collect(&ids));
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(ids, (std::vector<std::string>{accountId(1), accountId(2), accountId(3), accountId(4),
                                           accountId(5)}));
  ids.clear();
  s = source->listIds("Account", "Name = 'Acct 3'", collect(&ids));
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(ids, std::vector<std::string>{accountId(3)});
}

TEST_F(SourceDeleteCallsTest, ListIdsFollowsTheSourcesRestOrBulkOptions) {
  SourceOptions bulk;
  bulk.api = ApiChoice::kBulk;
  SourcePtr source = makeRestSource(*client_, bulk);  // extracts over REST, lists through Bulk
  sim_.failNextBulkJob("boom");                       // proves the Ids come through a Bulk job
  std::vector<std::string> ids;
  Status s = source->listIds("Account", "", collect(&ids));
  EXPECT_EQ(s.remoteCode(), salesforce::kBulkJobFailed) << s.toString();
  s = source->listIds("Account", "", collect(&ids));  // the next job completes
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(ids.size(), 6u);
}

TEST_F(SourceDeleteCallsTest, PrefetchingSourceForwardsTheDeleteCalls) {
  sim_.deleteRecord("Account", accountId(4));
  PrefetchingSource source(makeRestSource(*client_), nullptr);
  std::vector<std::string> deleted, listed;
  DeletedIdsAnswer answer;
  Status s = source.deletedIds("Account", {"2026-01-10T11:00:00Z", "2026-01-10T13:00:00Z"},
                               collect(&deleted), &answer);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_TRUE(answer.answered);
  EXPECT_EQ(deleted, std::vector<std::string>{accountId(4)});
  s = source.listIds("Account", "", collect(&listed));
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(listed.size(), 5u);
}

}  // namespace
}  // namespace sfsync::source
