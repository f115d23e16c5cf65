// Upsert request and per-row outcomes: a page of mapped rows resolved against existing rows by the
// job's upsert key. For each row: no existing match -> insert with a new gsid (or Skipped when
// updateOnly); exactly one -> update that row; several -> Rejected with UPSERT_MULTIPLE_MATCHES and
// the candidates' gsids. A null in any key column -> Rejected with REQUIRED_MISSING. Within one
// request a later row with the same key sees the earlier row's insert.
//
// Duplicate keys within one run (optional): `runColumn` and `stampColumn` name two of `columns`
// whose values are, in every row, the writing run's tag (one integer for the whole run) and the
// record's version stamp (text, compared as text). A row whose key matches exactly one existing row
// tagged with the same run is a duplicate (RowOutcome::duplicate): when its stamp is older than
// that row's it writes nothing and is Skipped with DUPLICATE_KEY_OLDER and that row's gsid;
// otherwise it updates the row as usual. A stamp may end with the record's identity after the last
// kStampIdentitySeparator: a row whose identity equals the stored row's is the same record read
// again (a resumed run re-reads what it wrote, perhaps changed since): an ordinary update, no
// duplicate, whatever the rest of the stamps say. (So such a record replaces its row even when its
// stamp went down; a duplicate the run skipped earlier for it is not reconsidered.) The tags live
// in the table, so this needs no memory and rolls back with the transaction.
//
// Unchanged rows (issue 10): an update whose values the matched row already holds (same type and
// value; the duplicate-tracking columns left out) writes nothing and reports kUpdated with
// `unchanged` set (with duplicate tracking only the run tag and stamp are written; PostgreSQL
// then writes a new version of the row, as it does for any update).
//
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/core/Value.h"

namespace sfsync::store {

struct UpsertRequest {
  std::string table;
  std::vector<std::string> columns;     // the columns each row carries, in order
  std::vector<std::string> keyColumns;  // subset of columns, ANDed; at least one
  bool updateOnly = false;              // never create; rows without a match are Skipped
  std::vector<std::vector<Value>> rows;
  std::string runColumn = {};    // "" or a column of `columns`: see above
  std::string stampColumn = {};  // set together with runColumn
};

// The columns a job's tables carry for duplicate tracking (runColumn / stampColumn above).
inline constexpr char kRunTagColumn[] = "sfsync_run";
inline constexpr char kRunStampColumn[] = "sfsync_stamp";
// Ends a stamp's ordering part; what follows the last one is the record's identity (see above).
inline constexpr char kStampIdentitySeparator = '\x01';

// True when two stamps of one run name the same record: both carry an identity (the text after
// their last kStampIdentitySeparator) and it is equal and non-empty.
inline bool sameStampIdentity(const std::string& a, const std::string& b) {
  const auto ia = a.rfind(kStampIdentitySeparator);
  const auto ib = b.rfind(kStampIdentitySeparator);
  if (ia == std::string::npos || ib == std::string::npos || ia + 1 == a.size()) return false;
  return a.compare(ia + 1, std::string::npos, b, ib + 1, std::string::npos) == 0;
}

enum class RowAction { kCreated, kUpdated, kSkipped, kRejected };

// Stable reasonCode values of RowOutcome, shared by every Store implementation.
namespace reason {
inline constexpr char kRequiredMissing[] = "REQUIRED_MISSING";         // kRejected: null key column
inline constexpr char kNoMatchUpdateOnly[] = "NO_MATCH_UPDATE_ONLY";   // kSkipped: updateOnly
inline constexpr char kMultipleMatches[] = "UPSERT_MULTIPLE_MATCHES";  // kRejected: see candidates
inline constexpr char kLoadFailed[] = "LOAD_FAILED";  // kRejected: the database refused the row
// kSkipped (duplicate): the run already wrote this key from a newer record.
inline constexpr char kDuplicateKeyOlder[] = "DUPLICATE_KEY_OLDER";
}  // namespace reason

struct RowOutcome {
  RowAction action = RowAction::kRejected;
  std::string gsid;        // created or updated row's gsid
  std::string reasonCode;  // for kRejected / kSkipped: stable code, e.g. UPSERT_MULTIPLE_MATCHES
  std::string message;
  std::vector<std::string> candidates;  // gsids of the ambiguous existing rows
  bool duplicate = false;               // the run had already written this key (see runColumn)
  bool unchanged = false;  // kUpdated: the stored values already equalled the row's (see above)
};

// The duplicate-key rule above, shared by the stores, for a row whose key matched exactly one
// stored row: `run` and `stamp` are the row's runColumn / stampColumn values, `storedRun`,
// `storedStamp` and `storedGsid` the matched row's. Sets outcome->duplicate when the row is a
// duplicate of this run's; returns true when it is the older one, with `outcome` then Skipped
// (DUPLICATE_KEY_OLDER, the stored gsid): the caller writes nothing.
inline bool skipOlderDuplicate(const Value& run, const Value& stamp, std::int64_t storedRun,
                               const std::string& storedStamp, const std::string& storedGsid,
                               RowOutcome* outcome) {
  const std::int64_t* mineRun = std::get_if<std::int64_t>(&run);
  if (mineRun == nullptr || *mineRun != storedRun) return false;  // written by another run
  const std::string* text = std::get_if<std::string>(&stamp);
  const std::string mine = text != nullptr ? *text : std::string();
  if (sameStampIdentity(mine, storedStamp)) return false;  // the same record, read again
  outcome->duplicate = true;
  if (mine >= storedStamp) return false;  // newer wins
  outcome->action = RowAction::kSkipped;
  outcome->reasonCode = reason::kDuplicateKeyOlder;
  outcome->message = "this run already wrote the key from a record with a newer stamp";
  outcome->gsid = storedGsid;
  return true;
}

}  // namespace sfsync::store
