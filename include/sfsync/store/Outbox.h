// Outbox: the local changes waiting to be written back to Salesforce (issue 13). Triggers on a
// target table record every INSERT / UPDATE of its write-back columns - by any program writing to
// the database - as one entry per (row, column) in the SAME transaction as the change, so nothing
// is lost between runs, across restarts or kills, or while Salesforce is down. An entry keeps the
// column's value before the change (oldValue: what the last sync left there), after it (newValue)
// and the change time (ISO-8601 UTC, the writer's clock). Entries stay until acknowledged.
//
// Echo suppression: sfsync's own store connection never adds entries - its inbound writes are
// not local changes - and its inbound writes do not overwrite a column that has a pending entry
// (the pending local value is kept until the outbound phase has decided who wins). Another
// connection (another program) is captured normally. SQLite: the connection the outbox was
// opened on (TEMP triggers); PostgreSQL: every session with sfsync.inbound = 'on' (sfsync's
// sessions set it; see PgOutbox).
//
// Built for the SQLite and PostgreSQL stores (openOutbox).
//
// Thread-safety: calls go through the store's connection and are serialised with the store's
// other calls; a call made inside Store::transaction() on the same thread joins that transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/core/Value.h"
#include "sfsync/store/Store.h"

namespace sfsync::store {

// The outbox table in the store's database.
inline constexpr const char* kOutboxTable = "sfsync_outbox";

// One target table's capture: its write-back columns; captureInserts also records the
// non-null write-back columns of new rows (jobs that create or upsert into Salesforce).
struct OutboxTarget {
  std::string table;
  std::vector<std::string> columns;
  bool captureInserts = false;
  // Columns (a subset of `columns`: toSalesforce) that sfsync's own connection never changes on an
  // existing row: the local side is their master.
  std::vector<std::string> keepLocal;
};

struct OutboxEntry {
  std::int64_t seq = 0;  // ascending in capture order
  std::string table;
  std::string gsid;
  std::string column;
  bool inserted = false;      // captured from an INSERT (else an UPDATE)
  Value oldValue;             // null for inserts
  Value newValue;             // null = the value was cleared
  std::string changedAt;      // ISO-8601 UTC with milliseconds
  std::int64_t attempts = 0;  // failed sends so far
  std::string lastError;      // "<statusCode>: <message>" of the last failed send
  // The last send was a create whose answer was lost (lastError "OUTCOME_UNKNOWN: ..."): the
  // record may exist in Salesforce already.
  bool uncertain() const { return lastError.rfind("OUTCOME_UNKNOWN", 0) == 0; }
};

class Outbox {
 public:
  virtual ~Outbox() = default;

  // Creates (or re-creates, when the column list changed) the capture triggers of `target` and
  // the echo suppression of this connection. The table must exist. A column the table lacks is
  // kInvalidArgument.
  virtual Status install(const OutboxTarget& target) = 0;
  // Up to `limit` entries of `table` with seq > afterSeq, in seq order. Values are read as stored
  // (integer, real or text; booleans as 0/1).
  virtual Result<std::vector<OutboxEntry>> pending(const std::string& table, std::int64_t afterSeq,
                                                   std::size_t limit) = 0;
  // Removes the entries of (table, gsid, column) with seq <= upToSeq (a later change stays).
  virtual Status acknowledge(const std::string& table, const std::string& gsid,
                             const std::string& column, std::int64_t upToSeq) = 0;
  // Counts a failed send on the entries of (table, gsid, column) with seq <= upToSeq.
  virtual Status noteFailure(const std::string& table, const std::string& gsid,
                             const std::string& column, std::int64_t upToSeq,
                             const std::string& error) = 0;
  // Entries waiting for `table` ("" = all tables).
  virtual Result<std::int64_t> size(const std::string& table) = 0;
};

using OutboxPtr = std::unique_ptr<Outbox>;

// The outbox of an SQLite store, on the store's own connection (so that connection is the one
// whose writes are not captured). `store` must outlive the outbox. kInvalidArgument for a store
// that is not SQLite (write-back is not built for it yet).
// `readOnly` (dry runs): nothing is created; a database without an outbox table has nothing
// pending, and install / acknowledge / noteFailure are kInvalidArgument.
Result<OutboxPtr> openSqliteOutbox(Store& store, bool readOnly = false);

// The outbox of an SQLite or PostgreSQL store (the same contract; `readOnly` as above);
// kInvalidArgument for any other store.
Result<OutboxPtr> openOutbox(Store& store, bool readOnly = false);

}  // namespace sfsync::store
