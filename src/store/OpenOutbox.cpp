// openOutbox (sfsync/store/Outbox.h): the outbox of whichever store `store` is.
#include "sfsync/store/Outbox.h"
#include "store/PgOutbox.h"
#include "store/SqliteConnectionAccess.h"

namespace sfsync::store {

Result<OutboxPtr> openOutbox(Store& store, bool readOnly) {
  if (dynamic_cast<SqliteConnectionAccess*>(&store) != nullptr) {
    return openSqliteOutbox(store, readOnly);
  }
  auto* pg = dynamic_cast<PgConnectionAccess*>(&store);
  if (pg == nullptr) {
    return Status::InvalidArgument(
        "write-back (direction toSalesforce / twoWay) needs the SQLite or PostgreSQL store");
  }
  auto outbox = std::make_unique<PgOutbox>(*pg, readOnly);
  Status s = outbox->initialize();
  if (!s.ok()) return s;
  return OutboxPtr(std::move(outbox));
}

}  // namespace sfsync::store
