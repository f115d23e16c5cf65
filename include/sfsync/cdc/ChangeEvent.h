// ChangeEvent: one decoded Change Data Capture event (Salesforce Pub/Sub API): its
// ChangeEventHeader and the field values it carries, flattened to the field names the REST API
// and the scheduled jobs use (a compound "Name" record's FirstName -> "FirstName", a
// "BillingAddress" record's City -> "BillingCity").
//
// `fields` holds exactly what the event changes: for CREATE / UNDELETE every non-null field; for
// UPDATE the changed fields (changedFields bitmap, nested entries for compound parts) with their
// new values, the nulledFields as null; nothing for DELETE and the GAP_* events. A field that is
// not in `fields` was not changed and must not be written.
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Value.h"

namespace sfsync::cdc {

enum class ChangeType {
  kCreate,
  kUpdate,
  kDelete,
  kUndelete,
  kGapCreate,
  kGapUpdate,
  kGapDelete,
  kGapUndelete,
  kGapOverflow,
  kOther,  // SNAPSHOT and anything newer
};

inline const char* changeTypeText(ChangeType type) {
  static const char* const kTexts[] = {"CREATE",       "UPDATE",     "DELETE",     "UNDELETE",
                                       "GAP_CREATE",   "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE",
                                       "GAP_OVERFLOW", "OTHER"};
  return kTexts[static_cast<int>(type)];
}
// "CREATE" -> kCreate ...; unknown text -> kOther.
inline ChangeType changeTypeFromText(const std::string& text) {
  for (int t = 0; t < static_cast<int>(ChangeType::kOther); ++t) {
    if (text == changeTypeText(static_cast<ChangeType>(t))) return static_cast<ChangeType>(t);
  }
  return ChangeType::kOther;
}
inline bool isGap(ChangeType t) {
  return t == ChangeType::kGapCreate || t == ChangeType::kGapUpdate ||
         t == ChangeType::kGapDelete || t == ChangeType::kGapUndelete;
}

struct ChangeEvent {
  std::string eventId;
  std::string replayId;  // opaque bytes
  std::string schemaId;
  // ChangeEventHeader
  std::string entityName;
  std::vector<std::string> recordIds;
  ChangeType changeType = ChangeType::kOther;
  std::string changeOrigin;
  std::string transactionKey;
  int sequenceNumber = 0;
  std::int64_t commitTimestamp = 0;  // epoch milliseconds
  std::int64_t commitNumber = 0;
  std::string commitUser;
  // The header's bitmaps as sent ("0x...", "5-0x02").
  std::vector<std::string> changedBitmaps;
  std::vector<std::string> nulledBitmaps;
  std::vector<std::string> diffBitmaps;
  // What the event sets (flattened names; null for nulled fields), in schema order. A field of
  // diffFields is not here: its value is a diff of the old text, not the new value.
  std::vector<std::pair<std::string, Value>> fields;
  // The fields diffFields names (flattened names): changed, but sent as a diff; read them again.
  std::vector<std::string> diffFields;
};

}  // namespace sfsync::cdc
