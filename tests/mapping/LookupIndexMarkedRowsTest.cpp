// LookupIndex::load leaves out rows marked deleted (onSourceDelete markDeleted): a Company whose
// Account was deleted is no lookup candidate; unmarked rows and tables without the mark load as
// before.
#include <gtest/gtest.h>

#include "fakes/TempDir.h"
#include "sfsync/mapping/LookupIndex.h"
#include "sfsync/store/Store.h"

namespace sfsync::mapping {
namespace {

class LookupIndexMarkedRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
  }

  void load(const std::string& table, bool withMark) {
    store::TableSpec spec{table, {{"SfdcAccountId", store::ColumnType::kText}}};
    std::vector<std::string> columns{"SfdcAccountId"};
    if (withMark) {
      spec.columns.push_back({store::kIsDeletedColumn, store::ColumnType::kBoolean});
      columns.push_back(store::kIsDeletedColumn);
    }
    ASSERT_TRUE(store_->ensureTable(spec, {"SfdcAccountId"}).ok());
    store::UpsertRequest request{table, columns, {"SfdcAccountId"}, false, {}};
    for (const char* id : {"A", "B", "C"}) {
      std::vector<Value> row{Value(std::string(id))};
      if (withMark) {
        if (std::string(id) == "A")
          row.emplace_back(true);
        else if (std::string(id) == "B")
          row.emplace_back(false);
        else
          row.emplace_back();
      }
      request.rows.push_back(row);
    }
    ASSERT_TRUE(store_->upsert(request).ok());
  }

  bool finds(const LookupIndex& index, const char* id) {
    Value v{std::string(id)};
    std::string key;
    return LookupIndex::makeKey({&v}, key) && index.find(key) != nullptr;
  }

  sfsync::testing::TempDir dir_;
  store::StorePtr store_;
};

TEST_F(LookupIndexMarkedRowsTest, MarkedRowsAreNoCandidates) {
  load("Company", true);
  Result<LookupIndex> index = LookupIndex::load(*store_, "Company", {"SfdcAccountId"});
  ASSERT_TRUE(index.ok()) << index.status().toString();
  EXPECT_FALSE(finds(*index, "A"));  // IsDeleted true
  EXPECT_TRUE(finds(*index, "B"));   // false
  EXPECT_TRUE(finds(*index, "C"));   // null: never marked
}

TEST_F(LookupIndexMarkedRowsTest, TablesWithoutTheMarkLoadEveryRow) {
  load("Company", false);
  Result<LookupIndex> index = LookupIndex::load(*store_, "Company", {"SfdcAccountId"});
  ASSERT_TRUE(index.ok()) << index.status().toString();
  EXPECT_EQ(index->size(), 3u);
  Result<LookupIndex> absent = LookupIndex::load(*store_, "Nothing", {"SfdcAccountId"});
  ASSERT_TRUE(absent.ok()) << absent.status().toString();
  EXPECT_EQ(absent->size(), 0u);
}

}  // namespace
}  // namespace sfsync::mapping
