// Store: where synced records and the activity log live. One table per target object (primary key
// gsid, a UUID, plus the mapped columns), created and widened from a job's TableSpec; batch upserts
// by upsert key; execution activity rows; update (config audit) activity rows; the daemon's
// key/value state. SQLite is the embedded default (openSqliteStore); PostgreSQL
// (openPostgresStore) the shared one.
//
// Atomicity: upsert() applies a whole request inside ONE transaction: either every accepted row of
// the request is committed or (on a store-level failure, a crash or a kill) none is. Per-row
// rejections do not abort the transaction. updateColumns() is all-or-nothing the same way.
// transaction() widens this to several calls: everything its body writes is committed together or
// not at all.
//
// Thread-safety: implementations are safe to call from several threads (calls are serialised
// inside). transaction() holds the store for its whole body: calls from other threads wait until it
// ends, while the body's own thread may call the store freely (the lock is re-entrant). A body must
// therefore not wait for another thread that uses the same store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/MetadataEntry.h"
#include "sfsync/store/RowFilter.h"
#include "sfsync/store/TableSpec.h"
#include "sfsync/store/UpdateRecord.h"
#include "sfsync/store/Upsert.h"

namespace sfsync::store {

// Default SQLite page cache of a store connection (store.cacheMb).
constexpr int kDefaultCacheMb = 24;

using Row = std::vector<Value>;

class Store {
 public:
  virtual ~Store() = default;

  // Runs `body` inside ONE write transaction. Every write the body makes through this store on the
  // calling thread (upsert, updateColumns, ensureTable, saveExecution, putState, ...) joins it
  // instead of committing on its own, and reads see the body's uncommitted writes. Commits when the
  // body returns OK; rolls everything back when it returns an error (returned as is) or throws
  // (kInternal). A write call inside the body that fails returns its Status to the body and makes
  // the transaction rollback-only: transaction() then rolls back and returns that first failure
  // even if the body returns OK. A nested transaction() joins the enclosing one (its failure makes
  // the enclosing one rollback-only). Other threads' calls wait until the transaction has ended.
  virtual Status transaction(const std::function<Status()>& body) = 0;

  // A write transaction left open across calls (issue 11: a run commits the pages that are already
  // fetched together). It behaves like transaction()'s body scope: write calls of the thread that
  // began it join it, reads see its writes, a failed write makes it rollback-only, and it holds
  // the store (other threads' calls wait) until commit() or its destruction, which rolls it back.
  // Its holder must therefore not wait for the network or for another thread using this store.
  // Commit and destroy it on the thread that began it.
  class OpenTransaction {
   public:
    virtual ~OpenTransaction() = default;
    // Commits; when rollback-only, rolls back and returns the first failure. Ends the transaction
    // either way (a second call is kInvalidArgument).
    virtual Status commit() = 0;
  };
  // kInvalidArgument when this thread already has a transaction open on the store.
  virtual Result<std::unique_ptr<OpenTransaction>> begin() = 0;

  // Creates the table if missing, adds columns the spec has and the table lacks (never drops), and
  // keeps an index over `indexColumns` when non-empty. A column whose type changed is an error.
  virtual Status ensureTable(const TableSpec& spec,
                             const std::vector<std::string>& indexColumns) = 0;

  // Resolves and writes one batch in one transaction; one outcome per input row, in order.
  virtual Result<std::vector<RowOutcome>> upsert(const UpsertRequest& request) = 0;

  // Sets `columns` (gsid excluded) on the existing rows named by gsid, each pair carrying one value
  // per column, in one transaction (or inside the open transaction()). A gsid with no row is
  // ignored; returns how many pairs matched a row. All-or-nothing: a value that does not fit its
  // column is kDataError and nothing of the call is applied; an unknown table or column, a
  // duplicate column or a row of the wrong width is kInvalidArgument. Used to resolve self-lookups
  // (e.g. a manager that arrived later in the same extract).
  virtual Result<std::int64_t> updateColumns(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<std::pair<std::string /*gsid*/, Row>>& rows) = 0;

  // Reads rows (for tests, lookups and the admin API): `columns` may include "gsid"; rows where
  // every (column = value) pair of `equals` holds; ordered by gsid. Empty `equals` returns all
  // rows.
  virtual Result<std::vector<Row>> select(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<std::pair<std::string, Value>>& equals = {}) = 0;

  // Number of rows in the table (0 when the table does not exist).
  virtual Result<std::int64_t> count(const std::string& table) = 0;

