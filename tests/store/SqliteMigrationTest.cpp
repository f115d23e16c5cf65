// SQLite only: a database file written by the first store version (sfsync_executions without the
// schema-2 columns, no sfsync_state / sfsync_updates) is upgraded in place when opened, keeps its
// rows (with the new fields at their defaults) and its target tables.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <set>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

// The first version's sfsync_executions, verbatim, plus a row it wrote.
constexpr const char* kOldSchema =
    "CREATE TABLE sfsync_executions ("
    "  execution_id TEXT NOT NULL PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  parent_id TEXT NOT NULL,"
    "  connection TEXT NOT NULL,"
    "  \"trigger\" TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  start_time TEXT NOT NULL,"
    "  end_time TEXT NOT NULL,"
    "  records_read INTEGER NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  skipped INTEGER NOT NULL,"
    "  failed INTEGER NOT NULL,"
    "  api_calls INTEGER NOT NULL,"
    "  error_file TEXT NOT NULL,"
    "  message TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX sfsync_executions_start ON sfsync_executions (start_time);"
    "CREATE INDEX sfsync_executions_name ON sfsync_executions (name, start_time);"
    "INSERT INTO sfsync_executions VALUES ('old-1', 'job', 'Accounts', '', 'prod', 'schedule', "
    "'Success', '2025-12-01T00:00:00.000Z', '2025-12-01T00:01:00.000Z', 10, 4, 5, 1, 0, 3, "
    "'/err/old-1.csv', 'done');";

class SqliteMigrationTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.path() + "/data/sfsync.db"; }

  // Runs `sql` on the file with a connection of its own.
  void execRaw(const std::string& sql) {
    std::filesystem::create_directories(dir_.path() + "/data");
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err != nullptr ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  std::set<std::string> executionColumns() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('sfsync_executions')", -1,
                                 &stmt, nullptr),
              SQLITE_OK);
    std::set<std::string> names;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      names.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return names;
  }

  StorePtr open() {
    Result<StorePtr> store = openBackend("sqlite", dir_.path());
    EXPECT_TRUE(store.ok()) << store.status().toString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  TempDir dir_;
};

TEST_F(SqliteMigrationTest, OldExecutionsTableIsUpgradedInPlace) {
  execRaw(kOldSchema);
  EXPECT_EQ(executionColumns().count("warnings"), 0u);

  StorePtr store = open();
  ASSERT_NE(store, nullptr);
  Result<std::vector<ExecutionRecord>> listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok()) << listed.status().toString();
  ASSERT_EQ(listed->size(), 1u);
  const ExecutionRecord& old = (*listed)[0];
  EXPECT_EQ(old.executionId, "old-1");
  EXPECT_EQ(old.trigger, "schedule");
  EXPECT_EQ(old.updated, 5);
  EXPECT_EQ(old.apiCalls, 3);
  EXPECT_EQ(old.errorFile, "/err/old-1.csv");
  EXPECT_EQ(old.message, "done");
  EXPECT_EQ(old.warnings, 0);
  EXPECT_EQ(old.attempts, 1);
  EXPECT_EQ(old.successFile, "");
  EXPECT_EQ(old.cursor, "");
  EXPECT_EQ(old.chainName, "");

  // New rows carry the new fields; the new tables exist.
  ExecutionRecord r;
  r.executionId = "new-1";
  r.name = "Accounts";
  r.startTime = "2026-01-01T00:00:00.000Z";
  r.warnings = 2;
  r.attempts = 3;
  r.successFile = "/ok/new-1.csv";
  r.cursor = "2025-12-01T00:00:00.000Z";
  r.chainName = "Nightly";
  ASSERT_TRUE(store->saveExecution(r).ok());
  ASSERT_TRUE(store->putState("k", "v").ok());
  UpdateRecord u;
  u.time = "2026-01-01T00:00:00.000Z";
  ASSERT_TRUE(store->saveUpdate(u).ok());
  store.reset();

  const std::set<std::string> columns = executionColumns();
  for (const char* added :
       {"warnings", "attempts", "success_file", "cursor", "chain_name", "next_attempt", "retries",
        "target_counts", "mode", "api", "cursor_end", "deleted", "api_remaining"}) {
    EXPECT_EQ(columns.count(added), 1u) << added;
  }
  // Opening the upgraded file again changes nothing.
  store = open();
  ASSERT_NE(store, nullptr);
  listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  const ExecutionRecord& back = (*listed)[0];
  EXPECT_EQ(back.executionId, "new-1");
  EXPECT_EQ(back.warnings, 2);
  EXPECT_EQ(back.attempts, 3);
  EXPECT_EQ(back.successFile, "/ok/new-1.csv");
  EXPECT_EQ(back.cursor, "2025-12-01T00:00:00.000Z");
  EXPECT_EQ(back.chainName, "Nightly");
  EXPECT_EQ((*listed)[1].executionId, "old-1");
  EXPECT_EQ(*store->getState("k"), std::optional<std::string>("v"));
}

