#include "store/SqliteStore.h"

#include <exception>
#include <memory>
#include <utility>

#include "sfsync/store/RunTotals.h"
#include "store/HeldTransaction.h"
#include "store/RunTotalsUpdate.h"
#include "store/SqlNames.h"
#include "store/SqliteColumnUpdater.h"
#include "store/SqliteUpserter.h"

namespace sfsync::store {

namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

const Status& statusOf(const Status& status) { return status; }
template <class T>
const Status& statusOf(const Result<T>& result) {
  return result.status();
}

// Runs `fn`, turning an escaping exception (bad_alloc, or a throwing test hook) into Internal after
// rolling back whatever transaction it interrupted: nothing throws out of the store. The kept
// statements go first: the exception may have left one mid-step (holding its read snapshot).
template <class Fn>
auto guarded(SqliteDb& db, const char* what, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    db.forgetStatements();
    db.rollback();
    return Status::Internal(std::string(what) + ": " + e.what());
  } catch (...) {
    db.forgetStatements();
    db.rollback();
    return Status::Internal(std::string(what) + ": unknown exception");
  }
}

// Ends an outer transaction that is still open when transaction() is left (rolls it back).
class OuterTransactionGuard {
 public:
  explicit OuterTransactionGuard(SqliteDb& db) : db_(db) {}
  ~OuterTransactionGuard() {
    if (db_.inOuterTransaction()) db_.rollbackOuter();
  }
  OuterTransactionGuard(const OuterTransactionGuard&) = delete;
  OuterTransactionGuard& operator=(const OuterTransactionGuard&) = delete;

 private:
  SqliteDb& db_;
};

}  // namespace

Result<StorePtr> openSqliteStore(const std::string& path, int cacheMb) {
  try {
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(path, cacheMb);
    if (!store.ok()) return store.status();
    return StorePtr(std::move(store).value());
  } catch (const std::exception& e) {
    return Status::Internal("cannot open SQLite store " + path + ": " + e.what());
  }
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, int cacheMb) {
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(path, cacheMb);
  if (!db.ok()) return db.status();
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db).value()));
  Status s = store->schema_.initialize();
  if (s.ok()) s = store->executions_.initialize();
  if (s.ok()) s = store->updates_.initialize();
  if (s.ok()) s = store->state_.initialize();
  if (s.ok()) s = store->deferred_.initialize();
  if (s.ok()) s = store->metadata_.initialize();
  if (s.ok()) s = store->rowSets_.initialize();
  if (!s.ok())
    return Status::IoError("cannot initialise SQLite store " + path + ": " + s.message());
  return store;
}

SqliteStore::SqliteStore(std::unique_ptr<SqliteDb> db)
    : db_(std::move(db)),
      schema_(*db_),
      executions_(*db_),
      updates_(*db_),
      state_(*db_),
      rowSets_(*db_, schema_),
      lookups_(*db_, schema_),
      deferred_(*db_),
      metadata_(*db_),
      runLocks_(db_->path()) {}

template <class Fn>
auto SqliteStore::write(const char* what, Fn fn) -> decltype(fn()) {
  const bool inTransaction = db_->inOuterTransaction();
  if (inTransaction && !db_->inTransaction()) {
    // SQLite ended the transaction after an earlier error: writing now would autocommit.
    Status lost = Status::IoError(std::string(what) +
                                  ": the enclosing transaction was rolled back by SQLite after an "
                                  "earlier error");
    if (transactionError_.ok()) transactionError_ = lost;
    return lost;
  }
  auto result = guarded(*db_, what, fn);
  if (inTransaction && !statusOf(result).ok() && transactionError_.ok()) {
    transactionError_ = statusOf(result);
  }
  return result;
}

Status SqliteStore::withConnection(const std::function<Status(SqliteDb&)>& fn) {
  Lock lock(mu_);
  return write("outbox", [&] { return fn(*db_); });
}

Status SqliteStore::runBody(const std::function<Status()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("transaction body threw: ") + e.what());
  } catch (...) {
    return Status::Internal("transaction body threw an unknown exception");
  }
}

