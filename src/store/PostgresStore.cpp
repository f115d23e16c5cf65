#include "store/PostgresStore.h"

#include <exception>
#include <memory>
#include <utility>

#include "sfsync/store/RunTotals.h"
#include "store/HeldTransaction.h"
#include "store/PostgresColumnUpdater.h"
#include "store/PostgresUpserter.h"
#include "store/PostgresValues.h"
#include "store/RunTotalsUpdate.h"
#include "store/SqlNames.h"

namespace sfsync::store {

namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

// Serialises writers of one table across connections (other daemons, other chains) until the
// transaction ends: a key looked up and then inserted, or a table created and registered, is not
// raced by another writer that missed it too. Table names compare case-insensitively.
Status lockTable(PgConnection& db, const std::string& table) {
  Result<PgResult> locked = db.query(
      "SELECT pg_advisory_xact_lock(hashtext('sfsync table ' || current_schema() || '.' || "
      "lower($1)))",
      {std::optional<std::string>(table)});
  return locked.ok() ? Status::OK() : locked.status();
}

const Status& statusOf(const Status& status) { return status; }
template <class T>
const Status& statusOf(const Result<T>& result) {
  return result.status();
}

// Runs `fn`, turning an escaping exception (bad_alloc, or a throwing test hook) into Internal:
// nothing throws out of the store. (write() rolls back the call's transaction.)
template <class Fn>
auto guarded(PgConnection& /*db*/, const char* what, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status::Internal(std::string(what) + ": " + e.what());
  } catch (...) {
    return Status::Internal(std::string(what) + ": unknown exception");
  }
}

// Ends an outer transaction that is still open when transaction() is left (rolls it back).
class OuterTransactionGuard {
 public:
  explicit OuterTransactionGuard(PgConnection& db) : db_(db) {}
  ~OuterTransactionGuard() {
    if (db_.inOuterTransaction()) db_.rollbackOuter();
  }
  OuterTransactionGuard(const OuterTransactionGuard&) = delete;
  OuterTransactionGuard& operator=(const OuterTransactionGuard&) = delete;

 private:
  PgConnection& db_;
};

}  // namespace

Result<StorePtr> openPostgresStore(const PostgresSettings& settings) {
  try {
    Result<std::unique_ptr<PostgresStore>> store = PostgresStore::open(settings);
    if (!store.ok()) return store.status();
    return StorePtr(std::move(store).value());
  } catch (const std::exception& e) {
    return Status::Internal("cannot open PostgreSQL store " + settings.url + ": " + e.what());
  }
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(const PostgresSettings& settings) {
  Result<std::unique_ptr<PgConnection>> db = PgConnection::open(settings);
  if (!db.ok()) return db.status();
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(db).value()));
  PgConnection& conn = *store->db_;
  // One transaction, under an advisory lock: two stores opening one schema at once do not race
  // on CREATE TABLE IF NOT EXISTS.
  Status s = conn.begin();
  if (s.ok()) {
    s = conn.exec("SELECT pg_advisory_xact_lock(hashtext('sfsync schema ' || current_schema()))");
  }
  if (s.ok()) s = store->schema_.initialize();
  if (s.ok()) s = store->executions_.initialize();
  if (s.ok()) s = store->updates_.initialize();
  if (s.ok()) s = store->state_.initialize();
  if (s.ok()) s = store->deferred_.initialize();
  if (s.ok()) s = store->metadata_.initialize();
  if (s.ok()) {
    s = conn.commit();
  } else {
    conn.rollback();
  }
  if (!s.ok()) {
    return Status::IoError("cannot initialise PostgreSQL store " + settings.url + ": " +
                           s.message());
  }
  return store;
}

PostgresStore::PostgresStore(std::unique_ptr<PgConnection> db)
    : db_(std::move(db)),
      schema_(*db_),
      executions_(*db_),
      updates_(*db_),
      state_(*db_),
      rowSets_(*db_, schema_),
      lookups_(*db_, schema_, indexed_),
      deferred_(*db_),
      metadata_(*db_),
      runLocks_(*db_) {}

Status PostgresStore::ensureConnected() {
  if (db_->inOuterTransaction() || !db_->connectionLost()) return Status::OK();
  // The call that noticed the loss failed; this one connects again (issue 12) and takes back the
  // run locks of the executions still running here.
  Status s = db_->reconnect();
  if (!s.ok()) return s;
  return runLocks_.reacquire();
}