TEST_F(SqliteMigrationTest, PartlyUpgradedTableGetsTheRemainingColumns) {
  // As if an upgrade had stopped after the first ALTER TABLE (each runs in one transaction, so
  // this cannot happen with this store, but another tool may have added a column).
  execRaw(std::string(kOldSchema) +
          "ALTER TABLE sfsync_executions ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;");
  StorePtr store = open();
  ASSERT_NE(store, nullptr);
  Result<std::vector<ExecutionRecord>> listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok()) << listed.status().toString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].attempts, 1);
  store.reset();
  EXPECT_EQ(executionColumns().size(), 38u);
  // Schema 6 (issue 13, write-back): the outbound counts and file.
  for (const char* c :
       {"outbound_sent", "outbound_succeeded", "outbound_failed", "conflicts", "outbound_file"}) {
    EXPECT_EQ(executionColumns().count(c), 1u) << c;
  }
  EXPECT_EQ((*listed)[0].outboundSent, 0);
  // Schema 7 (issue 10): the unchanged count, 0 for runs before it.
  EXPECT_EQ(executionColumns().count("unchanged"), 1u);
  EXPECT_EQ((*listed)[0].unchanged, 0);
}

TEST_F(SqliteMigrationTest, SchemaTwoTableGetsRetriesAndTargetCounts) {
  execRaw(std::string(kOldSchema) +
          "ALTER TABLE sfsync_executions ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;"
          "ALTER TABLE sfsync_executions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;"
          "ALTER TABLE sfsync_executions ADD COLUMN success_file TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN cursor TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN chain_name TEXT NOT NULL DEFAULT '';");
  EXPECT_EQ(executionColumns().count("retries"), 0u);
  StorePtr store = open();
  ASSERT_NE(store, nullptr);
  Result<std::vector<ExecutionRecord>> listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok()) << listed.status().toString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].retries, 0);
  EXPECT_TRUE((*listed)[0].targets.empty());

  ExecutionRecord r = (*listed)[0];
  r.retries = 4;
  r.targets = {{"Person", 1, 2, 3, 4}, {"Company Person", 5, 6, 7, 8}};
  ASSERT_TRUE(store->saveExecution(r).ok());
  listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok()) << listed.status().toString();
  EXPECT_EQ((*listed)[0].retries, 4);
  EXPECT_EQ((*listed)[0].targets, r.targets);
  store.reset();
  const std::set<std::string> columns = executionColumns();
  EXPECT_EQ(columns.count("retries"), 1u);
  EXPECT_EQ(columns.count("target_counts"), 1u);
}

TEST_F(SqliteMigrationTest, SchemaThreeTableGetsTheReplicationColumns) {
  execRaw(std::string(kOldSchema) +
          "ALTER TABLE sfsync_executions ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;"
          "ALTER TABLE sfsync_executions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;"
          "ALTER TABLE sfsync_executions ADD COLUMN success_file TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN cursor TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN chain_name TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN next_attempt TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;"
          "ALTER TABLE sfsync_executions ADD COLUMN target_counts TEXT NOT NULL DEFAULT '';");
  EXPECT_EQ(executionColumns().count("cursor_end"), 0u);
  StorePtr store = open();
  ASSERT_NE(store, nullptr);
  Result<std::vector<ExecutionRecord>> listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok()) << listed.status().toString();
  ASSERT_EQ(listed->size(), 1u);
  // The old row reads back with the defaults: nothing known about replication.
  EXPECT_EQ((*listed)[0].mode, "");
  EXPECT_EQ((*listed)[0].api, "");
  EXPECT_EQ((*listed)[0].cursorEnd, "");
  EXPECT_EQ((*listed)[0].deleted, 0);
  EXPECT_EQ((*listed)[0].apiRemaining, -1);

  ExecutionRecord r = (*listed)[0];
  r.status = kStatusDeferred;
  r.mode = "incremental";
  r.api = "bulk";
  r.cursor = "2026-01-01T00:00:00.000Z/001000000000001AAA";
  r.cursorEnd = "2026-01-02T00:00:00.000Z/001000000000002AAA";
  r.deleted = 17;
  r.apiRemaining = 14250;
  ASSERT_TRUE(store->saveExecution(r).ok());
  store.reset();
  const std::set<std::string> columns = executionColumns();
  for (const char* added : {"mode", "api", "cursor_end", "deleted", "api_remaining"}) {
    EXPECT_EQ(columns.count(added), 1u) << added;
  }
  store = open();  // opening the upgraded file again changes nothing
  ASSERT_NE(store, nullptr);
  listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok()) << listed.status().toString();
  ASSERT_EQ(listed->size(), 1u);
  const ExecutionRecord& back = (*listed)[0];
  EXPECT_EQ(back.status, "Deferred");
  EXPECT_EQ(back.mode, "incremental");
  EXPECT_EQ(back.api, "bulk");
  EXPECT_EQ(back.cursor, r.cursor);
  EXPECT_EQ(back.cursorEnd, r.cursorEnd);
  EXPECT_EQ(back.deleted, 17);
  EXPECT_EQ(back.apiRemaining, 14250);
  EXPECT_EQ(back.attempts, r.attempts);
}