Status SqliteStore::transaction(const std::function<Status()>& body) {
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

Result<std::unique_ptr<Store::OpenTransaction>> SqliteStore::begin() {
  return HeldTransaction::open(
      mu_, [this] { return db_->inOuterTransaction(); }, [this] { return beginOuter(); },
      [this](Status result) { return endOuter(std::move(result)); });
}

Status SqliteStore::beginOuter() {
  transactionError_ = Status::OK();
  return db_->beginOuter();
}

Status SqliteStore::endOuter(Status result) {
  Status failure = std::exchange(transactionError_, Status::OK());
  if (result.ok() && !failure.ok()) result = std::move(failure);
  if (!result.ok()) {
    db_->rollbackOuter();
    return result;
  }
  return db_->commitOuter();
}

Status SqliteStore::ensureTable(const TableSpec& spec,
                                const std::vector<std::string>& indexColumns) {
  Lock lock(mu_);
  return write("ensureTable", [&] { return schema_.ensureTable(spec, indexColumns); });
}

Result<std::vector<RowOutcome>> SqliteStore::upsert(const UpsertRequest& request) {
  Lock lock(mu_);
  UpsertFaults faults;
  faults.afterRow = afterRowHook_;
  faults.ioErrorAtRow = std::exchange(ioErrorAtRow_, std::nullopt);
  return write("upsert", [&] {
    SqliteUpserter upserter(*db_, schema_, request, faults);
    return upserter.run();
  });
}

Result<std::int64_t> SqliteStore::updateColumns(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<std::pair<std::string, Row>>& rows) {
  Lock lock(mu_);
  return write("updateColumns", [&] {
    SqliteColumnUpdater updater(*db_, schema_, table, columns, rows);
    return updater.run();
  });
}

Result<std::vector<Row>> SqliteStore::select(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<std::pair<std::string, Value>>& equals) {
  Lock lock(mu_);
  return guarded(*db_, "select", [&] { return selectLocked(table, columns, equals); });
}

Result<std::vector<Row>> SqliteStore::selectLocked(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<std::pair<std::string, Value>>& equals) {
  Result<std::optional<TableInfo>> loaded = schema_.load(table);
  if (!loaded.ok()) return loaded.status();
  if (!loaded->has_value()) return Status::NotFound("no table '" + table + "' in the store");
  const TableInfo& info = **loaded;
  if (columns.empty()) return Status::InvalidArgument("select from " + info.name + ": no columns");

  // Resolves a requested name to its canonical (quoted) form and declared type.
  auto resolve = [&info](const std::string& name, std::string* quoted, ColumnType* type) {
    if (equalsIgnoreCase(name, SqliteSchema::kGsid)) {
      *quoted = quoteIdentifier(SqliteSchema::kGsid);
      *type = ColumnType::kText;
      return true;
    }
    const ColumnSpec* column = info.find(name);
    if (column == nullptr) return false;
    *quoted = quoteIdentifier(column->name);
    *type = column->type;
    return true;
  };

  std::vector<ColumnType> types(columns.size());
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string quoted;
    if (!resolve(columns[i], &quoted, &types[i])) {
      return Status::InvalidArgument("table " + info.name + " has no column '" + columns[i] + "'");
    }
    sql += (i > 0 ? ", " : "") + quoted;
  }
  sql += " FROM " + quoteIdentifier(info.name);
  std::vector<const Value*> params;
  for (std::size_t i = 0; i < equals.size(); ++i) {
    std::string quoted;
    ColumnType type;
    if (!resolve(equals[i].first, &quoted, &type)) {
      return Status::InvalidArgument("table " + info.name + " has no column '" + equals[i].first +
                                     "'");
    }
    sql += (i == 0 ? " WHERE " : " AND ") + quoted;
    if (isNull(equals[i].second)) {
      sql += " IS NULL";
    } else {
      params.push_back(&equals[i].second);
      sql += " = ?" + std::to_string(params.size());
    }
  }
  sql += " ORDER BY " + quoteIdentifier(SqliteSchema::kGsid);

  Result<SqliteStatement> stmt = db_->prepare(sql);
  if (!stmt.ok()) return stmt.status();
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (stmt->bindValue(static_cast<int>(p + 1), *params[p]) != SQLITE_OK) {
      return db_->ioError("select from " + info.name);
    }
  }
  std::vector<Row> rows;
  if (stmt->readRows(types, rows) != SQLITE_DONE) return db_->ioError("select from " + info.name);
  return rows;
}

Result<std::int64_t> SqliteStore::count(const std::string& table) {
  Lock lock(mu_);
  return guarded(*db_, "count", [&] { return countLocked(table); });
}

