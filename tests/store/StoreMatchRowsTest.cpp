// Conformance: Store::matchRows (dry runs, issue 16) - per key the matching rows with the asked
// columns (gsid included, typed, a column the table lacks read as null), several matches per key,
// null keys and missing tables / key columns matching nothing, skipDeleted leaving out marked rows.
#include <gtest/gtest.h>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

class StoreMatchRowsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store()
                    .ensureTable(tableSpec("Item", {col("K"), col("N", ColumnType::kInteger),
                                                    col(kIsDeletedColumn, ColumnType::kBoolean)}),
                                 {"K"})
                    .ok());
    items_ = upsertOk(request("Item", {"K", "N", kIsDeletedColumn}, {"N"},
                              {{text("a"), integer(1), Value(false)},
                               {text("b"), integer(2), Value(false)},
                               {text("b"), integer(3), Value(true)}}));
  }

  std::vector<RowOutcome> items_;
};

TEST_P(StoreMatchRowsTest, RowsPerKeyWithTypedColumns) {
  auto found = store().matchRows("Item", {"K"}, {{text("a")}, {text("b")}, {text("zz")}, {Value{}}},
                                 {"gsid", "N", "Missing"}, false);
  ASSERT_TRUE(found.ok()) << found.status().toString();
  ASSERT_EQ(found->size(), 4u);
  ASSERT_EQ((*found)[0].size(), 1u);
  EXPECT_EQ((*found)[0][0][0], Value(items_[0].gsid));
  EXPECT_EQ((*found)[0][0][1], integer(1));
  EXPECT_TRUE(isNull((*found)[0][0][2]));  // a column the table lacks
  EXPECT_EQ((*found)[1].size(), 2u);       // both b rows
  EXPECT_TRUE((*found)[2].empty());
  EXPECT_TRUE((*found)[3].empty());  // a null key matches nothing
}

TEST_P(StoreMatchRowsTest, SkipDeletedAndMissingTablesOrColumns) {
  auto live = store().matchRows("Item", {"K"}, {{text("b")}}, {"N"}, true);
  ASSERT_TRUE(live.ok());
  ASSERT_EQ((*live)[0].size(), 1u);
  EXPECT_EQ((*live)[0][0][0], integer(2));
  auto noTable = store().matchRows("Nope", {"K"}, {{text("a")}}, {"gsid"}, false);
  ASSERT_TRUE(noTable.ok());
  EXPECT_TRUE((*noTable)[0].empty());
  auto noColumn = store().matchRows("Item", {"Other"}, {{text("a")}}, {"gsid"}, false);
  ASSERT_TRUE(noColumn.ok());
  EXPECT_TRUE((*noColumn)[0].empty());
  EXPECT_FALSE(store().matchRows("Item", {"K"}, {{text("a"), text("x")}}, {"gsid"}, false).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreMatchRowsTest, ::testing::ValuesIn(storeBackends()));

}  // namespace
}  // namespace sfsync::store::testing
