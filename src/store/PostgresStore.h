// PostgresStore: the PostgreSQL implementation of Store (built by openPostgresStore; include this
// header only from tests). One libpq connection (PgConnection) in the configured schema; target
// tables have `gsid text PRIMARY KEY` and native column types (text, bigint, numeric, boolean,
// date, timestamptz; PostgresSchema, PostgresValues); pages load by COPY into a session stage and
// one INSERT ... ON CONFLICT (PostgresUpserter). Execution rows in sfsync_executions
// (PostgresExecutionLog), update rows in sfsync_updates, state in sfsync_state, cached describes
// in sfsync_metadata, deferred rows in sfsync_deferred - the same tables as the SQLite store.
//
// Transactions: every write call runs in its own transaction (BEGIN ... COMMIT), or inside
// transaction() in a SAVEPOINT of the outer one, so a failed call undoes only itself and leaves the
// outer transaction usable until it rolls back (the first failure makes it rollback-only, as in
// SQLite). A page and its checkpoint written in one transaction() commit together.
//
// Execution liveness: session-level advisory locks (PostgresRunLocks) instead of lock files.
//
// Errors: PostgreSQL failures become Status::IoError with the server's message (never a
// password). Nothing throws out: an exception becomes Status::Internal after a rollback.
//
// Thread-safety: every public method locks one std::recursive_mutex around the single connection
// (the Store contract serialises calls); transaction() holds it for the whole body.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <set>
#include "sfsync/store/Store.h"

#include "store/PgConnection.h"
#include "store/PgConnectionAccess.h"
#include "store/PostgresDeferredQueue.h"
#include "store/PostgresExecutionLog.h"
#include "store/PostgresLookups.h"
#include "store/PostgresMetadataTable.h"
#include "store/PostgresRowSets.h"
#include "store/PostgresRunLocks.h"
#include "store/PostgresSchema.h"
#include "store/PostgresStateTable.h"
#include "store/PostgresUpdateLog.h"
#include "store/StoreTestHooks.h"

namespace sfsync::store {

class PostgresStore final : public Store, public StoreTestHooks, public PgConnectionAccess {
 public:
  // Connects and creates (or upgrades) the store's metadata tables in the schema.
  static Result<std::unique_ptr<PostgresStore>> open(const PostgresSettings& settings);

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

  // The write-back outbox (PgOutbox, issue 13): `fn` on this store's connection, as a write call.
  Status withPgConnection(const std::function<Status(PgConnection&)>& fn) override;

  void setAfterRowHookForTest(std::function<void(std::size_t row)> hook) override;
  void failRowWithIoErrorForTest(std::size_t row) override;

 private:
  explicit PostgresStore(std::unique_ptr<PgConnection> db);
  // Runs a write call's body with mu_ held: guarded, and inside transaction() a failure makes the
  // transaction rollback-only.
  template <class Fn>
  auto write(const char* what, Fn fn) -> decltype(fn());
  // A read; one that fails inside transaction() and aborts it makes the transaction fail.
  template <class Fn>
  auto read(const char* what, Fn fn) -> decltype(fn());
  // Issue 12: outside a transaction, connects again when the connection was lost (the call that
  // noticed it failed) and re-takes the run locks. With mu_ held.
  Status ensureConnected();
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
  std::unique_ptr<PgConnection> db_;  // declared before its users: destroyed after them
  std::set<std::string> indexed_;     // store-maintained indexes known to exist
  PostgresSchema schema_;
  PostgresExecutionLog executions_;
  PostgresUpdateLog updates_;
  PostgresStateTable state_;
  PostgresRowSets rowSets_;
  PostgresLookups lookups_;
  PostgresDeferredQueue deferred_;
  PostgresMetadataTable metadata_;
  PostgresRunLocks runLocks_;  // locks of the executions this store has saved as unfinished
  // The first failure of a write call inside the open transaction(); OK when none (or no
  // transaction is open).
  Status transactionError_;
  // Runs saved finished inside transaction(): their run locks are dropped after its COMMIT.
  std::vector<std::string> finishedInTransaction_;
  std::function<void(std::size_t)> afterRowHook_;
  std::optional<std::size_t> ioErrorAtRow_;
};

}  // namespace sfsync::store