Result<std::int64_t> SqliteStore::countLocked(const std::string& table) {
  Result<std::optional<TableInfo>> loaded = schema_.load(table);
  if (!loaded.ok()) return loaded.status();
  if (!loaded->has_value()) return std::int64_t{0};
  Result<SqliteStatement> stmt =
      db_->prepare("SELECT COUNT(*) FROM " + quoteIdentifier((*loaded)->name));
  if (!stmt.ok()) return stmt.status();
  if (stmt->step() != SQLITE_ROW) return db_->ioError("count rows of " + table);
  return stmt->columnInt64(0);
}

Result<std::string> SqliteStore::createIdSet() {
  Lock lock(mu_);
  return write("createIdSet", [&] { return rowSets_.createIdSet(); });
}

Status SqliteStore::addToIdSet(const std::string& set, const std::vector<std::string>& ids) {
  Lock lock(mu_);
  return write("addToIdSet", [&] { return rowSets_.addToIdSet(set, ids); });
}

Status SqliteStore::dropIdSet(const std::string& set) {
  Lock lock(mu_);
  return write("dropIdSet", [&] { return rowSets_.dropIdSet(set); });
}

Result<std::int64_t> SqliteStore::addColumnToIdSet(const std::string& set, const std::string& table,
                                                   const std::string& column,
                                                   const RowFilter& where) {
  Lock lock(mu_);
  return write("addColumnToIdSet",
               [&] { return rowSets_.moveColumn(set, table, column, where, false); });
}

Result<std::int64_t> SqliteStore::removeColumnFromIdSet(const std::string& set,
                                                        const std::string& table,
                                                        const std::string& column,
                                                        const RowFilter& where) {
  Lock lock(mu_);
  return write("removeColumnFromIdSet",
               [&] { return rowSets_.moveColumn(set, table, column, where, true); });
}

Result<std::vector<std::vector<std::string>>> SqliteStore::lookupGsids(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<Row>& keys) {
  Lock lock(mu_);  // a write: the first call for a (table, columns) creates their index
  return write("lookupGsids", [&] { return lookups_.lookupGsids(table, columns, keys); });
}

Result<std::vector<std::vector<Row>>> SqliteStore::matchRows(
    const std::string& table, const std::vector<std::string>& keyColumns,
    const std::vector<Row>& keys, const std::vector<std::string>& columns, bool skipDeleted) {
  Lock lock(mu_);
  return guarded(*db_, "matchRows",
                 [&] { return lookups_.matchRows(table, keyColumns, keys, columns, skipDeleted); });
}

Status SqliteStore::appendDeferred(const std::string& owner, const std::vector<Row>& rows) {
  Lock lock(mu_);
  return write("appendDeferred", [&] { return deferred_.append(owner, rows); });
}

Result<std::vector<std::pair<std::int64_t, Row>>> SqliteStore::readDeferred(
    const std::string& owner, std::int64_t after, std::size_t limit) {
  Lock lock(mu_);
  return guarded(*db_, "readDeferred", [&] { return deferred_.read(owner, after, limit); });
}

Status SqliteStore::clearDeferred(const std::string& owner) {
  Lock lock(mu_);
  return write("clearDeferred", [&] { return deferred_.clear(owner); });
}

Result<std::int64_t> SqliteStore::countWhere(const std::string& table, const RowFilter& where) {
  Lock lock(mu_);
  return guarded(*db_, "countWhere", [&] { return rowSets_.countWhere(table, where); });
}

Result<std::vector<Row>> SqliteStore::selectWhere(const std::string& table,
                                                  const std::vector<std::string>& columns,
                                                  const RowFilter& where) {
  Lock lock(mu_);
  return guarded(*db_, "selectWhere", [&] { return rowSets_.selectWhere(table, columns, where); });
}

Result<std::int64_t> SqliteStore::deleteWhere(const std::string& table, const RowFilter& where) {
  Lock lock(mu_);
  return write("deleteWhere", [&] { return rowSets_.deleteWhere(table, where); });
}

Result<std::int64_t> SqliteStore::updateWhere(const std::string& table,
                                              const std::vector<std::string>& columns,
                                              const Row& values, const RowFilter& where) {
  Lock lock(mu_);
  return write("updateWhere", [&] { return rowSets_.updateWhere(table, columns, values, where); });
}

