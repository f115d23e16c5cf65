// SQLite only: sfsync_rows, the table-valued function through which the load path's set-based
// statements read a page of rows from memory (SqliteRowsTable).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "fakes/TempDir.h"
#include "store/SqliteDb.h"
#include "store/SqliteRowsTable.h"

namespace sfsync::store {
namespace {

using ::sfsync::testing::TempDir;

class SqliteRowsTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<SqliteDb>> opened = SqliteDb::open(dir_.file("rows.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    db_ = std::move(opened).value();
  }

  // Each result row of `sql` (its one parameter bound to `view`) as text, columns joined by '|',
  // NULL as "null", the storage class in brackets.
  std::vector<std::string> rowsOf(const std::string& sql, const RowsView& view) {
    Result<SqliteStatement> stmt = db_->prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status().message();
    if (!stmt.ok()) return {};
    EXPECT_EQ(SqliteRowsTable::bindRows(stmt->get(), 1, view), SQLITE_OK);
    std::vector<std::string> out;
    while (stmt->step() == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(stmt->get()); ++c) {
        if (c > 0) row += "|";
        const int type = sqlite3_column_type(stmt->get(), c);
        row += type == SQLITE_NULL ? "null"
                                   : stmt->columnText(c) + (type == SQLITE_INTEGER ? "[i]"
                                                            : type == SQLITE_FLOAT ? "[r]"
                                                                                   : "[t]");
      }
      out.push_back(row);
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(SqliteRowsTableTest, ListsThePickedRowsInOrderWithEveryValueType) {
  const std::vector<std::vector<Value>> rows = {
      {Value{std::string("a")}, Value{std::int64_t{1}}},
      {Value{std::string("b")}, Value{2.5}},
      {Value{}, Value{true}, Value{std::string("extra")}},
  };
  const std::vector<std::size_t> pick = {2, 0};
  const std::vector<std::string> gsids = {"g2", "g0"};
  EXPECT_EQ(
      rowsOf("SELECT i, g, c0, c1, c2 FROM sfsync_rows(?1)", {&rows, &pick, &gsids}),
      (std::vector<std::string>{"2[i]|g2[t]|null|1[i]|extra[t]", "0[i]|g0[t]|a[t]|1[i]|null"}));
  // Without gsids column g is NULL; a real keeps its storage class.
  const std::vector<std::size_t> second = {1};
  EXPECT_EQ(rowsOf("SELECT i, g, c0, c1 FROM sfsync_rows(?1)", {&rows, &second, nullptr}),
            (std::vector<std::string>{"1[i]|null|b[t]|2.5[r]"}));
}

TEST_F(SqliteRowsTableTest, WithoutAViewItListsNothing) {
  Result<SqliteStatement> all = db_->prepare("SELECT count(*) FROM sfsync_rows");
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->step(), SQLITE_ROW);
  EXPECT_EQ(all->columnInt64(0), 0);
  // A text where the view belongs is no view (SQLite hands out pointers only to their type).
  Result<SqliteStatement> text = db_->prepare("SELECT count(*) FROM sfsync_rows(?1)");
  ASSERT_TRUE(text.ok()) << text.status().message();
  ASSERT_EQ(text->bindText(1, "not a view"), SQLITE_OK);
  ASSERT_EQ(text->step(), SQLITE_ROW);
  EXPECT_EQ(text->columnInt64(0), 0);
  EXPECT_TRUE(rowsOf("SELECT i FROM sfsync_rows(?1)", RowsView{}).empty());
}

// Through joinOn, a join applies the table column's type to the listed value, as to a bound
// parameter, and searches the table's index once per listed row. Compared bare, the listed value
// keeps its type (BLOB affinity): 42 does not find '42'.
TEST_F(SqliteRowsTableTest, AJoinComparesAsABoundParameterWouldAndUsesTheIndex) {
  ASSERT_TRUE(db_->exec("CREATE TABLE t (k TEXT, v INTEGER) STRICT; CREATE INDEX tk ON t (k);"
                        "INSERT INTO t VALUES ('42', 1), ('x', 2);")
                  .ok());
  const std::vector<std::vector<Value>> keys = {
      {Value{std::int64_t{42}}}, {Value{std::string("y")}}, {Value{std::string("x")}}};
  const std::vector<std::size_t> pick = {0, 1, 2};
  const std::string join =
      "SELECT p.i, t.v FROM sfsync_rows(?1) AS p JOIN t ON " + SqliteRowsTable::joinOn({"k"}, {0});
  EXPECT_EQ(rowsOf(join, {&keys, &pick, nullptr}),
            (std::vector<std::string>{"0[i]|1[i]", "2[i]|2[i]"}));
  EXPECT_EQ(rowsOf("SELECT p.i, t.v FROM sfsync_rows(?1) AS p JOIN t ON t.k = p.c0",
                   {&keys, &pick, nullptr}),
            (std::vector<std::string>{"2[i]|2[i]"}));
  std::string plan;
  for (const std::string& row : rowsOf("EXPLAIN QUERY PLAN " + join, {&keys, &pick, nullptr})) {
    plan += row + "\n";
  }
  EXPECT_NE(plan.find("USING INDEX tk"), std::string::npos) << plan;
}

}  // namespace
}  // namespace sfsync::store
