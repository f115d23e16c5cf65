// PostgresUpdateLog: update (config audit) activity rows (sfsync_updates) on PostgreSQL;
// semantics as SqliteUpdateLog.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/UpdateRecord.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PostgresUpdateLog {
 public:
  explicit PostgresUpdateLog(PgConnection& db) : db_(db) {}
  Status initialize();
  Status save(const UpdateRecord& record);
  Result<std::vector<UpdateRecord>> list(int limit, const std::string& beforeTime);
  Result<std::int64_t> prune(const std::string& olderThan);

 private:
  PgConnection& db_;
};

}  // namespace sfsync::store
