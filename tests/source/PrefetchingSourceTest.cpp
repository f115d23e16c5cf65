// PrefetchingSource over a REST source against the simulator: the same pages in the same order as
// without prefetching, and a failing page handler stops the fetching (at most two pages ahead).
#include <gtest/gtest.h>

#include <stdexcept>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/source/PrefetchingSource.h"
#include "sfsync/source/SourceFactory.h"

namespace sfsync::source {
namespace {

class PrefetchingSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.generateAccounts(2000);
    sim_.setBatchSize(200);
    client_ = salesforce::makeHttpClient(testing::simConnection(sim_),
                                         std::make_shared<testing::FakeClock>());
    request_.object = "Account";
    request_.columns = {"Id", "Name", "SystemModstamp"};
    request_.soql = "SELECT Id, Name, SystemModstamp FROM Account ORDER BY SystemModstamp, Id";
  }

  // Every page as "index:first Id:rows".
  std::vector<std::string> pages(Source& source) {
    std::vector<std::string> seen;
    Status s = source.extract(request_, [&](salesforce::RecordPage& page) {
      seen.push_back(std::to_string(page.pageIndex) + ":" + valueToText(page.rows.front()[0]) +
                     ":" + std::to_string(page.rows.size()) + ":" + page.columns[1]);
      return Status::OK();
    });
    EXPECT_TRUE(s.ok()) << s.toString();
    return seen;
  }

  sim::SimServer sim_;
  salesforce::SalesforceClientPtr client_;
  ExtractRequest request_;
};

TEST_F(PrefetchingSourceTest, DeliversThePagesOfThePlainSourceInOrder) {
  std::vector<std::string> plain = pages(*makeRestSource(*client_));
  int observed = 0;
  PrefetchingSource prefetching(makeRestSource(*client_),
                                [&](const salesforce::RecordPage&) { ++observed; });
  std::vector<std::string> prefetched = pages(prefetching);
  EXPECT_EQ(plain.size(), (sim_.recordCount("Account") + 199) / 200);
  EXPECT_EQ(prefetched, plain);
  EXPECT_EQ(observed, static_cast<int>(plain.size()));
}

TEST_F(PrefetchingSourceTest, AFailingHandlerStopsTheFetching) {
  PrefetchingSource prefetching(makeRestSource(*client_), nullptr);
  const std::int64_t before = sim_.queryRequests();
  int handled = 0;
  Status s = prefetching.extract(request_, [&](salesforce::RecordPage&) {
    ++handled;
    return Status::IoError("disk full");
  });
  EXPECT_EQ(s.code(), StatusCode::kIoError) << s.toString();
  EXPECT_EQ(handled, 1);
  EXPECT_LE(sim_.queryRequests() - before, 3);  // the failed page and at most two ahead
}

TEST_F(PrefetchingSourceTest, AThrowingHandlerIsAnErrorNotATerminate) {
  PrefetchingSource prefetching(makeRestSource(*client_), nullptr);
  int handled = 0;
  Status s = prefetching.extract(request_, [&](salesforce::RecordPage&) -> Status {
    if (++handled == 2) throw std::runtime_error("mapping blew up");
    return Status::OK();
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.toString();
  EXPECT_NE(s.message().find("mapping blew up"), std::string::npos) << s.toString();
  EXPECT_EQ(handled, 2);
}

TEST_F(PrefetchingSourceTest, TheFetchErrorIsReturnedAfterTheFetchedPagesLoaded) {
  sim_.expireQueryLocatorsAfterPages(3);
  PrefetchingSource prefetching(makeRestSource(*client_), nullptr);
  int handled = 0;
  Status s = prefetching.extract(request_, [&](salesforce::RecordPage&) {
    ++handled;
    return Status::OK();
  });
  EXPECT_EQ(s.remoteCode(), "INVALID_QUERY_LOCATOR") << s.toString();
  EXPECT_EQ(handled, 3);
}

}  // namespace
}  // namespace sfsync::source