template <class Fn>
auto PostgresStore::write(const char* what, Fn fn) -> decltype(fn()) {
  if (Status up = ensureConnected(); !up.ok()) return up;
  const bool inTransaction = db_->inOuterTransaction();
  // Its own transaction, or a savepoint inside transaction(): a failure undoes this call only.
  Status begun = db_->begin();
  if (!begun.ok()) {
    if (inTransaction && transactionError_.ok()) transactionError_ = begun;
    return begun;
  }
  auto result = guarded(*db_, what, fn);
  if (statusOf(result).ok()) {
    Status committed = db_->commit();
    if (!committed.ok()) {
      if (inTransaction && transactionError_.ok()) transactionError_ = committed;
      return committed;
    }
  } else {
    db_->rollback();
    if (inTransaction && transactionError_.ok()) transactionError_ = statusOf(result);
  }
  return result;
}

template <class Fn>
auto PostgresStore::read(const char* what, Fn fn) -> decltype(fn()) {
  if (Status up = ensureConnected(); !up.ok()) return up;
  auto result = guarded(*db_, what, fn);
  // A failed query aborts an enclosing transaction(): it must fail even if the body goes on.
  if (!statusOf(result).ok() && db_->inOuterTransaction() && db_->transactionAborted() &&
      transactionError_.ok()) {
    transactionError_ = statusOf(result);
  }
  return result;
}

Status PostgresStore::runBody(const std::function<Status()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("transaction body threw: ") + e.what());
  } catch (...) {
    return Status::Internal("transaction body threw an unknown exception");
  }
}

Status PostgresStore::withPgConnection(const std::function<Status(PgConnection&)>& fn) {
  Lock lock(mu_);
  return write("outbox", [&]() -> Status { return fn(*db_); });
}

Status PostgresStore::transaction(const std::function<Status()>& body) {
  if (!body) return Status::InvalidArgument("transaction without a body");
  Lock lock(mu_);
  if (db_->inOuterTransaction()) {
    // Nested: joins the enclosing transaction; a failure makes it rollback-only.
    Status s = runBody(body);
    if (!s.ok() && transactionError_.ok()) transactionError_ = s;
    return s;
  }
  Status s = beginOuter();
  if (!s.ok()) return s;
  OuterTransactionGuard guard(*db_);
  return endOuter(runBody(body));
}

Result<std::unique_ptr<Store::OpenTransaction>> PostgresStore::begin() {
  return HeldTransaction::open(
      mu_, [this] { return db_->inOuterTransaction(); }, [this] { return beginOuter(); },
      [this](Status result) { return endOuter(std::move(result)); });
}

Status PostgresStore::beginOuter() {
  if (Status up = ensureConnected(); !up.ok()) return up;
  transactionError_ = Status::OK();
  finishedInTransaction_.clear();
  return db_->beginOuter();
}

Status PostgresStore::endOuter(Status result) {
  Status failure = std::exchange(transactionError_, Status::OK());
  if (result.ok() && !failure.ok()) result = std::move(failure);
  std::vector<std::string> finished = std::exchange(finishedInTransaction_, {});
  if (!result.ok()) {
    db_->rollbackOuter();
    return result;
  }
  Status committed = db_->commitOuter();
  if (committed.ok()) {
    for (const std::string& id : finished) runLocks_.drop(id);  // after the rows say finished
  }
  return committed;
}

Status PostgresStore::ensureTable(const TableSpec& spec,
                                  const std::vector<std::string>& indexColumns) {
  Lock lock(mu_);
  return write("ensureTable", [&] {
    Status locked = lockTable(*db_, spec.name);
    return locked.ok() ? schema_.ensureTable(spec, indexColumns) : locked;
  });
}

Result<std::vector<RowOutcome>> PostgresStore::upsert(const UpsertRequest& request) {
  Lock lock(mu_);
  UpsertFaults faults;
  faults.afterRow = afterRowHook_;
  faults.ioErrorAtRow = std::exchange(ioErrorAtRow_, std::nullopt);
  return write("upsert", [&]() -> Result<std::vector<RowOutcome>> {
    Status locked = lockTable(*db_, request.table);
    if (!locked.ok()) return locked;
    PostgresUpserter upserter(*db_, schema_, indexed_, request, faults);
    return upserter.run();
  });
}

Result<std::int64_t> PostgresStore::updateColumns(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<std::pair<std::string, Row>>& rows) {
  Lock lock(mu_);
  return write("updateColumns", [&]() -> Result<std::int64_t> {
    Status locked = lockTable(*db_, table);
    if (!locked.ok()) return locked;
    PostgresColumnUpdater updater(*db_, schema_, table, columns, rows);
    return updater.run();
  });
}

