// Conformance: the set-based operations of the source-delete policies - scratch Id sets, RowFilter
// (in / not in a set, unmarked rows only), countWhere / selectWhere / deleteWhere / updateWhere,
// adding and removing a column's values to a set, eraseState, and that all of it joins (and rolls
// back with) transaction().
#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

using ::testing::ElementsAre;

// The value of a count, or -1 when the call failed.
std::int64_t n(const Result<std::int64_t>& r) { return r.ok() ? *r : -1; }

class StoreRowSetsTest : public StoreTest {
 protected:
  bool hasState(const std::string& key) {
    auto v = store().getState(key);
    return v.ok() && v->has_value();
  }

  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store()
                    .ensureTable(tableSpec("Link", {col("K"), col("SfId"), col("PersonId"),
                                                    col(kIsDeletedColumn, ColumnType::kBoolean),
                                                    col(kDeletedAtColumn, ColumnType::kDateTime)}),
                                 {"SfId"})
                    .ok());
    links_ = upsertOk(request("Link", {"K", "SfId", "PersonId"}, {"K"},
                              {{text("1"), text("a"), text("p1")},
                               {text("2"), text("b"), text("p1")},
                               {text("3"), text("c"), text("p2")},
                               {text("4"), Value{}, text("p3")}}));
  }

  std::string idSet(const std::vector<std::string>& ids) {
    Result<std::string> set = store().createIdSet();
    EXPECT_TRUE(set.ok()) << set.status().toString();
    EXPECT_TRUE(store().addToIdSet(*set, ids).ok());
    return set.ok() ? *set : std::string();
  }

  std::vector<std::string> sfIds(const RowFilter& where) {
    auto rows = store().selectWhere("Link", {"SfId"}, where);
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    std::vector<std::string> out;
    if (!rows.ok()) return {};
    for (const Row& r : *rows) out.push_back(valueToText(r[0]));
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<RowOutcome> links_;
};

TEST_P(StoreRowSetsTest, FiltersRowsInAndNotInASet) {
  const std::string set = idSet({"a", "c", "zz", "a"});
  EXPECT_EQ(n(store().countWhere("Link", {"SfId", set, true, false})), 2);
  EXPECT_THAT(sfIds({"SfId", set, true, false}), ElementsAre("a", "c"));
  // Not in the set: nulls included.
  EXPECT_EQ(n(store().countWhere("Link", {"SfId", set, false, false})), 2);
  EXPECT_THAT(sfIds({"SfId", set, false, false}), ElementsAre("", "b"));
  EXPECT_EQ(n(store().countWhere("Link", {})), 4);
  EXPECT_EQ(n(store().countWhere("No such table", {})), 0);
}

TEST_P(StoreRowSetsTest, MarksOnceAndUnmarkedOnlySkipsMarkedRows) {
  const std::string set = idSet({"a", "b"});
  const Row mark{Value{true}, text("2026-01-01T00:00:00.000Z")};
  auto marked = store().updateWhere("Link", {kIsDeletedColumn, kDeletedAtColumn}, mark,
                                    {"SfId", set, true, true});
  ASSERT_TRUE(marked.ok()) << marked.status().toString();
  EXPECT_EQ(*marked, 2);
  EXPECT_EQ(n(store().updateWhere("Link", {kIsDeletedColumn, kDeletedAtColumn}, mark,
                                  {"SfId", set, true, true})),
            0);  // already marked
  EXPECT_EQ(n(store().countWhere("Link", {"", "", true, true})), 2);
  // An upsert that writes IsDeleted = false clears the mark.
  upsertOk(request("Link", {"K", kIsDeletedColumn, kDeletedAtColumn}, {"K"},
                   {{text("1"), Value{false}, Value{}}}));
  EXPECT_THAT(sfIds({"", "", true, true}), ElementsAre("", "a", "c"));
}

TEST_P(StoreRowSetsTest, DeletesOnlyTheMatchingRows) {
  const std::string set = idSet({"b", "c"});
  auto deleted = store().deleteWhere("Link", {"SfId", set, true, false});
  ASSERT_TRUE(deleted.ok()) << deleted.status().toString();
  EXPECT_EQ(*deleted, 2);
  EXPECT_THAT(sfIds({}), ElementsAre("", "a"));
}