TEST_F(SqliteMigrationTest, SchemaFourTableGetsTheTriageColumns) {
  execRaw(std::string(kOldSchema) +
          "ALTER TABLE sfsync_executions ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;"
          "ALTER TABLE sfsync_executions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;"
          "ALTER TABLE sfsync_executions ADD COLUMN success_file TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN cursor TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN chain_name TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN next_attempt TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;"
          "ALTER TABLE sfsync_executions ADD COLUMN target_counts TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN mode TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN api TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN cursor_end TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE sfsync_executions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;"
          "ALTER TABLE sfsync_executions ADD COLUMN api_remaining INTEGER NOT NULL DEFAULT -1;");
  EXPECT_EQ(executionColumns().count("rerun_of"), 0u);
  StorePtr store = open();
  ASSERT_NE(store, nullptr);
  Result<std::vector<ExecutionRecord>> listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok()) << listed.status().toString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].rerunOf, "");
  EXPECT_EQ((*listed)[0].warningFile, "");

  ExecutionRecord r = (*listed)[0];
  r.rerunOf = "exec-0";
  r.warningFile = "/errors/x/1.warnings.csv";
  ASSERT_TRUE(store->saveExecution(r).ok());
  store.reset();
  const std::set<std::string> columns = executionColumns();
  EXPECT_EQ(columns.count("rerun_of"), 1u);
  EXPECT_EQ(columns.count("warning_file"), 1u);
  store = open();  // opening the upgraded file again changes nothing
  ASSERT_NE(store, nullptr);
  listed = store->listExecutions({});
  ASSERT_TRUE(listed.ok()) << listed.status().toString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].rerunOf, "exec-0");
  EXPECT_EQ((*listed)[0].warningFile, "/errors/x/1.warnings.csv");
}

TEST_F(SqliteMigrationTest, UnreadableTargetCountsAreADataErrorNamingTheExecution) {
  execRaw(kOldSchema);
  ASSERT_NE(open(), nullptr);  // upgrades the table
  execRaw(
      "UPDATE sfsync_executions SET target_counts = '[{\"target\": 1' WHERE execution_id = "
      "'old-1'");
  StorePtr store = open();
  ASSERT_NE(store, nullptr);
  Result<std::vector<ExecutionRecord>> listed = store->listExecutions({});
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.status().code(), StatusCode::kDataError);
  EXPECT_NE(listed.status().message().find("old-1"), std::string::npos)
      << listed.status().message();
}

TEST_F(SqliteMigrationTest, TargetTablesOfAnOldFileStayUsable) {
  {
    StorePtr store = open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->ensureTable(tableSpec("Company", {col("Id")}), {"Id"}).ok());
    ASSERT_TRUE(store->upsert(request("Company", {"Id"}, {"Id"}, {{text("1")}})).ok());
  }
  // Take the file back to the old executions table (and no state / updates tables).
  execRaw(std::string("DROP TABLE sfsync_executions; DROP TABLE sfsync_state; ") +
          "DROP TABLE sfsync_updates;" + kOldSchema);
  StorePtr store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->count("Company"), 1);
  Result<std::vector<RowOutcome>> out =
      store->upsert(request("Company", {"Id"}, {"Id"}, {{text("1")}, {text("2")}}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].action, RowAction::kUpdated);
  EXPECT_EQ((*out)[1].action, RowAction::kCreated);
  EXPECT_EQ(store->listExecutions({})->size(), 1u);
}

}  // namespace
}  // namespace sfsync::store::testing
