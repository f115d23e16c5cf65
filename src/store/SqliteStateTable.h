// SqliteStateTable: the daemon's key/value state (Store::putState, getState, listState) in the
// table sfsync_state(key TEXT PRIMARY KEY, value TEXT, updated_at TEXT). Keys compare byte-wise
// (BINARY collation), so a prefix listing is an index range scan. updated_at is for operators
// reading the file: it is set from SQLite's clock in the formatIso8601 form and is not part of the
// Store API (nothing reads it back).
//
// Errors: IoError with SQLite's message; InvalidArgument for an empty key.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "store/SqliteDb.h"

namespace sfsync::store {

class SqliteStateTable {
 public:
  explicit SqliteStateTable(SqliteDb& db) : db_(db) {}

  // Creates the table if missing. Call once after open.
  Status initialize();

  // Insert or replace.
  Status put(const std::string& key, const std::string& value);
  // std::nullopt when the key is absent.
  Result<std::optional<std::string>> get(const std::string& key);
  // Removes the key; absent: OK.
  Status erase(const std::string& key);
  // Every pair whose key starts with `prefix` ("" = all), ordered by key.
  Result<std::vector<std::pair<std::string, std::string>>> list(const std::string& prefix);

 private:
  SqliteDb& db_;
};

}  // namespace sfsync::store
