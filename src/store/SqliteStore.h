// SqliteStore: the embedded SQLite implementation of Store (built by openSqliteStore; include this
// header only from tests). One connection, the sqlite3 C API, WAL journal; target tables are STRICT
// with `gsid TEXT PRIMARY KEY` and the mapped columns; declared column types live in sfsync_columns
// (SqliteSchema); execution rows in sfsync_executions (SqliteExecutionLog), update rows in
// sfsync_updates (SqliteUpdateLog), the daemon's key/value state in sfsync_state
// (SqliteStateTable), cached describes in sfsync_metadata (SqliteMetadataTable).
//
// upsert() also keeps an index over the request's key columns (CREATE INDEX IF NOT EXISTS), so the
// per-row key lookup never scans the table even when ensureTable was not given the key as index.
//
// Execution rows and liveness: saveExecution() of an unfinished row (Running) first takes the
// execution's lock (RunLocks, a file next to the database) and saving it finished releases it;
// failInterruptedExecutions() marks Failed only the unfinished rows whose lock no live store holds
// (their process died, or closed its store mid-run), whichever process wrote them.
//
// transaction(): BEGIN IMMEDIATE on the connection, then the components' own begin()/commit() join
// it (SqliteDb's outer transaction). The first failed write call inside the body is remembered and
// makes the transaction rollback-only.
//
// Errors: SQLite failures become Status::IoError with SQLite's message. Nothing throws out: an
// exception (bad_alloc) rolls back the open transaction and becomes Status::Internal (inside
// transaction() it makes the transaction rollback-only instead).
//
// Thread-safety: every public method locks one std::recursive_mutex around the single connection.
// transaction() holds it for the whole body, so other threads wait while the body's own thread
// re-enters the store; a body must not wait for another thread that calls this store.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/store/Store.h"
#include "store/RunLocks.h"
#include "store/SqliteConnectionAccess.h"
#include "store/SqliteDb.h"
#include "store/SqliteDeferredQueue.h"
#include "store/SqliteExecutionLog.h"
#include "store/SqliteLookups.h"
#include "store/SqliteMetadataTable.h"
#include "store/SqliteRowSets.h"
#include "store/SqliteSchema.h"
#include "store/SqliteStateTable.h"
#include "store/SqliteUpdateLog.h"
#include "store/StoreTestHooks.h"

namespace sfsync::store {

class SqliteStore final : public Store, public StoreTestHooks, public SqliteConnectionAccess {
 public:
  // Opens (creating) the database file at `path` and its metadata tables, upgrading the tables of
  // an older store.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   int cacheMb = kDefaultCacheMb);