  // ---- Set-based operations (source deletes). Each is ONE SQL statement over the whole table (or
  // one per batch of ids), joins an open transaction() like every write, and fails on an unknown
  // column or set with kInvalidArgument. A missing table counts 0 rows (selectWhere: kNotFound).

  // Scratch Id sets: temporary, store-private sets of text values (Ids, gsids), so a table can be
  // compared with millions of Salesforce Ids without holding them in memory. createIdSet returns a
  // new, empty set's name (unique within this store); addToIdSet adds a batch (duplicates
  // ignored); dropIdSet forgets it (sets also vanish when the store is closed).
  virtual Result<std::string> createIdSet() = 0;
  virtual Status addToIdSet(const std::string& set, const std::vector<std::string>& ids) = 0;
  virtual Status dropIdSet(const std::string& set) = 0;
  // Adds to / removes from `set` the non-null values of `column` of the rows of `table` matching
  // `where`; returns how many values were added / removed.
  virtual Result<std::int64_t> addColumnToIdSet(const std::string& set, const std::string& table,
                                                const std::string& column,
                                                const RowFilter& where) = 0;
  virtual Result<std::int64_t> removeColumnFromIdSet(const std::string& set,
                                                     const std::string& table,
                                                     const std::string& column,
                                                     const RowFilter& where) = 0;
  // Rows of `table` matching `where`: how many; `columns` of them (ordered by gsid); delete them;
  // set `columns` to `values` on them (a value that does not fit its column: kIoError, nothing
  // changed). The last three return / act on the matching rows only.
  virtual Result<std::int64_t> countWhere(const std::string& table, const RowFilter& where) = 0;
  virtual Result<std::vector<Row>> selectWhere(const std::string& table,
                                               const std::vector<std::string>& columns,
                                               const RowFilter& where) = 0;
  virtual Result<std::int64_t> deleteWhere(const std::string& table, const RowFilter& where) = 0;
  virtual Result<std::int64_t> updateWhere(const std::string& table,
                                           const std::vector<std::string>& columns,
                                           const Row& values, const RowFilter& where) = 0;

  // ---- Set-based lookups (the load path: memory does not grow with tables).

  // Derived-mapping lookup of one page's keys: for each key of `keys` (one value per column of
  // `columns`, in order; a key holding a null matches nothing), the gsids of the rows of `table`
  // not marked deleted (kIsDeletedColumn true) whose `columns` equal the key, ascending. Equality
  // is SQL's under each column's type, so 42 matches "42" and a Salesforce Id matches its text.
  // One statement per batch of keys, served by an index over `columns` (created on first use; an
  // unknown column is kInvalidArgument). A missing table matches nothing. Sees the open
  // transaction's writes.
  virtual Result<std::vector<std::vector<std::string>>> lookupGsids(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<Row>& keys) = 0;

  // Read-only key matching (dry runs): for each key of `keys` (one value per `keyColumns`, equality
  // as in lookupGsids; a key holding a null matches nothing), the rows of `table` whose key columns
  // equal it, each as the values of `columns` ("gsid" allowed; a column the table lacks reads as
  // null), ordered by gsid. `skipDeleted`: leave out rows marked deleted, as lookupGsids does.
  // Never writes - not even an index (an existing one serves it; without one each batch of keys
  // scans the table). A missing table, or a key column the table lacks, matches nothing.
  virtual Result<std::vector<std::vector<Row>>> matchRows(
      const std::string& table, const std::vector<std::string>& keyColumns,
      const std::vector<Row>& keys, const std::vector<std::string>& columns, bool skipDeleted) = 0;

  // ---- Deferred rows: a persistent queue per owner (a job on a connection) of rows a run comes
  // back to after its extract (self-lookups whose record was not loaded yet). Writes join an open
  // transaction(), so a page's deferred rows commit with the page and a resumed run finds them.
  // appendDeferred numbers the rows after the owner's last; readDeferred returns up to `limit` rows
  // numbered above `after`, in order; clearDeferred empties the owner's queue. An empty owner is
  // kInvalidArgument; a stored row that cannot be decoded is kDataError.
  virtual Status appendDeferred(const std::string& owner, const std::vector<Row>& rows) = 0;
  virtual Result<std::vector<std::pair<std::int64_t, Row>>> readDeferred(const std::string& owner,
                                                                         std::int64_t after,
                                                                         std::size_t limit) = 0;
  virtual Status clearDeferred(const std::string& owner) = 0;

