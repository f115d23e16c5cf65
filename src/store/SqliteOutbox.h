// SqliteOutbox: the Outbox of an SQLite store (see sfsync/store/Outbox.h), on the store's own
// connection (SqliteConnectionAccess). Capture is two persistent triggers per target table
// (AFTER UPDATE OF <write-back columns>, and AFTER INSERT when inserts are captured) that add one
// row per changed column to sfsync_outbox; they fire for every connection. Echo suppression is
// connection-local: TEMP triggers that exist only on sfsync's connection delete what its own writes
// captured, put back a column's pending local value when sfsync's inbound write overwrote it, and
// put back the old value of a keepLocal (toSalesforce) column of an existing row.
//
// Thread-safety: as the store (every call runs under the store's lock).
#pragma once

#include <string>
#include <vector>

#include "sfsync/store/Outbox.h"
#include "store/SqliteConnectionAccess.h"

namespace sfsync::store {

class SqliteOutbox final : public Outbox {
 public:
  SqliteOutbox(SqliteConnectionAccess& connection, bool readOnly)
      : connection_(connection), readOnly_(readOnly) {}

  // Creates the outbox table (if missing) and this connection's suppression trigger; read-only:
  // only looks whether the table exists.
  Status initialize();

  Status install(const OutboxTarget& target) override;
  Result<std::vector<OutboxEntry>> pending(const std::string& table, std::int64_t afterSeq,
                                           std::size_t limit) override;
  Status acknowledge(const std::string& table, const std::string& gsid, const std::string& column,
                     std::int64_t upToSeq) override;
  Status noteFailure(const std::string& table, const std::string& gsid, const std::string& column,
                     std::int64_t upToSeq, const std::string& error) override;
  Result<std::int64_t> size(const std::string& table) override;

  // The SQL of the capture triggers and of the connection-local keep trigger (exposed for tests).
  static std::string captureSql(const OutboxTarget& target);
  static std::string keepSql(const OutboxTarget& target);

 private:
  Status columnsExist(SqliteDb& db, const OutboxTarget& target);
  // Runs `sql` with (table, gsid, column, upToSeq) bound as ?1..?4 and `extra` as ?5.
  Status changeEntries(const std::string& sql, const std::string& table, const std::string& gsid,
                       const std::string& column, std::int64_t upToSeq, const std::string& extra);

  SqliteConnectionAccess& connection_;
  bool readOnly_;
  bool exists_ = true;  // read-only: whether the outbox table exists
};

}  // namespace sfsync::store
