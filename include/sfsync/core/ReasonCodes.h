// Stable reason codes written to error files (column reason_code). Admins filter on them and
// scripts depend on them: never rename one; add new ones here and to README.md "Reason codes".
//
// Thread-safety: constants.
#pragma once

namespace sfsync::reason {

// map stage
inline constexpr const char* kTypeConversion =
    "TYPE_CONVERSION";  // value does not convert to column type
// a text value longer than its field's describe length plus slack (mapping::maxTextLength)
inline constexpr const char* kValueTooLong = "VALUE_TOO_LONG";
inline constexpr const char* kLookupNoMatch =
    "LOOKUP_NO_MATCH";  // derived mapping: nothing matches
inline constexpr const char* kLookupMultipleMatches = "LOOKUP_MULTIPLE_MATCHES";  // several match
// load stage
inline constexpr const char* kRequiredMissing = "REQUIRED_MISSING";  // an upsert key value is null
inline constexpr const char* kUpsertMultipleMatches =
    "UPSERT_MULTIPLE_MATCHES";  // several existing rows
inline constexpr const char* kNoMatchUpdateOnly =
    "NO_MATCH_UPDATE_ONLY";                                // skipped: update-only job
inline constexpr const char* kLoadFailed = "LOAD_FAILED";  // the store refused the row
// the record was rejected for an earlier target of the same job (e.g. Person before Company Person)
inline constexpr const char* kEarlierTargetRejected = "EARLIER_TARGET_REJECTED";

}  // namespace sfsync::reason