  // Inserts or replaces the execution row with this executionId. While a row is saved unfinished
  // (isUnfinishedStatus: Running, or waiting to retry) this store holds a liveness lock for it,
  // taken before the first such save (kUnavailable if another live store holds it) and released
  // by the save that finishes it, or when the store is closed.
  virtual Status saveExecution(const ExecutionRecord& record) = 0;
  virtual Result<std::vector<ExecutionRecord>> listExecutions(const ExecutionQuery& query) = 0;
  // Marks Failed (Running or Retrying rows), with this end time and message, the unfinished
  // executions whose process is gone (killed, crashed, or closed its store mid-run): rows whose
  // liveness lock no live store - in any process - holds. Runs other live processes (or this one)
  // are executing are left alone, so any process may call this when it starts. Returns how many
  // rows it marked.
  virtual Result<int> failInterruptedExecutions(const std::string& endTime,
                                                const std::string& message) = 0;

  // Retention, in one transaction: deletes the execution rows with startTime < olderThanIso except
  // the newest execution of each (kind, name) and the job runs inside such a kept chain execution,
  // and the update rows with time < olderThanIso. Returns the non-empty errorFile / successFile
  // paths of the deleted executions, for the caller to delete.
  virtual Result<std::vector<std::string>> pruneExecutions(const std::string& olderThanIso) = 0;

  // Key/value state of the daemon (connection authorisation, scheduler last-run slots, pause
  // flags). putState inserts or replaces; an empty key is kInvalidArgument. getState: std::nullopt
  // when the key was never put. listState: every pair whose key starts with `prefix` (byte-wise; ""
  // = all), ordered by key.
  virtual Status putState(const std::string& key, const std::string& value) = 0;
  virtual Result<std::optional<std::string>> getState(const std::string& key) = 0;
  // Removes the key (absent: OK, nothing to do).
  virtual Status eraseState(const std::string& key) = 0;
  virtual Result<std::vector<std::pair<std::string, std::string>>> listState(
      const std::string& prefix) = 0;

  // Update (config audit) activity. saveUpdate inserts or replaces by id (generating a UUID when id
  // is empty); a record without a time is kInvalidArgument. listUpdates: newest first (time
  // descending, ties by id descending), only rows with time < beforeTime when beforeTime is
  // non-empty, at most `limit` rows (no limit when limit <= 0). Paging with beforeTime = the last
  // row's time skips any further rows sharing exactly that (millisecond) time.
  virtual Status saveUpdate(const UpdateRecord& record) = 0;
  virtual Result<std::vector<UpdateRecord>> listUpdates(int limit,
                                                        const std::string& beforeTime) = 0;

  // ---- Metadata cache (issue 15): Salesforce describe results per connection and object
  // (MetadataEntry; the object compares case-insensitively). putMetadata inserts or replaces;
  // getMetadata: std::nullopt when nothing is cached; listMetadata: every entry of the connection.
  // An empty connection or object is kInvalidArgument. Writes join an open transaction().
  virtual Status putMetadata(const MetadataEntry& entry) = 0;
  virtual Result<std::optional<MetadataEntry>> getMetadata(const std::string& connection,
                                                           const std::string& object) = 0;
  virtual Result<std::vector<MetadataEntry>> listMetadata(const std::string& connection) = 0;
};

using StorePtr = std::unique_ptr<Store>;

// Opens (creating if needed) an SQLite database file; parent directories are created. A file
// written by an earlier version of the store is upgraded in place. `cacheMb`: the connection's page
// cache (store.cacheMb), the bound on what the store's tables cost in memory.
Result<StorePtr> openSqliteStore(const std::string& path, int cacheMb = kDefaultCacheMb);

// Where a PostgreSQL store lives (store.type = postgresql). `url`: postgresql://user@host:port/db
// (never with a password); `password`: from the credentials store (secret: never logged);
// `schema`: created if missing and put first on the search_path ("" = the server's default).
struct PostgresSettings {
  std::string url;
  std::string password;
  std::string schema;
  int connectTimeoutSeconds = 10;     // libpq connect_timeout
  int statementTimeoutSeconds = 600;  // statement_timeout per statement; 0 = none
};

// Connects to PostgreSQL (15 or later) and creates the store's metadata tables in the schema if
// missing. Target tables use native types (see README "PostgreSQL store").
Result<StorePtr> openPostgresStore(const PostgresSettings& settings);

// OK for a postgresql:// (or postgres://) URL libpq can parse and that carries no password;
// otherwise InvalidArgument saying what is wrong (the message never repeats a password).
Status validatePostgresUrl(const std::string& url);

}  // namespace sfsync::store
