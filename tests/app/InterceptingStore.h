// InterceptingStore: a Store that forwards every call to a real store, except that putState,
// saveUpdate, saveExecution, upsert, begin and getState first call an optional test callback, which
// may block (to hold a writer in the middle of an action), observe the daemon, or return an error
// that is then returned instead of writing. Lets runtime tests create store failures and
// interleavings deterministically.
//
// Thread-safety: as the wrapped store; the callbacks must be set before concurrent use and must be
// thread-safe themselves.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/store/Store.h"

namespace sfsync::app::testing {

class InterceptingStore : public store::Store {
 public:
  explicit InterceptingStore(store::Store& inner) : inner_(inner) {}

  // Called before each putState; a non-OK result is returned without writing.
  std::function<Status(const std::string& key, const std::string& value)> beforePut;
  // Called before each saveUpdate; a non-OK result is returned without writing.
  std::function<Status(const store::UpdateRecord&)> beforeUpdate;
  // Called before each upsert; a non-OK result is returned without writing.
  std::function<Status(const store::UpsertRequest&)> beforeUpsert;
  // Called before each begin() (Store::OpenTransaction).
  std::function<void()> beforeBegin;
  // Called before each saveExecution; a non-OK result is returned without writing.
  std::function<Status(const store::ExecutionRecord&)> beforeSaveExecution;
  // Called before each getState.
  std::function<void(const std::string& key)> beforeGetState;

  Status putState(const std::string& key, const std::string& value) override {
    if (beforePut) {
      Status s = beforePut(key, value);
      if (!s.ok()) return s;
    }
    return inner_.putState(key, value);
  }
  Status saveUpdate(const store::UpdateRecord& record) override {
    if (beforeUpdate) {
      Status s = beforeUpdate(record);
      if (!s.ok()) return s;
    }
    return inner_.saveUpdate(record);
  }

  Status transaction(const std::function<Status()>& body) override {
    return inner_.transaction(body);
  }
  Result<std::unique_ptr<OpenTransaction>> begin() override {
    if (beforeBegin) beforeBegin();
    return inner_.begin();
  }
  Status ensureTable(const store::TableSpec& spec,
                     const std::vector<std::string>& indexColumns) override {
    return inner_.ensureTable(spec, indexColumns);
  }
  Result<std::vector<store::RowOutcome>> upsert(const store::UpsertRequest& request) override {
    if (beforeUpsert) {
      Status s = beforeUpsert(request);
      if (!s.ok()) return s;
    }
    return inner_.upsert(request);
  }
  Result<std::int64_t> updateColumns(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<std::pair<std::string, store::Row>>& rows) override {
    return inner_.updateColumns(table, columns, rows);
  }
  Result<std::vector<store::Row>> select(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<std::pair<std::string, Value>>& equals) override {
    return inner_.select(table, columns, equals);
  }
  Result<std::int64_t> count(const std::string& table) override { return inner_.count(table); }
  Result<std::vector<std::vector<std::string>>> lookupGsids(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<store::Row>& keys) override {
    return inner_.lookupGsids(table, columns, keys);
  }
  Result<std::vector<std::vector<store::Row>>> matchRows(const std::string& table,
                                                         const std::vector<std::string>& keyColumns,
                                                         const std::vector<store::Row>& keys,
                                                         const std::vector<std::string>& columns,
                                                         bool skipDeleted) override {
    return inner_.matchRows(table, keyColumns, keys, columns, skipDeleted);
  }
  Status appendDeferred(const std::string& owner, const std::vector<store::Row>& rows) override {
    return inner_.appendDeferred(owner, rows);
  }
  Result<std::vector<std::pair<std::int64_t, store::Row>>> readDeferred(
      const std::string& owner, std::int64_t after, std::size_t limit) override {
    return inner_.readDeferred(owner, after, limit);
  }
  Status clearDeferred(const std::string& owner) override { return inner_.clearDeferred(owner); }
  Result<std::string> createIdSet() override { return inner_.createIdSet(); }
  Status addToIdSet(const std::string& set, const std::vector<std::string>& ids) override {
    return inner_.addToIdSet(set, ids);
  }
  Status dropIdSet(const std::string& set) override { return inner_.dropIdSet(set); }
  Result<std::int64_t> addColumnToIdSet(const std::string& set, const std::string& table,
                                        const std::string& column,
                                        const store::RowFilter& where) override {
    return inner_.addColumnToIdSet(set, table, column, where);
  }
  Result<std::int64_t> removeColumnFromIdSet(const std::string& set, const std::string& table,
                                             const std::string& column,
                                             const store::RowFilter& where) override {
    return inner_.removeColumnFromIdSet(set, table, column, where);
  }
  Result<std::int64_t> countWhere(const std::string& table,
                                  const store::RowFilter& where) override {
    return inner_.countWhere(table, where);
  }
  Result<std::vector<store::Row>> selectWhere(const std::string& table,
                                              const std::vector<std::string>& columns,
                                              const store::RowFilter& where) override {
    return inner_.selectWhere(table, columns, where);
  }
  Result<std::int64_t> deleteWhere(const std::string& table,
                                   const store::RowFilter& where) override {
    return inner_.deleteWhere(table, where);
  }
  Result<std::int64_t> updateWhere(const std::string& table,
                                   const std::vector<std::string>& columns,
                                   const store::Row& values,
                                   const store::RowFilter& where) override {
    return inner_.updateWhere(table, columns, values, where);
  }
  Status eraseState(const std::string& key) override { return inner_.eraseState(key); }
  Status saveExecution(const store::ExecutionRecord& record) override {
    if (beforeSaveExecution) {
      Status s = beforeSaveExecution(record);
      if (!s.ok()) return s;
    }
    return inner_.saveExecution(record);
  }
  Result<std::vector<store::ExecutionRecord>> listExecutions(
      const store::ExecutionQuery& query) override {
    return inner_.listExecutions(query);
  }
  Result<int> failInterruptedExecutions(const std::string& endTime,
                                        const std::string& message) override {
    return inner_.failInterruptedExecutions(endTime, message);
  }
  Result<std::vector<std::string>> pruneExecutions(const std::string& olderThanIso) override {
    return inner_.pruneExecutions(olderThanIso);
  }
  Result<std::optional<std::string>> getState(const std::string& key) override {
    if (beforeGetState) beforeGetState(key);
    return inner_.getState(key);
  }
  Result<std::vector<std::pair<std::string, std::string>>> listState(
      const std::string& prefix) override {
    return inner_.listState(prefix);
  }
  Result<std::vector<store::UpdateRecord>> listUpdates(int limit,
                                                       const std::string& beforeTime) override {
    return inner_.listUpdates(limit, beforeTime);
  }
  Status putMetadata(const store::MetadataEntry& entry) override {
    return inner_.putMetadata(entry);
  }
  Result<std::optional<store::MetadataEntry>> getMetadata(const std::string& connection,
                                                          const std::string& object) override {
    return inner_.getMetadata(connection, object);
  }
  Result<std::vector<store::MetadataEntry>> listMetadata(const std::string& connection) override {
    return inner_.listMetadata(connection);
  }

 private:
  store::Store& inner_;
};

}  // namespace sfsync::app::testing
