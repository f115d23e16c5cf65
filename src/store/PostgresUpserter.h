// PostgresUpserter: carries out one UpsertRequest against PostgreSQL (semantics in
// sfsync/store/Upsert.h, the same as SqliteUpserter) with a constant number of round trips per
// page, none per row:
//   1. every value is checked against its column type here (PostgresValues::toText): a value that
//      does not fit rejects its row with LOAD_FAILED before anything is sent;
//   2. the page's keys are COPYed into a stage and ONE query returns, per row, up to 11 existing
//      rows with that key (and their run tag and stamp);
//   3. the rows are resolved in request order in memory (a later row with the same key sees the
//      earlier row's insert or update; duplicate tracking as in Upsert.h);
//   4. the rows to write (one per target gsid, its last values) are COPYed into a stage; when some
//      of them update, ONE query finds those whose stored values already equal theirs (reported
//      `unchanged`, Upsert.h), and ONE INSERT ... SELECT ... ON CONFLICT (gsid) DO UPDATE writes
//      them. Without duplicate tracking its WHERE leaves equal rows alone (no new row version);
//      with it, they are written for their run tag and stamp.
// The caller runs it inside a transaction (savepoint). Should the server still refuse the bulk
// statement for a data reason (SQLSTATE class 22/23, e.g. a date PostgreSQL finds out of range),
// the statement is undone and the rows are written one by one, each in a savepoint, and the
// refused ones become LOAD_FAILED - the slow path only for such a page.
//
// Thread-safety: none; a short-lived object used under the owning store's mutex.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Upsert.h"
#include "store/PgConnection.h"
#include "store/PostgresSchema.h"
#include "store/PostgresStage.h"
#include "store/SqliteUpserter.h"  // UpsertFaults

namespace sfsync::store {

class PostgresUpserter {
 public:
  static constexpr int kMaxCandidates = SqliteUpserter::kMaxCandidates;

  // `indexed`: the store's cache of indexes known to exist (table + key columns).
  PostgresUpserter(PgConnection& db, PostgresSchema& schema, std::set<std::string>& indexed,
                   const UpsertRequest& request, const UpsertFaults& faults)
      : db_(db),
        schema_(schema),
        indexed_(indexed),
        stage_(db),
        request_(request),
        faults_(faults) {}

  Result<std::vector<RowOutcome>> run();

 private:
  // What the table holds (and this request has written so far) for one key.
  struct KeyState {
    std::vector<std::string> gsids;  // up to kMaxCandidates + 1
    std::optional<std::int64_t> run;
    std::string stamp;
  };
  using Texts = std::vector<std::optional<std::string>>;

  Status resolveColumns(const TableInfo& table);
  // Step 1: texts_[i] for the rows that fit; outcomes for the others.
  void convertRows(std::vector<RowOutcome>& outcomes);
  // Step 2: the existing rows of every distinct key.
  Status lookupKeys(const std::vector<std::size_t>& valid);
  // Step 3 for row `i`.
  void resolveRow(std::size_t i, RowOutcome* outcome);
  // Step 4.
  Status writeRows(std::vector<RowOutcome>& outcomes);
  Status writeOneByOne(std::vector<RowOutcome>& outcomes);
  // Marks `unchanged` the updates among the staged writes (`only`: that row's) whose stored values
  // equal theirs. Run inside the write's savepoint: a value the server refuses fails it too.
  Status markUnchanged(std::vector<RowOutcome>& outcomes,
                       std::optional<std::size_t> only = std::nullopt);
  // "ROW(t.a, ...)" over the compared columns, each taken from `alias`, or its staged text cast.
  std::string comparedRow(const std::string& alias, bool staged) const;
  std::string keyOf(std::size_t i) const;
  std::string insertSql(const std::string& from) const;

  PgConnection& db_;
  PostgresSchema& schema_;
  std::set<std::string>& indexed_;
  PostgresStage stage_;
  const UpsertRequest& request_;
  const UpsertFaults& faults_;

  std::string table_;                   // canonical name
  std::vector<std::string> columns_;    // canonical names, request order
  std::vector<ColumnType> types_;       // their types
  std::vector<std::size_t> keyIndex_;   // positions of the key columns in a row
  std::vector<std::size_t> dataIndex_;  // positions of the non-key columns
  std::vector<std::size_t> compared_;   // dataIndex_ without the duplicate-tracking tags
  int runIndex_ = -1;
  int stampIndex_ = -1;
  std::vector<std::optional<Texts>> texts_;  // per row: its values as text, when they fit
  std::unordered_map<std::string, KeyState> keys_;
  // Rows to write, in first-write order: the target gsid and the row whose values it gets.
  std::vector<std::pair<std::string, std::size_t>> writes_;
  std::unordered_map<std::string, std::size_t> writeOf_;  // gsid -> index in writes_
};

}  // namespace sfsync::store
