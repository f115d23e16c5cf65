// PgOutbox: the Outbox of a PostgreSQL store (see sfsync/store/Outbox.h), on the store's own
// connection (PgConnectionAccess). Capture is one plpgsql trigger function and one BEFORE INSERT
// OR UPDATE OF <write-back columns> row trigger per target table (both named after a hash of
// schema and table; re-created only when their definition changed), created in the store's schema
// (every name schema-qualified, so the writer's search_path does not matter). The function asks
// the session setting sfsync.inbound (PgConnection sets it 'on' on sfsync's own sessions; any
// program may SET LOCAL it for writes that must not be captured):
//   - not 'on' (another program): one row per changed column goes into sfsync_outbox, in the
//     writer's transaction (value before / after as text in the store's reading format, the
//     column's kind, the change time clock_timestamp() in UTC);
//   - 'on' (sfsync's inbound writes): nothing is captured; a column with a pending entry keeps
//     its pending local value, and a keepLocal (toSalesforce) column of an existing row keeps its
//     old value.
// The same semantics as SqliteOutbox's persistent + TEMP triggers.
//
// Thread-safety: as the store (every call runs under the store's lock).
#pragma once

#include <string>
#include <vector>

#include "sfsync/store/Outbox.h"
#include "store/PgConnectionAccess.h"

namespace sfsync::store {

class PgOutbox final : public Outbox {
 public:
  PgOutbox(PgConnectionAccess& connection, bool readOnly)
      : connection_(connection), readOnly_(readOnly) {}

  // Creates the outbox table (if missing); read-only: only looks whether it exists.
  Status initialize();

  Status install(const OutboxTarget& target) override;
  Result<std::vector<OutboxEntry>> pending(const std::string& table, std::int64_t afterSeq,
                                           std::size_t limit) override;
  Status acknowledge(const std::string& table, const std::string& gsid, const std::string& column,
                     std::int64_t upToSeq) override;
  Status noteFailure(const std::string& table, const std::string& gsid, const std::string& column,
                     std::int64_t upToSeq, const std::string& error) override;
  Result<std::int64_t> size(const std::string& table) override;

  // One write-back column as the trigger sees it: its real name and PostgreSQL type.
  struct Column {
    std::string name;
    std::string type;  // format_type() of the column's type
    bool keepLocal = false;
  };
  // The trigger function and trigger of `target` in `schema` (exposed for tests).
  static std::string captureSql(const std::string& schema, const OutboxTarget& target,
                                const std::vector<Column>& columns);

 private:
  Result<std::vector<Column>> columnsOf(PgConnection& db, const OutboxTarget& target);
  Status installIfChanged(PgConnection& db, const OutboxTarget& target, const std::string& sql);

  PgConnectionAccess& connection_;
  bool readOnly_;
  bool exists_ = true;  // read-only: whether the outbox table exists
};

}  // namespace sfsync::store
