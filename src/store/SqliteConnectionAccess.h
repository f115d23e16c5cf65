// SqliteConnectionAccess: lets a component of the SQLite store module that is not part of the
// Store interface (the write-back Outbox) use the store's own connection, under the store's lock.
// Implemented by SqliteStore; reached with dynamic_cast from a Store&.
//
// Thread-safety: withConnection() holds the store's (re-entrant) lock while `fn` runs; inside an
// open Store::transaction() on the same thread, `fn`'s writes join that transaction.
#pragma once

#include <functional>

#include "sfsync/core/Status.h"
#include "store/SqliteDb.h"

namespace sfsync::store {

class SqliteConnectionAccess {
 public:
  virtual ~SqliteConnectionAccess() = default;
  // Runs `fn` on the store's connection; an exception from `fn` is kInternal. A failure inside an
  // open transaction() makes it rollback-only, like any store write.
  virtual Status withConnection(const std::function<Status(SqliteDb&)>& fn) = 0;
};

}  // namespace sfsync::store