TEST_P(StoreRowSetsTest, AddsAndRemovesAColumnsValues) {
  // Persons linked from deleted links, minus those another link still refers to.
  const std::string deleted = idSet({"a", "c"});
  const std::string persons = idSet({});
  EXPECT_EQ(
      n(store().addColumnToIdSet(persons, "Link", "PersonId", {"SfId", deleted, true, false})),
      2);  // p1, p2
  EXPECT_EQ(
      n(store().removeColumnFromIdSet(persons, "Link", "PersonId", {"SfId", deleted, false, true})),
      1);  // p1 (still linked from b)
  auto rows = store().selectWhere("Link", {"PersonId"}, {"PersonId", persons, true, false});
  ASSERT_TRUE(rows.ok()) << rows.status().toString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(valueToText((*rows)[0][0]), "p2");
  EXPECT_TRUE(store().dropIdSet(persons).ok());
  EXPECT_EQ(store().countWhere("Link", {"PersonId", persons, true, false}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(StoreRowSetsTest, RejectsUnknownColumnsAndSets) {
  EXPECT_EQ(store().countWhere("Link", {"Nope", idSet({}), true, false}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().countWhere("Link", {"SfId", "sfsync_idset_999", true, false}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().addToIdSet("x; DROP TABLE Link", {"a"}).code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreRowSetsTest, JoinsTheTransactionAndRollsBackWithIt) {
  const std::string set = idSet({"a", "b", "c"});
  ASSERT_TRUE(store().putState("k", "v").ok());
  Status s = store().transaction([&]() -> Status {
    Result<std::int64_t> n = store().deleteWhere("Link", {"SfId", set, true, false});
    if (!n.ok()) return n.status();
    Status erased = store().eraseState("k");
    if (!erased.ok()) return erased;
    return Status::DataError("breaker");
  });
  EXPECT_EQ(s.code(), StatusCode::kDataError);
  EXPECT_EQ(n(store().countWhere("Link", {})), 4);
  EXPECT_TRUE(hasState("k"));
  ASSERT_TRUE(store().eraseState("k").ok());
  EXPECT_FALSE(hasState("k"));
  EXPECT_TRUE(store().eraseState("k").ok());  // absent: fine
}

TEST_P(StoreRowSetsTest, ManyIdsGoInBatches) {
  std::vector<std::string> ids;
  for (int i = 0; i < 1234; ++i) ids.push_back("id" + std::to_string(i));
  ids.push_back("a");
  const std::string set = idSet(ids);
  EXPECT_EQ(n(store().countWhere("Link", {"SfId", set, true, false})), 1);
  EXPECT_EQ(n(store().countWhere("Link", {"SfId", set, false, false})), 3);
}

// SQLite keeps scratch sets in a file of its own next to the database (with its rollback journal):
// gone when the store closes, and a dead process's files are removed by the next open.
class SqliteScratchFilesTest : public ::testing::Test {
 protected:
  std::vector<std::string> scratchFiles() {
    std::vector<std::string> out;
    for (Poco::DirectoryIterator it(dir_.path()), end; it != end; ++it) {
      if (it.name().find(".scratch-") != std::string::npos) out.push_back(it.name());
    }
    return out;
  }
  TempDir dir_;
};

TEST_F(SqliteScratchFilesTest, ScratchFilesGoWithTheirStore) {
  // A process that no longer runs (pids stay below 2^22 on Linux) left its file behind.
  const std::string stale = dir_.path() + "/sfsync.db.scratch-999999999-1";
  { std::ofstream(stale) << "x"; }
  {
    Result<StorePtr> store = openSqliteStore(dir_.path() + "/sfsync.db");
    ASSERT_TRUE(store.ok()) << store.status().toString();
    EXPECT_FALSE(Poco::File(stale).exists());
    Result<std::string> set = (*store)->createIdSet();
    ASSERT_TRUE(set.ok()) << set.status().toString();
    ASSERT_TRUE((*store)->addToIdSet(*set, {"a", "b"}).ok());
    // The scratch database, and at most its (on-disk, truncated) rollback journal.
    const std::vector<std::string> files = scratchFiles();
    EXPECT_EQ(std::count_if(files.begin(), files.end(),
                            [](const std::string& f) {
                              return f.size() < 8 || f.compare(f.size() - 8, 8, "-journal") != 0;
                            }),
              1);
    EXPECT_LE(files.size(), 2u);
  }
  EXPECT_TRUE(scratchFiles().empty());  // the journal goes with it
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreRowSetsTest, ::testing::ValuesIn(storeBackends()));

}  // namespace
}  // namespace sfsync::store::testing
