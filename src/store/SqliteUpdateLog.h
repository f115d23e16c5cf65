// SqliteUpdateLog: update (config audit) activity rows in the table sfsync_updates, one column per
// UpdateRecord field, id the primary key, indexed for the newest-first listing.
//
// Errors: IoError with SQLite's message; InvalidArgument for a record without a time.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/UpdateRecord.h"
#include "store/SqliteDb.h"

namespace sfsync::store {

class SqliteUpdateLog {
 public:
  explicit SqliteUpdateLog(SqliteDb& db) : db_(db) {}

  // Creates the table and its index if missing. Call once after open.
  Status initialize();

  // Insert or replace by id; a new UUID when the record's id is empty.
  Status save(const UpdateRecord& record);
  // Newest first (time, then id, descending); time < beforeTime when non-empty; at most `limit`
  // rows, no limit when limit <= 0.
  Result<std::vector<UpdateRecord>> list(int limit, const std::string& beforeTime);
  // Deletes the rows with time < olderThan (inside the caller's transaction); returns how many.
  Result<std::int64_t> prune(const std::string& olderThan);

 private:
  SqliteDb& db_;
};

}  // namespace sfsync::store