Result<std::vector<Row>> PostgresStore::select(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<std::pair<std::string, Value>>& equals) {
  Lock lock(mu_);
  return read("select", [&] { return selectLocked(table, columns, equals); });
}

Result<std::vector<Row>> PostgresStore::selectLocked(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<std::pair<std::string, Value>>& equals) {
  Result<std::optional<TableInfo>> loaded = schema_.load(table);
  if (!loaded.ok()) return loaded.status();
  if (!loaded->has_value()) return Status::NotFound("no table '" + table + "' in the store");
  const TableInfo& info = **loaded;
  if (columns.empty()) return Status::InvalidArgument("select from " + info.name + ": no columns");

  std::vector<ColumnType> types(columns.size());
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    Result<std::string> quoted = PostgresRowSets::quotedColumn(info, columns[i], &types[i]);
    if (!quoted.ok()) return quoted.status();
    sql += (i > 0 ? ", " : "") + pgvalue::selectExpression(*quoted, types[i]);
  }
  sql += " FROM " + quoteIdentifier(info.name);
  std::vector<std::optional<std::string>> params;
  for (std::size_t i = 0; i < equals.size(); ++i) {
    ColumnType type = ColumnType::kText;
    Result<std::string> quoted = PostgresRowSets::quotedColumn(info, equals[i].first, &type);
    if (!quoted.ok()) return quoted.status();
    sql += (i == 0 ? " WHERE " : " AND ") + *quoted;
    std::optional<std::string> text;
    std::string why;
    if (isNull(equals[i].second)) {
      sql += " IS NULL";
    } else if (!pgvalue::toText(equals[i].second, type, &text, &why) || !text) {
      sql += " IS NOT NULL AND FALSE";  // a value no row of this column can hold
    } else {
      params.push_back(std::move(text));
      sql += " = $" + std::to_string(params.size()) + "::" + pgvalue::castType(type);
    }
  }
  sql += " ORDER BY " + quoteIdentifier(PostgresSchema::kGsid);
  Result<PgResult> r = db_->query(sql, params);
  if (!r.ok()) return r.status();
  std::vector<Row> rows(static_cast<std::size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    for (std::size_t c = 0; c < types.size(); ++c) {
      rows[i].push_back(pgvalue::fromResult(*r, i, static_cast<int>(c), types[c]));
    }
  }
  return rows;
}

Result<std::int64_t> PostgresStore::count(const std::string& table) {
  Lock lock(mu_);
  return read("count", [&] { return countLocked(table); });
}

