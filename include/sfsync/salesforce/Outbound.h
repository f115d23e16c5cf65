// Outbound: writing records to Salesforce (issue 13, write-back) - the mirror of the Source
// abstraction. One call writes up to kMaxRecordsPerCall records of one object through sObject
// Collections with allOrNone false, and answers one WriteResult per record, in request order:
//   kUpdate  PATCH /composite/sobjects                       (records carry their Id)
//   kCreate  POST  /composite/sobjects                       (records carry no Id)
//   kUpsert  PATCH /composite/sobjects/{Object}/{ExtIdField}  (records carry the external id)
// A failed record (validation rule, read-only field, locked row, ...) is a WriteResult with
// success false and Salesforce's statusCode / message; the call itself fails (a Status) only when
// the request as a whole is refused or cannot be made (same retry and error rules as the
// SalesforceClient: 401 renews the session once, 5xx / network failures are retried) - except
// that a create (POST) is never resent once it may have reached Salesforce: a 5xx, network
// failure, timeout or malformed answer after sending is kUnavailable with remote code
// kOutcomeUnknown, and the caller decides (WriteBack looks the records up on its next run).
//
// Thread-safety: as the SalesforceClient that implements it (one per running job).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/core/Value.h"

namespace sfsync::salesforce {

inline constexpr std::size_t kMaxRecordsPerCall = 200;  // sObject Collections limit
// Remote code of a create call whose answer was lost after it was sent (write() answers
// kUnavailable with it): the records may or may not exist in Salesforce now.
inline constexpr const char* kOutcomeUnknown = "OUTCOME_UNKNOWN";

enum class WriteOperation { kUpdate, kCreate, kUpsert };

struct OutboundRecord {
  std::string id;  // kUpdate: the record's Id; otherwise empty
  // Field -> value; null clears the field. JSON type follows the Value (bool, number, string).
  std::vector<std::pair<std::string, Value>> fields;
};

struct RecordError {
  std::string statusCode;  // e.g. FIELD_CUSTOM_VALIDATION_EXCEPTION, UNABLE_TO_LOCK_ROW
  std::string message;
  std::vector<std::string> fields;
};

struct WriteResult {
  bool success = false;
  std::string id;        // the record's Id (new for a create) when known
  bool created = false;  // upsert / create made a new record
  std::vector<RecordError> errors;
};

class Outbound {
 public:
  virtual ~Outbound() = default;
  // One sObject Collections call (see above). More than kMaxRecordsPerCall records, or none, is
  // kInvalidArgument; kUpsert needs `externalIdField`. An answer that is not one result per record
  // is kDataError.
  virtual Result<std::vector<WriteResult>> write(WriteOperation operation,
                                                 const std::string& object,
                                                 const std::string& externalIdField,
                                                 const std::vector<OutboundRecord>& records) = 0;
};

}  // namespace sfsync::salesforce
