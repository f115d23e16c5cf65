// SQLite only: how the set-based upsert (SqliteUpserter) writes a page into a table that has
// triggers of its own. A trigger's statement that SQLite refuses must undo its row, as it does
// when rows are written one at a time (the page's writes keep ABORT there, see SqliteUpserter.h).
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

TEST(SqliteUpserterTest, ARowWhoseTriggerFailsIsRejectedAndLeavesNothing) {
  sfsync::testing::TempDir dir;
  const std::string path = dir.file("sfsync.db");
  Result<StorePtr> opened = openSqliteStore(path);
  ASSERT_TRUE(opened.ok()) << opened.status().toString();
  Store& store = **opened;
  TableSpec spec{"Typed", {{"K", ColumnType::kInteger}, {"I", ColumnType::kInteger}}};
  ASSERT_TRUE(store.ensureTable(spec, {"K"}).ok());
  ASSERT_EQ(execElsewhere(path,
                          "CREATE TABLE audit (k INTEGER CHECK (k <> 13));"
                          "CREATE TRIGGER typed_audit AFTER INSERT ON Typed "
                          "BEGIN INSERT INTO audit VALUES (NEW.K); END;"),
            "");

  UpsertRequest request{"Typed", {"K", "I"}, {"K"}, false, {}};
  for (std::int64_t k = 0; k < 20; ++k) request.rows.push_back({Value{k}, Value{k * 10}});
  Result<std::vector<RowOutcome>> out = store.upsert(request);
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
  Result<std::int64_t> rows = store.count("Typed");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 19);
  Result<std::vector<Row>> thirteen =
      store.select("Typed", {"I"}, {{"K", Value{std::int64_t{13}}}});
  ASSERT_TRUE(thirteen.ok());
  EXPECT_TRUE(thirteen->empty());  // the refused row is not in the table
}

}  // namespace
}  // namespace sfsync::store
