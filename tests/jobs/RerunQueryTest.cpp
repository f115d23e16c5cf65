// RerunQuery (issue 16): the job's query restricted to failed Ids, in batches of at most 200 Ids
// and under the URL budget.
#include <gtest/gtest.h>

#include "jobs/RerunQuery.h"

namespace sfsync::jobs {
namespace {

std::vector<std::string> makeIds(int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    std::string id = "001000000000" + std::to_string(100000 + i);
    ids.push_back(id.substr(0, 15) + "AAA");
  }
  return ids;
}

std::size_t countIds(const std::string& soql) {
  std::size_t n = 0;
  for (std::size_t at = soql.find("'001"); at != std::string::npos;
       at = soql.find("'001", at + 1)) {
    ++n;
  }
  return n;
}

TEST(RerunQueryTest, KeepsTheJobsFieldsAndFilterAndQuotesTheIds) {
  config::JobConfig job;
  job.sourceObject = "Account";
  job.filter = "IsDeleted = false";
  const std::vector<std::string> soql =
      RerunQuery::batches(job, {"Id", "Name"}, {"001A", "001B'x"});
  ASSERT_EQ(soql.size(), 1u);
  EXPECT_EQ(
      soql[0],
      "SELECT Id, Name FROM Account WHERE (IsDeleted = false) AND (Id IN ('001A','001B\\'x')) "
      "ORDER BY Id");
  EXPECT_TRUE(RerunQuery::batches(job, {"Id"}, {}).empty());
}

TEST(RerunQueryTest, SplitsIntoBatchesOfAtMost200Ids) {
  config::JobConfig job;
  job.sourceObject = "Contact";
  const std::vector<std::string> ids = makeIds(450);
  const std::vector<std::string> soql = RerunQuery::batches(job, {"Id"}, ids);
  ASSERT_EQ(soql.size(), 3u);
  EXPECT_EQ(countIds(soql[0]), 200u);
  EXPECT_EQ(countIds(soql[1]), 200u);
  EXPECT_EQ(countIds(soql[2]), 50u);
  EXPECT_NE(soql[2].find("'" + ids.back() + "'"), std::string::npos);
}

TEST(RerunQueryTest, ShrinksABatchThatWouldNotFitTheUrl) {
  config::JobConfig job;
  job.sourceObject = "Contact";
  const std::vector<std::string> ids = makeIds(200);
  const std::vector<std::string> soql = RerunQuery::batches(job, {"Id"}, ids, 200, 2000);
  EXPECT_GT(soql.size(), 1u);
  std::size_t total = 0;
  for (const std::string& s : soql) {
    total += countIds(s);
    EXPECT_LT(s.size(), 2000u);
  }
  EXPECT_EQ(total, 200u);
}

}  // namespace
}  // namespace sfsync::jobs
