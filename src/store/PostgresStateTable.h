// PostgresStateTable: the daemon's key/value state (sfsync_state) on PostgreSQL; semantics as
// SqliteStateTable. Keys and values are bytea (any bytes, NUL included; keys sort byte-wise).
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PostgresStateTable {
 public:
  explicit PostgresStateTable(PgConnection& db) : db_(db) {}
  Status initialize();
  Status put(const std::string& key, const std::string& value);
  Result<std::optional<std::string>> get(const std::string& key);
  Status erase(const std::string& key);
  Result<std::vector<std::pair<std::string, std::string>>> list(const std::string& prefix);

 private:
  PgConnection& db_;
};

}  // namespace sfsync::store