  Status transaction(const std::function<Status()>& body) override;
  Result<std::unique_ptr<OpenTransaction>> begin() override;
  Status ensureTable(const TableSpec& spec, const std::vector<std::string>& indexColumns) override;
  Result<std::vector<RowOutcome>> upsert(const UpsertRequest& request) override;
  Result<std::int64_t> updateColumns(const std::string& table,
                                     const std::vector<std::string>& columns,
                                     const std::vector<std::pair<std::string, Row>>& rows) override;
  // Unknown table: NotFound. Unknown column, or no columns asked for: InvalidArgument. A null in
  // `equals` matches NULL (IS NULL).
  Result<std::vector<Row>> select(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<std::pair<std::string, Value>>& equals) override;
  Result<std::int64_t> count(const std::string& table) override;
  Result<std::string> createIdSet() override;
  Status addToIdSet(const std::string& set, const std::vector<std::string>& ids) override;
  Status dropIdSet(const std::string& set) override;
  Result<std::int64_t> addColumnToIdSet(const std::string& set, const std::string& table,
                                        const std::string& column, const RowFilter& where) override;
  Result<std::int64_t> removeColumnFromIdSet(const std::string& set, const std::string& table,
                                             const std::string& column,
                                             const RowFilter& where) override;
  Result<std::vector<std::vector<std::string>>> lookupGsids(const std::string& table,
                                                            const std::vector<std::string>& columns,
                                                            const std::vector<Row>& keys) override;
  Result<std::vector<std::vector<Row>>> matchRows(const std::string& table,
                                                  const std::vector<std::string>& keyColumns,
                                                  const std::vector<Row>& keys,
                                                  const std::vector<std::string>& columns,
                                                  bool skipDeleted) override;
  Status appendDeferred(const std::string& owner, const std::vector<Row>& rows) override;
  Result<std::vector<std::pair<std::int64_t, Row>>> readDeferred(const std::string& owner,
                                                                 std::int64_t after,
                                                                 std::size_t limit) override;
  Status clearDeferred(const std::string& owner) override;
  Result<std::int64_t> countWhere(const std::string& table, const RowFilter& where) override;
  Result<std::vector<Row>> selectWhere(const std::string& table,
                                       const std::vector<std::string>& columns,
                                       const RowFilter& where) override;
  Result<std::int64_t> deleteWhere(const std::string& table, const RowFilter& where) override;
  Result<std::int64_t> updateWhere(const std::string& table,
                                   const std::vector<std::string>& columns, const Row& values,
                                   const RowFilter& where) override;
  Status saveExecution(const ExecutionRecord& record) override;
  Result<std::vector<ExecutionRecord>> listExecutions(const ExecutionQuery& query) override;
  Result<int> failInterruptedExecutions(const std::string& endTime,
                                        const std::string& message) override;
  Result<std::vector<std::string>> pruneExecutions(const std::string& olderThanIso) override;
  Status putState(const std::string& key, const std::string& value) override;
  Result<std::optional<std::string>> getState(const std::string& key) override;
  Status eraseState(const std::string& key) override;
  Result<std::vector<std::pair<std::string, std::string>>> listState(
      const std::string& prefix) override;
  Status saveUpdate(const UpdateRecord& record) override;
  Result<std::vector<UpdateRecord>> listUpdates(int limit, const std::string& beforeTime) override;
  Status putMetadata(const MetadataEntry& entry) override;
  Result<std::optional<MetadataEntry>> getMetadata(const std::string& connection,
                                                   const std::string& object) override;
  Result<std::vector<MetadataEntry>> listMetadata(const std::string& connection) override;

  Status withConnection(const std::function<Status(SqliteDb&)>& fn) override;

  void setAfterRowHookForTest(std::function<void(std::size_t row)> hook) override;
  void failRowWithIoErrorForTest(std::size_t row) override;

 private:
  explicit SqliteStore(std::unique_ptr<SqliteDb> db);
  // Runs a write call's body with mu_ held: guarded, and inside transaction() a failure makes the
  // transaction rollback-only.
  template <class Fn>
  auto write(const char* what, Fn fn) -> decltype(fn());
  // Runs a transaction body, turning an exception into Internal.
  static Status runBody(const std::function<Status()>& body);
  // Opens the outer transaction (transaction() and begin()), with mu_ held.
  Status beginOuter();
  // Ends the outer transaction with mu_ held: commits when `result` is OK and no write inside
  // failed, else rolls back and returns the first failure.
  Status endOuter(Status result);
  // Bodies of select(), count() and pruneExecutions(), called with mu_ held.
  Result<std::vector<Row>> selectLocked(const std::string& table,
                                        const std::vector<std::string>& columns,
                                        const std::vector<std::pair<std::string, Value>>& equals);
  Result<std::int64_t> countLocked(const std::string& table);
  Result<std::vector<std::string>> pruneLocked(const std::string& olderThanIso);
  Result<int> failInterruptedLocked(const std::string& endTime, const std::string& message);
  // saveExecution of a finished row: saves it and, when it just finished, adds it to its RunTotals.
  Status saveFinishedLocked(const ExecutionRecord& record);
  // Adds the unfinished rows `ids` to the RunTotals as Failed at endTime (before they are marked).
  Status countInterruptedLocked(const std::vector<std::string>& ids, const std::string& endTime);

  std::recursive_mutex mu_;
  std::unique_ptr<SqliteDb> db_;  // declared before its users: destroyed after them
  SqliteSchema schema_;
  SqliteExecutionLog executions_;
  SqliteUpdateLog updates_;
  SqliteStateTable state_;
  SqliteRowSets rowSets_;
  SqliteLookups lookups_;
  SqliteDeferredQueue deferred_;
  SqliteMetadataTable metadata_;
  RunLocks runLocks_;  // locks of the executions this store has saved as unfinished
  // The first failure of a write call inside the open transaction(); OK when none (or no
  // transaction is open).
  Status transactionError_;
  std::function<void(std::size_t)> afterRowHook_;
  std::optional<std::size_t> ioErrorAtRow_;
};

}  // namespace sfsync::store
