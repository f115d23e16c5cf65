// Full Id comparison at scale (disabled by default; prints, asserts only the counts):
//   store_tests --gtest_also_run_disabled_tests --gtest_filter='*RowSetsBench*'
// A target table of 1,000,000 rows (upsert key SfdcAccountId), the org's Ids streamed into a
// scratch set in 2,000-Id pages with 100 of them missing, then the deleted set is found with one
// statement and the rows removed with another - what SourceDeletes does on a full comparison.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

constexpr int kRows = 1000000;
constexpr int kPage = 2000;

std::string accountId(int i) {
  char id[24];
  std::snprintf(id, sizeof id, "001%015d", i);
  return id;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class StoreRowSetsBenchTest : public StoreTest {};

TEST_P(StoreRowSetsBenchTest, DISABLED_FullComparisonOf1MRows) {
  ASSERT_TRUE(
      store()
          .ensureTable(tableSpec("Company", {col("SfdcAccountId"), col("Name")}), {"SfdcAccountId"})
          .ok());
  for (int first = 0; first < kRows; first += kPage) {
    std::vector<std::vector<Value>> rows;
    for (int i = first; i < first + kPage; ++i) {
      rows.push_back({Value{accountId(i)}, Value{"Name " + std::to_string(i)}});
    }
    ASSERT_TRUE(store()
                    .upsert(request("Company", {"SfdcAccountId", "Name"}, {"SfdcAccountId"},
                                    std::move(rows)))
                    .ok());
  }
  auto start = std::chrono::steady_clock::now();
  Result<std::string> org = store().createIdSet();
  ASSERT_TRUE(org.ok());
  for (int first = 0; first < kRows; first += kPage) {
    std::vector<std::string> ids;
    for (int i = first; i < first + kPage; ++i) {
      if (i % 10000 != 7) ids.push_back(accountId(i));  // 100 deleted in the org
    }
    ASSERT_TRUE(store().addToIdSet(*org, ids).ok());
  }
  const double fill = secondsSince(start);
  start = std::chrono::steady_clock::now();
  Result<std::string> deleted = store().createIdSet();
  ASSERT_TRUE(deleted.ok());
  Result<std::int64_t> found = store().addColumnToIdSet(*deleted, "Company", "SfdcAccountId",
                                                        {"SfdcAccountId", *org, false, false});
  ASSERT_TRUE(found.ok()) << found.status().toString();
  EXPECT_EQ(*found, 100);
  const double compare = secondsSince(start);
  start = std::chrono::steady_clock::now();
  Result<std::int64_t> total = store().countWhere("Company", {"", "", true, true});
  Result<std::int64_t> removed =
      store().deleteWhere("Company", {"SfdcAccountId", *deleted, true, false});
  ASSERT_TRUE(removed.ok()) << removed.status().toString();
  EXPECT_EQ(*removed, 100);
  EXPECT_EQ(total.ok() ? *total : -1, kRows);
  std::printf("1M rows: fill org Id set %.2f s, find missing %.2f s, count + delete %.2f s\n", fill,
              compare, secondsSince(start));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreRowSetsBenchTest, ::testing::ValuesIn(storeBackends()));

}  // namespace
}  // namespace sfsync::store::testing
