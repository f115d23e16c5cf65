// PgConnectionAccess: lets a component of the PostgreSQL store module that is not part of the
// Store interface (the write-back Outbox, PgOutbox) use the store's own connection, under the
// store's lock. Implemented by PostgresStore; reached with dynamic_cast from a Store&.
//
// Thread-safety: withPgConnection() holds the store's (re-entrant) lock while `fn` runs, in its
// own transaction (a savepoint inside an open Store::transaction() on the same thread, whose
// failure makes that transaction rollback-only, like any store write).
#pragma once

#include <functional>

#include "sfsync/core/Status.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PgConnectionAccess {
 public:
  virtual ~PgConnectionAccess() = default;
  virtual Status withPgConnection(const std::function<Status(PgConnection&)>& fn) = 0;
};

}  // namespace sfsync::store
