// PostgresDeferredQueue: the per-owner queues of deferred rows (sfsync_deferred: owner, seq,
// row bytea in ValueCodec's encoding) on PostgreSQL; semantics as SqliteDeferredQueue. A batch is
// appended with one COPY and one INSERT.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PostgresDeferredQueue {
 public:
  explicit PostgresDeferredQueue(PgConnection& db) : db_(db) {}
  Status initialize();
  Status append(const std::string& owner, const std::vector<Row>& rows);
  Result<std::vector<std::pair<std::int64_t, Row>>> read(const std::string& owner,
                                                         std::int64_t after, std::size_t limit);
  Status clear(const std::string& owner);

 private:
  PgConnection& db_;
};

}  // namespace sfsync::store
