// SqliteDeferredQueue: the store's persistent queues of deferred rows (Store::appendDeferred,
// readDeferred, clearDeferred) in the table sfsync_deferred(owner TEXT, seq INTEGER, row BLOB,
// PRIMARY KEY (owner, seq)) WITHOUT ROWID; rows are encoded with core/ValueCodec. Writes join the
// open transaction like every store write, so a page's deferred rows commit with the page.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/store/Store.h"
#include "store/SqliteDb.h"

namespace sfsync::store {

class SqliteDeferredQueue {
 public:
  explicit SqliteDeferredQueue(SqliteDb& db) : db_(db) {}

  // Creates the table if missing. Call once after open.
  Status initialize();
  Status append(const std::string& owner, const std::vector<Row>& rows);
  Result<std::vector<std::pair<std::int64_t, Row>>> read(const std::string& owner,
                                                         std::int64_t after, std::size_t limit);
  Status clear(const std::string& owner);

 private:
  SqliteDb& db_;
};

}  // namespace sfsync::store
