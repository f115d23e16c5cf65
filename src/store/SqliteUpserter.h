// SqliteUpserter: carries out one UpsertRequest against SQLite (see sfsync/store/Upsert.h for the
// semantics). The whole request runs in one BEGIN IMMEDIATE ... COMMIT transaction.
//
// Set-based path (the usual one): SQL reads the request's rows through sfsync_rows
// (SqliteRowsTable). ONE join finds every row's matches by key; rows with one match are updated
// one statement each; all rows without a match are inserted by ONE INSERT ... SELECT. That saves
// a statement execution (cursors opened and closed, bindings) per row and search, and lets SQLite
// append to the indexes with its cursors left in place. The updates run before the inserts: they
// touch different keys, so only a further UNIQUE constraint or a trigger of the table's own, or
// the afterRow test hook, could tell.
//
// The writes are OR FAIL: an ABORT statement that writes several rows keeps a statement journal,
// a copy of every page it changes (megabytes for a page of rows), only to undo itself if SQLite
// refuses a row. FAIL stops at that row and keeps the rows before it (found by their gsids); the
// rest go one at a time, so only the refused rows are rejected. A one-row UPDATE has nothing to
// undo either (SQLite checks a row before writing it). A table with triggers (the write-back
// outbox's, or an admin's) keeps ABORT, since a trigger's statement refused under FAIL would
// leave its row half-done; there a refused INSERT ... SELECT undoes itself and all its rows go one
// at a time.
//
// A key repeated within the request: its first row goes the set-based way, its later rows go
// one at a time (the per-row path) after the set-based writes, in request order, so each sees the
// writes of the earlier rows with its key. That they come after rows of other keys is invisible
// for the reason the updates may run before the inserts (above).
//
// Per-row path (the fallback, and the definition of the results): key lookup, insert or update
// bound, stepped and reset per row in request order. The whole request takes it when the
// set-based path could differ: a key value whose SQL equality is not value equality (a number in
// a text column, a boolean or real key), more than kMaxCandidates + 1 matches for a key, or more
// columns than sfsync_rows has.
//
// The key search also reads the matched row's stored values; when they already equal the row's
// (SqliteStatement::columnEquals: same type and value, so any doubt counts as a change) no UPDATE
// runs and the row is reported unchanged (RowOutcome::unchanged); with duplicate tracking only its
// run tag and stamp are written (a fourth statement).
//
// Errors: a request that does not fit the table (unknown table or column, bad key columns, a row of
// the wrong width) is InvalidArgument before anything is written. A row-level SQLite error (a
// constraint or a value that does not fit a STRICT column) rejects that row with LOAD_FAILED and
// the request continues. Any other SQLite error (I/O, disk full, busy, out of memory) is
// store-level: the transaction is rolled back and the IoError returned, so nothing of the request
// stays.
//
// Statements are the connection's kept ones (SqliteDb::kept), released when the request ends.
//
// Thread-safety: none; a short-lived object used under the owning store's mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Upsert.h"
#include "store/SqliteDb.h"
#include "store/SqliteRowsTable.h"
#include "store/SqliteSchema.h"
#include "store/SqliteStatement.h"

namespace sfsync::store {

// Test-only fault injection for one request (see StoreTestHooks).
struct UpsertFaults {
  // Called with each row's index (inside the open transaction) after the row has been written:
  // on the set-based path after the whole request has been.
  std::function<void(std::size_t)> afterRow;
  // The insert/update statement of the row with this index fails as SQLITE_IOERR.
  std::optional<std::size_t> ioErrorAtRow;
};

class SqliteUpserter {
 public:
  // Candidates listed for an ambiguous key (one more is fetched to tell "more than this").
  static constexpr int kMaxCandidates = 10;

  SqliteUpserter(SqliteDb& db, SqliteSchema& schema, const UpsertRequest& request,
                 const UpsertFaults& faults)
      : db_(db), schema_(schema), request_(request), faults_(faults) {}

  Result<std::vector<RowOutcome>> run();

  // The request-shape checks every backend applies before writing (InvalidArgument).
  static Status validateRequest(const UpsertRequest& request);

 private:
  // What a failed step means for the request.
  enum class Failure { kRow, kStore };

  Status validateShape() const;
  Status resolveColumns(const TableInfo& table);
  Status prepareStatements(const TableInfo& table);
  Status findTriggers(const std::string& table);           // triggered_
  Status prepareSearches(const std::string& quotedTable);  // lookup_, match_
  Status prepareWrites(const std::string& quotedTable);    // insert_, insertPage_, update_, retag_
  // Existing rows matching a row's key: gsids and (when rowidAlias_ is set) their rowids; with
  // duplicate tracking also the first match's run tag (nullopt: none) and stamp.
  struct Matches {
    std::vector<std::string> gsids;
    std::vector<std::int64_t> rowids;
    std::optional<std::int64_t> run;
    std::string stamp;
    bool same = false;    // the first match already holds every value an update would set
    bool failed = false;  // the lookup itself failed at row level (outcome already set)
  };

  // Each of these handles row `i`; a non-ok Status is a store-level failure (the caller rolls
  // back), a row-level failure sets *outcome to LOAD_FAILED and returns OK.
  Status processRow(std::size_t i, RowOutcome* outcome);
  // True (outcome set: REQUIRED_MISSING) when a key column of row `i` is null.
  bool rejectNullKey(std::size_t i, RowOutcome* outcome) const;
  // The fate of row `i` from its matches, for every row but one to insert: skipped (update-only,
  // no match), an older duplicate, updated, or rejected as ambiguous.
  Status applyMatches(std::size_t i, Matches& matches, RowOutcome* outcome);
  Status lookup(std::size_t i, Matches* matches, RowOutcome* outcome);
  // Adds the match `stmt` is on (its MatchColumn values from result column `from`) for `row`.
  void addMatch(const SqliteStatement& stmt, int from, const std::vector<Value>& row,
                Matches* matches) const;

