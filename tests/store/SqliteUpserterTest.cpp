// SQLite only: how the set-based upsert (SqliteUpserter) writes a page into a table that has
// triggers of its own. A trigger's statement that SQLite refuses must undo its row, as it does
// when rows are written one at a time (the page's writes keep ABORT there, see SqliteUpserter.h).
// A trigger also shows the order of the writes, which tells the set-based path from the per-row
// one.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "fakes/TempDir.h"
#include "sfsync/store/Store.h"

namespace sfsync::store {
namespace {

// Runs `sql` on a second connection to the store's file (an admin's own trigger); "" when done.
std::string execElsewhere(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) error = "cannot open " + path;
  char* message = nullptr;
  if (error.empty() && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    error = message != nullptr ? message : "failed";
  }
  sqlite3_free(message);
  sqlite3_close(db);
  return error;
}

// A store with the table Typed (K INTEGER, the key, and I INTEGER).
class SqliteUpserterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<StorePtr> opened = openSqliteStore(path_);
    ASSERT_TRUE(opened.ok()) << opened.status().toString();
    opened_ = std::move(opened).value();
    TableSpec spec{"Typed", {{"K", ColumnType::kInteger}, {"I", ColumnType::kInteger}}};
    ASSERT_TRUE(store().ensureTable(spec, {"K"}).ok());
  }
  Store& store() { return *opened_; }

  sfsync::testing::TempDir dir_;
  const std::string path_ = dir_.file("sfsync.db");
  StorePtr opened_;
};

TEST_F(SqliteUpserterTest, ARowWhoseTriggerFailsIsRejectedAndLeavesNothing) {
  ASSERT_EQ(execElsewhere(path_,
                          "CREATE TABLE audit (k INTEGER CHECK (k <> 13));"
                          "CREATE TRIGGER typed_audit AFTER INSERT ON Typed "
                          "BEGIN INSERT INTO audit VALUES (NEW.K); END;"),
            "");

  UpsertRequest request{"Typed", {"K", "I"}, {"K"}, false, {}};
  for (std::int64_t k = 0; k < 20; ++k) request.rows.push_back({Value{k}, Value{k * 10}});
  Result<std::vector<RowOutcome>> out = store().upsert(request);
  ASSERT_TRUE(out.ok()) << out.status().toString();
  ASSERT_EQ(out->size(), 20u);
  for (std::size_t k = 0; k < out->size(); ++k) {
    SCOPED_TRACE(k);
    if (k == 13) {
      EXPECT_EQ((*out)[k].action, RowAction::kRejected);
      EXPECT_EQ((*out)[k].reasonCode, "LOAD_FAILED");
    } else {
      EXPECT_EQ((*out)[k].action, RowAction::kCreated);
    }
  }
  Result<std::int64_t> rows = store().count("Typed");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 19);
  Result<std::vector<Row>> thirteen =
      store().select("Typed", {"I"}, {{"K", Value{std::int64_t{13}}}});
  ASSERT_TRUE(thirteen.ok());
  EXPECT_TRUE(thirteen->empty());  // the refused row is not in the table
}

// A key repeated within a page sends only its later rows one at a time: the page's other new rows
// still go in by one INSERT ... SELECT, before the repeat's update (the per-row path would write
// in request order). The results are the per-row path's.
TEST_F(SqliteUpserterTest, ARepeatedKeyGoesRowByRowAfterTheRestOfThePage) {
  ASSERT_EQ(execElsewhere(path_,
                          "CREATE TABLE writes (n INTEGER PRIMARY KEY, what TEXT);"
                          "CREATE TRIGGER typed_i AFTER INSERT ON Typed BEGIN "
                          "INSERT INTO writes (what) VALUES ('insert ' || NEW.K); END;"
                          "CREATE TRIGGER typed_u AFTER UPDATE ON Typed BEGIN "
                          "INSERT INTO writes (what) VALUES ('update ' || NEW.K); END;"),
            "");

  UpsertRequest request{"Typed", {"K", "I"}, {"K"}, false, {}};
  for (std::int64_t k : {1, 2, 1, 3, 1}) {
    request.rows.push_back({Value{k}, Value{static_cast<std::int64_t>(request.rows.size())}});
  }
  Result<std::vector<RowOutcome>> out = store().upsert(request);
  ASSERT_TRUE(out.ok()) << out.status().toString();
  const std::vector<RowAction> expected = {RowAction::kCreated, RowAction::kCreated,
                                           RowAction::kUpdated, RowAction::kCreated,
                                           RowAction::kUpdated};
  ASSERT_EQ(out->size(), expected.size());
  for (std::size_t r = 0; r < expected.size(); ++r) {
    EXPECT_EQ((*out)[r].action, expected[r]) << r;
  }
  EXPECT_EQ((*out)[2].gsid, (*out)[0].gsid);
  EXPECT_EQ((*out)[4].gsid, (*out)[0].gsid);
  Result<std::vector<Row>> one = store().select("Typed", {"I"}, {{"K", Value{std::int64_t{1}}}});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0][0], Value{std::int64_t{4}});  // the last row with key 1 wins

  std::string order;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT what FROM writes ORDER BY n", -1, &stmt, nullptr),
            SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    order += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)) + std::string(";");
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_EQ(order, "insert 1;insert 2;insert 3;update 1;update 1;");
}

}  // namespace
}  // namespace sfsync::store