Status SqliteStore::saveExecution(const ExecutionRecord& record) {
  Lock lock(mu_);
  return write("saveExecution", [&]() -> Status {
    const bool unfinished = isUnfinishedStatus(record.status);
    const bool newlyHeld =
        unfinished && !record.executionId.empty() && !runLocks_.holds(record.executionId);
    if (newlyHeld) {
      Status held = runLocks_.hold(record.executionId);  // before the row says unfinished
      if (!held.ok()) return held;
    }
    Status saved = unfinished ? executions_.save(record) : saveFinishedLocked(record);
    if (saved.ok() ? !unfinished : newlyHeld) {
      runLocks_.drop(record.executionId);  // after the row says finished
    }
    return saved;
  });
}

Status SqliteStore::saveFinishedLocked(const ExecutionRecord& record) {
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

Result<std::vector<ExecutionRecord>> SqliteStore::listExecutions(const ExecutionQuery& query) {
  Lock lock(mu_);
  return guarded(*db_, "listExecutions", [&] { return executions_.list(query); });
}

Result<int> SqliteStore::failInterruptedExecutions(const std::string& endTime,
                                                   const std::string& message) {
  Lock lock(mu_);
  return write("failInterruptedExecutions",
               [&] { return failInterruptedLocked(endTime, message); });
}

Result<int> SqliteStore::failInterruptedLocked(const std::string& endTime,
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
  Status counted = countInterruptedLocked(dead, endTime);
  if (!counted.ok()) {
    db_->rollback();
    return counted;
  }
  Result<int> marked = executions_.failInterrupted(dead, endTime, message);
  if (!marked.ok()) {
    db_->rollback();
    return marked.status();
  }
  s = db_->commit();
  if (!s.ok()) return s;
  return marked;
}

Status SqliteStore::countInterruptedLocked(const std::vector<std::string>& ids,
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

Result<std::vector<std::string>> SqliteStore::pruneExecutions(const std::string& olderThanIso) {
  Lock lock(mu_);
  return write("pruneExecutions", [&] { return pruneLocked(olderThanIso); });
}

Result<std::vector<std::string>> SqliteStore::pruneLocked(const std::string& olderThanIso) {
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

Status SqliteStore::putState(const std::string& key, const std::string& value) {
  Lock lock(mu_);
  return write("putState", [&] { return state_.put(key, value); });
}

Result<std::optional<std::string>> SqliteStore::getState(const std::string& key) {
  Lock lock(mu_);
  return guarded(*db_, "getState", [&] { return state_.get(key); });
}

Status SqliteStore::eraseState(const std::string& key) {
  Lock lock(mu_);
  return write("eraseState", [&] { return state_.erase(key); });
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::listState(
    const std::string& prefix) {
  Lock lock(mu_);
  return guarded(*db_, "listState", [&] { return state_.list(prefix); });
}

Status SqliteStore::saveUpdate(const UpdateRecord& record) {
  Lock lock(mu_);
  return write("saveUpdate", [&] { return updates_.save(record); });
}

Result<std::vector<UpdateRecord>> SqliteStore::listUpdates(int limit,
                                                           const std::string& beforeTime) {
  Lock lock(mu_);
  return guarded(*db_, "listUpdates", [&] { return updates_.list(limit, beforeTime); });
}

void SqliteStore::setAfterRowHookForTest(std::function<void(std::size_t row)> hook) {
  Lock lock(mu_);
  afterRowHook_ = std::move(hook);
}

void SqliteStore::failRowWithIoErrorForTest(std::size_t row) {
  Lock lock(mu_);
  ioErrorAtRow_ = row;
}

Status SqliteStore::putMetadata(const MetadataEntry& entry) {
  Lock lock(mu_);
  return write("putMetadata", [&] { return metadata_.put(entry); });
}

Result<std::optional<MetadataEntry>> SqliteStore::getMetadata(const std::string& connection,
                                                              const std::string& object) {
  Lock lock(mu_);
  return guarded(*db_, "getMetadata", [&] { return metadata_.get(connection, object); });
}

Result<std::vector<MetadataEntry>> SqliteStore::listMetadata(const std::string& connection) {
  Lock lock(mu_);
  return guarded(*db_, "listMetadata", [&] { return metadata_.list(connection); });
}

}  // namespace sfsync::store