  // The set-based path (see the header). *applied is false, with nothing written, when the
  // request must take the per-row path: key values whose SQL equality is not byte equality, or a
  // key with more candidates than a row lists.
  Status applyPage(const TableInfo& table, std::vector<RowOutcome>& outcomes, bool* applied);
  // True when the set-based path gives the per-row path's results; then `keyed` lists the rows
  // without a null key column whose key no earlier row has, `repeats` those whose key an earlier
  // row has (both ascending).
  bool pageEligible(const TableInfo& table, std::vector<std::size_t>& keyed,
                    std::vector<std::size_t>& repeats) const;
  void splitRepeats(std::vector<std::size_t>& keyed, std::vector<std::size_t>& repeats) const;
  // One join of the `keyed` rows with the table on the key; *complete is false when a row has
  // more matches than kMaxCandidates + 1 (then nothing more was read).
  Status matchPage(const std::vector<std::size_t>& keyed, std::vector<Matches>& matches,
                   bool* complete);
  // One INSERT OR FAIL ... SELECT of the rows `creates` lists. If SQLite refuses a row, it stops
  // there and keeps the rows before it; the rows not in go one at a time (insertRow), so only the
  // refused ones are rejected.
  Status insertPage(const std::vector<std::size_t>& creates, std::vector<RowOutcome>& outcomes);
  // Sets inserted[k] for each row of `view` (pick ascending) whose gsid is in the table.
  Status findInserted(const RowsView& view, std::vector<char>& inserted);
  // Points `out` at the connection's kept statement of `sql`.
  Status prepare(const std::string& sql, SqliteStatement*& out);
  // Resets every statement the request used and clears its bindings (they point into the
  // request's rows).
  void release();
  Status insertRow(std::size_t i, RowOutcome* outcome);
  Status updateRow(std::size_t i, Matches& matches, RowOutcome* outcome);
  // Binds the matched row's rowid (or gsid) as parameter `where` of `stmt`.
  int bindWhere(SqliteStatement& stmt, int where, const Matches& matches);
  // Duplicate tracking on an unchanged row: writes this row's run tag and stamp only (*failed:
  // the row was rejected, outcome set).
  Status retagRow(std::size_t i, const Matches& matches, RowOutcome* outcome, bool* failed);
  // True (outcome set) when row `i` duplicates the single match written earlier by the same run
  // with a newer stamp: nothing is written.
  bool olderDuplicate(std::size_t i, const Matches& matches, RowOutcome* outcome) const;
  // Steps a write statement (or fails it when a test fault is armed for row `i`): SQLITE_OK when
  // done.
  int step(std::size_t i, SqliteStatement& stmt);
  // Turns the result code of binding/stepping `stmt` for row `i` into the row's fate; resets
  // `stmt`.
  Status finish(std::size_t i, int rc, SqliteStatement& stmt, RowOutcome* outcome, bool* rowFailed);
  Failure classify(int rc) const;
  // How an execution of a statement ended (read before reset() can replace it).
  struct StepEnd {
    bool ok = true;  // SQLITE_OK or SQLITE_DONE
    Failure failure = Failure::kRow;
    std::string message;  // SQLite's, or the injected fault's
  };
  // Resets `stmt` after reading how its execution, which returned `rc`, ended.
  StepEnd endStep(int rc, SqliteStatement& stmt) const;

  SqliteDb& db_;
  SqliteSchema& schema_;
  const UpsertRequest& request_;
  const UpsertFaults& faults_;

  std::vector<std::string> columns_;    // canonical names, request order
  std::vector<std::size_t> keyIndex_;   // positions of the key columns in a row
  std::vector<std::size_t> dataIndex_;  // positions of the non-key columns (updated on match)
  int runIndex_ = -1;    // position of request.runColumn in a row; -1: no duplicate tracking
  int stampIndex_ = -1;  // position of request.stampColumn
  // A name of SQLite's rowid that no mapped column shadows ("rowid", "_rowid_" or "oid"): updates
  // address the matched row by rowid, saving a gsid index search. Empty: update by gsid.
  std::string rowidAlias_;
  std::vector<std::size_t> compared_;  // row positions of the values the lookup reads back
  int compareFrom_ = 0;                // the lookup's result column of compared_[0]
  bool injectedFault_ = false;
  bool triggered_ = false;  // the table has triggers: writes keep ABORT (see prepareWrites)
  Matches matches_;         // reused by every row (processRow)
  // Kept statements of the connection (SqliteDb::kept), released (reset, bindings cleared) when
  // the request ends; nullptr: not needed by this request.
  SqliteStatement* lookup_ = nullptr;
  SqliteStatement* match_ = nullptr;  // set-based key search (sfsync_rows join)
  SqliteStatement* insert_ = nullptr;
  SqliteStatement* insertPage_ = nullptr;  // set-based insert (INSERT ... SELECT FROM sfsync_rows)
  SqliteStatement* update_ = nullptr;
  SqliteStatement* retag_ = nullptr;  // duplicate tracking: sets a matched row's run tag and stamp
};

}  // namespace sfsync::store
