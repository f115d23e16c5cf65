// Upsert request and per-row outcomes: a page of mapped rows resolved against existing rows by the
// job's upsert key. For each row: no existing match -> insert with a new gsid (or Skipped when
// updateOnly); exactly one -> update that row; several -> Rejected with UPSERT_MULTIPLE_MATCHES and
// the candidates' gsids. A null in any key column -> Rejected with REQUIRED_MISSING. Within one
// request a later row with the same key sees the earlier row's insert.
//
// Thread-safety: plain value types.
#pragma once

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
};

enum class RowAction { kCreated, kUpdated, kSkipped, kRejected };

// Stable reasonCode values of RowOutcome, shared by every Store implementation.
namespace reason {
inline constexpr char kRequiredMissing[] = "REQUIRED_MISSING";         // kRejected: null key column
inline constexpr char kNoMatchUpdateOnly[] = "NO_MATCH_UPDATE_ONLY";   // kSkipped: updateOnly
inline constexpr char kMultipleMatches[] = "UPSERT_MULTIPLE_MATCHES";  // kRejected: see candidates
inline constexpr char kLoadFailed[] = "LOAD_FAILED";  // kRejected: the database refused the row
}  // namespace reason

struct RowOutcome {
  RowAction action = RowAction::kRejected;
  std::string gsid;        // created or updated row's gsid
  std::string reasonCode;  // for kRejected / kSkipped: stable code, e.g. UPSERT_MULTIPLE_MATCHES
  std::string message;
  std::vector<std::string> candidates;  // gsids of the ambiguous existing rows
};

}  // namespace sfsync::store