Result<std::int64_t> PostgresStore::countLocked(const std::string& table) {
  Result<std::optional<TableInfo>> loaded = schema_.load(table);
  if (!loaded.ok()) return loaded.status();
  if (!loaded->has_value()) return std::int64_t{0};
  Result<PgResult> r = db_->query("SELECT COUNT(*) FROM " + quoteIdentifier((*loaded)->name));
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

Result<std::string> PostgresStore::createIdSet() {
  Lock lock(mu_);
  return write("createIdSet", [&] { return rowSets_.createIdSet(); });
}

Status PostgresStore::addToIdSet(const std::string& set, const std::vector<std::string>& ids) {
  Lock lock(mu_);
  return write("addToIdSet", [&] { return rowSets_.addToIdSet(set, ids); });
}

Status PostgresStore::dropIdSet(const std::string& set) {
  Lock lock(mu_);
  return write("dropIdSet", [&] { return rowSets_.dropIdSet(set); });
}

Result<std::int64_t> PostgresStore::addColumnToIdSet(const std::string& set,
                                                     const std::string& table,
                                                     const std::string& column,
                                                     const RowFilter& where) {
  Lock lock(mu_);
  return write("addColumnToIdSet",
               [&] { return rowSets_.moveColumn(set, table, column, where, false); });
}

Result<std::int64_t> PostgresStore::removeColumnFromIdSet(const std::string& set,
                                                          const std::string& table,
                                                          const std::string& column,
                                                          const RowFilter& where) {
  Lock lock(mu_);
  return write("removeColumnFromIdSet",
               [&] { return rowSets_.moveColumn(set, table, column, where, true); });
}

Result<std::vector<std::vector<std::string>>> PostgresStore::lookupGsids(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<Row>& keys) {
  Lock lock(mu_);  // a write: the first call for a (table, columns) creates their index
  return write("lookupGsids", [&] { return lookups_.lookupGsids(table, columns, keys); });
}

Result<std::vector<std::vector<Row>>> PostgresStore::matchRows(
    const std::string& table, const std::vector<std::string>& keyColumns,
    const std::vector<Row>& keys, const std::vector<std::string>& columns, bool skipDeleted) {
  Lock lock(mu_);
  return read("matchRows",
              [&] { return lookups_.matchRows(table, keyColumns, keys, columns, skipDeleted); });
}

Status PostgresStore::appendDeferred(const std::string& owner, const std::vector<Row>& rows) {
  Lock lock(mu_);
  return write("appendDeferred", [&] { return deferred_.append(owner, rows); });
}

Result<std::vector<std::pair<std::int64_t, Row>>> PostgresStore::readDeferred(
    const std::string& owner, std::int64_t after, std::size_t limit) {
  Lock lock(mu_);
  return read("readDeferred", [&] { return deferred_.read(owner, after, limit); });
}

Status PostgresStore::clearDeferred(const std::string& owner) {
  Lock lock(mu_);
  return write("clearDeferred", [&] { return deferred_.clear(owner); });
}

Result<std::int64_t> PostgresStore::countWhere(const std::string& table, const RowFilter& where) {
  Lock lock(mu_);
  return read("countWhere", [&] { return rowSets_.countWhere(table, where); });
}

Result<std::vector<Row>> PostgresStore::selectWhere(const std::string& table,
                                                    const std::vector<std::string>& columns,
                                                    const RowFilter& where) {
  Lock lock(mu_);
  return read("selectWhere", [&] { return rowSets_.selectWhere(table, columns, where); });
}

Result<std::int64_t> PostgresStore::deleteWhere(const std::string& table, const RowFilter& where) {
  Lock lock(mu_);
  return write("deleteWhere", [&] { return rowSets_.deleteWhere(table, where); });
}

Result<std::int64_t> PostgresStore::updateWhere(const std::string& table,
                                                const std::vector<std::string>& columns,
                                                const Row& values, const RowFilter& where) {
  Lock lock(mu_);
  return write("updateWhere", [&] { return rowSets_.updateWhere(table, columns, values, where); });
}

Status PostgresStore::saveExecution(const ExecutionRecord& record) {
  Lock lock(mu_);
  const bool unfinished = isUnfinishedStatus(record.status);
  bool newlyHeld = false;
  Status saved = write("saveExecution", [&]() -> Status {
    newlyHeld = unfinished && !record.executionId.empty() && !runLocks_.holds(record.executionId);
    if (newlyHeld) {
      Status held = runLocks_.hold(record.executionId);  // before the row says unfinished
      if (!held.ok()) return held;
    }
    return unfinished ? executions_.save(record) : saveFinishedLocked(record);
  });
  if (!saved.ok()) {
    if (newlyHeld) runLocks_.drop(record.executionId);
  } else if (!unfinished && !record.executionId.empty()) {
    // Only once the finished row is committed: until then failInterruptedExecutions of another
    // store must still see the run as live, or it counts it Failed while this one commits it.
    if (db_->inOuterTransaction()) {
      finishedInTransaction_.push_back(record.executionId);
    } else {
      runLocks_.drop(record.executionId);
    }
  }
  return saved;
}

Status PostgresStore::saveFinishedLocked(const ExecutionRecord& record) {
  // One transaction: the row and the totals it adds to (RunTotals) commit together.
  Status s = db_->begin();
  if (!s.ok()) return s;
  ExecutionQuery previous;
  previous.executionId = record.executionId;
  previous.limit = 1;
  Result<std::vector<ExecutionRecord>> before =
      record.executionId.empty()
          ? Result<std::vector<ExecutionRecord>>(std::vector<ExecutionRecord>{})
          : executions_.list(previous);
  s = before.ok() ? executions_.save(record) : before.status();
  // Counted once: when the row is new or was unfinished (a finished row saved again is not).
  if (s.ok() && (before->empty() || isUnfinishedStatus(before->front().status))) {
    s = addToRunTotals(state_, record);
  }
  if (!s.ok()) {
    db_->rollback();
    return s;
  }
  return db_->commit();
}

Result<std::vector<ExecutionRecord>> PostgresStore::listExecutions(const ExecutionQuery& query) {
  Lock lock(mu_);
  return read("listExecutions", [&] { return executions_.list(query); });
}

Result<int> PostgresStore::failInterruptedExecutions(const std::string& endTime,
                                                     const std::string& message) {
  Lock lock(mu_);
  return write("failInterruptedExecutions",
               [&] { return failInterruptedLocked(endTime, message); });
}

Result<int> PostgresStore::failInterruptedLocked(const std::string& endTime,
                                                 const std::string& message) {
  // The write lock for the whole check: no other process can finish a row (and drop its lock) or
  // start one between reading the rows and marking the dead ones.
  Status s = db_->begin();
  if (!s.ok()) return s;
  Result<std::vector<std::string>> unfinished = executions_.unfinishedIds();
  if (!unfinished.ok()) {
    db_->rollback();
    return unfinished.status();
  }
  std::vector<std::string> dead;
  for (const std::string& id : *unfinished) {
    Result<bool> live = runLocks_.isLive(id);
    if (!live.ok()) {
      db_->rollback();
      return live.status();
    }
    if (!*live) dead.push_back(id);
  }
  // Counted only for the rows this UPDATE changed: a row another store finished meanwhile is
  // not counted Failed as well.
  Result<std::vector<std::string>> marked = executions_.failInterrupted(dead, endTime, message);
  Status counted = marked.ok() ? countInterruptedLocked(*marked, endTime) : marked.status();
  if (!counted.ok()) {
    db_->rollback();
    return counted;
  }
  s = db_->commit();
  if (!s.ok()) return s;
  return static_cast<int>(marked->size());
}

Status PostgresStore::countInterruptedLocked(const std::vector<std::string>& ids,
                                             const std::string& endTime) {
  for (const std::string& id : ids) {
    ExecutionQuery query;
    query.executionId = id;
    query.limit = 1;
    Result<std::vector<ExecutionRecord>> rows = executions_.list(query);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) continue;
    ExecutionRecord record = rows->front();
    record.status = "Failed";
    record.endTime = endTime;
    Status s = addToRunTotals(state_, record);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Result<std::vector<std::string>> PostgresStore::pruneExecutions(const std::string& olderThanIso) {
  Lock lock(mu_);
  return write("pruneExecutions", [&] { return pruneLocked(olderThanIso); });
}

Result<std::vector<std::string>> PostgresStore::pruneLocked(const std::string& olderThanIso) {
  if (olderThanIso.empty()) return Status::InvalidArgument("pruneExecutions: empty time bound");
  Status s = db_->begin();
  if (!s.ok()) return s;
  Result<std::vector<std::string>> files = executions_.prune(olderThanIso);
  Result<std::int64_t> updates =
      files.ok() ? updates_.prune(olderThanIso) : Result<std::int64_t>(files.status());
  if (!updates.ok()) {
    db_->rollback();
    return updates.status();
  }
  s = db_->commit();
  if (!s.ok()) return s;
  return files;
}

Status PostgresStore::putState(const std::string& key, const std::string& value) {
  Lock lock(mu_);
  return write("putState", [&] { return state_.put(key, value); });
}

Result<std::optional<std::string>> PostgresStore::getState(const std::string& key) {
  Lock lock(mu_);
  return read("getState", [&] { return state_.get(key); });
}

Status PostgresStore::eraseState(const std::string& key) {
  Lock lock(mu_);
  return write("eraseState", [&] { return state_.erase(key); });
}

Result<std::vector<std::pair<std::string, std::string>>> PostgresStore::listState(
    const std::string& prefix) {
  Lock lock(mu_);
  return read("listState", [&] { return state_.list(prefix); });
}

Status PostgresStore::saveUpdate(const UpdateRecord& record) {
  Lock lock(mu_);
  return write("saveUpdate", [&] { return updates_.save(record); });
}

Result<std::vector<UpdateRecord>> PostgresStore::listUpdates(int limit,
                                                             const std::string& beforeTime) {
  Lock lock(mu_);
  return read("listUpdates", [&] { return updates_.list(limit, beforeTime); });
}

void PostgresStore::setAfterRowHookForTest(std::function<void(std::size_t row)> hook) {
  Lock lock(mu_);
  afterRowHook_ = std::move(hook);
}

void PostgresStore::failRowWithIoErrorForTest(std::size_t row) {
  Lock lock(mu_);
  ioErrorAtRow_ = row;
}

Status PostgresStore::putMetadata(const MetadataEntry& entry) {
  Lock lock(mu_);
  return write("putMetadata", [&] { return metadata_.put(entry); });
}

Result<std::optional<MetadataEntry>> PostgresStore::getMetadata(const std::string& connection,
                                                                const std::string& object) {
  Lock lock(mu_);
  return read("getMetadata", [&] { return metadata_.get(connection, object); });
}

Result<std::vector<MetadataEntry>> PostgresStore::listMetadata(const std::string& connection) {
  Lock lock(mu_);
  return read("listMetadata", [&] { return metadata_.list(connection); });
}

}  // namespace sfsync::store
