// CollectionsEndpoint: the simulator's sObject Collections writes (issue 13, write-back):
//   PATCH /composite/sobjects                      update by Id (records carry "id")
//   POST  /composite/sobjects                      create
//   PATCH /composite/sobjects/{Object}/{ExtField}  upsert by an external-id field
// Body {"allOrNone": bool, "records": [{"attributes": {"type": ...}, ...}]}, at most 200 records;
// the answer is one {"id", "success", "errors": [{"statusCode","message","fields"}], "created"}
// per record, in order. Per-record failures use RecordWrites' rules (non-updateable field ->
// INVALID_FIELD_FOR_INSERT_UPDATE, unknown record -> ENTITY_IS_DELETED / NOT_FOUND ...) plus the
// test faults set here: a validation rule rejecting one value of one field
// (FIELD_CUSTOM_VALIDATION_EXCEPTION) and a record locked for its next write
// (UNABLE_TO_LOCK_ROW, once). allOrNone true is refused when a record fails (not simulated:
// sfsync always sends allOrNone false; records before the failure stay written).
//
// Thread-safety: handle() runs with the org's write lock held by the caller; the fault setters
// and counters may be called from any thread (own mutex / atomics).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "salesforce_sim/OrgData.h"
#include "salesforce_sim/SimReply.h"

namespace sfsync::sim {

class CollectionsEndpoint {
 public:
  static constexpr std::size_t kMaxRecords = 200;

  // `rest`: the path parts after "composite/sobjects".
  SimReply handle(OrgData& org, const std::string& method, const std::vector<std::string>& rest,
                  const std::string& body, std::int64_t nowMs);

  // A write setting `field` of `object` to the JSON value `jsonValue` fails with
  // FIELD_CUSTOM_VALIDATION_EXCEPTION and `message`.
  void addValidationRule(const std::string& object, const std::string& field,
                         const std::string& jsonValue, const std::string& message);
  // The next write of record `id` fails with UNABLE_TO_LOCK_ROW (once).
  void lockOnce(const std::string& id18);

  std::int64_t calls() const { return calls_; }
  std::int64_t recordsWritten() const { return records_; }

 private:
  struct Rule {
    std::string object, field, jsonValue, message;
  };
  // Throws WriteError when a rule or a lock refuses this record.
  void checkFaults(const std::string& object, const std::string& id,
                   const Poco::JSON::Object& fields);

  std::mutex mu_;
  std::vector<Rule> rules_;
  std::set<std::string> locked_;
  std::atomic<std::int64_t> calls_{0};
  std::atomic<std::int64_t> records_{0};
};

}  // namespace sfsync::sim
