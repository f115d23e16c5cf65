// Load throughput (disabled by default; prints, asserts nothing about time):
//   store_tests --gtest_also_run_disabled_tests --gtest_filter='*Bench*'
// Upserts 200,000 rows x 10 columns in 2,000-row requests into a fresh store: a fresh-insert pass,
// then an update pass over the same keys. Two rounds, each in a fresh file (the first includes
// first-touch costs of fresh memory).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

constexpr int kRows = 200000;
constexpr int kBatch = 2000;

class StoreBenchTest : public StoreTest {};

std::vector<std::vector<Value>> makeRows(int first, int n, int pass) {
  std::vector<std::vector<Value>> rows;
  rows.reserve(static_cast<std::size_t>(n));
  for (int i = first; i < first + n; ++i) {
    char id[24];
    std::snprintf(id, sizeof id, "001%015d", i);
    rows.push_back({Value{std::string(id)}, Value{"Account name " + std::to_string(i)},
                    Value{std::string("Industry ") + static_cast<char>('A' + i % 20)},
                    Value{static_cast<std::int64_t>(i * 7 + pass)}, Value{i * 1.25 + pass},
                    Value{(i + pass) % 2 == 0}, Value{std::string("2026-11-23")},
                    Value{std::string("2026-11-23T10:30:00.000Z")},
                    Value{"https://example.com/" + std::to_string(i)},
                    Value{"Some longer description text for row " + std::to_string(i)}});
  }
  return rows;
}

double runPass(Store& store, int pass, RowAction expected) {
  const std::vector<std::string> columns = {"Id",      "Name",       "Industry", "Employees",
                                            "Revenue", "Active",     "Founded",  "Modified",
                                            "Website", "Description"};
  std::chrono::steady_clock::duration total{};
  for (int first = 0; first < kRows; first += kBatch) {
    UpsertRequest r = request("Account", columns, {"Id"}, makeRows(first, kBatch, pass));
    const auto start = std::chrono::steady_clock::now();
    Result<std::vector<RowOutcome>> out = store.upsert(r);
    total += std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(out.ok()) << out.status().toString();
    if (!out.ok()) return 0;
    EXPECT_EQ((*out)[0].action, expected);
  }
  return kRows / std::chrono::duration<double>(total).count();
}

TEST_P(StoreBenchTest, DISABLED_Bench200kRowsIn2kRequests) {
  for (int round = 1; round <= 2; ++round) {
    TempDir dir;
    Result<StorePtr> opened = openBackend(GetParam(), dir.path());
    ASSERT_TRUE(opened.ok()) << opened.status().toString();
    Store& store = **opened;
    ASSERT_TRUE(store
                    .ensureTable(tableSpec("Account", {col("Id"), col("Name"), col("Industry"),
                                                       col("Employees", ColumnType::kInteger),
                                                       col("Revenue", ColumnType::kReal),
                                                       col("Active", ColumnType::kBoolean),
                                                       col("Founded", ColumnType::kDate),
                                                       col("Modified", ColumnType::kDateTime),
                                                       col("Website"), col("Description")}),
                                 {"Id"})
                    .ok());
    const double insert = runPass(store, 0, RowAction::kCreated);
    const double update = runPass(store, 1, RowAction::kUpdated);
    std::printf(
        "[%s round %d] %d rows x 10 columns, %d-row requests: insert %.0f rows/s, "
        "update %.0f rows/s (upsert() time only)\n",
        GetParam().c_str(), round, kRows, kBatch, insert, update);
    EXPECT_EQ(*store.count("Account"), kRows);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreBenchTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
