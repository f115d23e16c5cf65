// RecordWrites: record mutations beyond OrgData's loading helpers: the REST writes with
// Salesforce's rules (create/update refuse non-createable/non-updateable and unknown fields,
// updates and deletes refuse unknown and deleted records; stamps are bumped) and the test-only
// mutations replication needs (undelete, a late commit with an older explicit stamp, a hard delete
// that empties the recycle bin). Failures are WriteErrors carrying Salesforce's status and code.
//
// Thread-safety: none of its own; the caller holds the org's write lock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "salesforce_sim/OrgData.h"

namespace sfsync::sim {

class RecordWrites {
 public:
  // POST /sobjects/{Object}: returns the new 18-character Id.
  static std::string create(OrgData& org, std::string_view object, const Poco::JSON::Object& fields,
                            std::int64_t nowMs);
  // PATCH /sobjects/{Object}/{Id}: the given fields change, the others keep their values.
  static void update(OrgData& org, std::string_view object, std::string_view id,
                     const Poco::JSON::Object& fields, std::int64_t nowMs);
  // DELETE /sobjects/{Object}/{Id}: soft delete (into the recycle bin).
  static void softDelete(OrgData& org, std::string_view object, std::string_view id,
                         std::int64_t nowMs);
  // Restores a soft-deleted record: IsDeleted false, LastModifiedDate/SystemModstamp now.
  static void undelete(OrgData& org, std::string_view object, std::string_view id,
                       std::int64_t nowMs);
  // Removes the row entirely: gone from query, queryAll and getDeleted.
  static void hardDelete(OrgData& org, std::string_view object, std::string_view id);
  // Inserts (no Id, or an unknown one) or updates (merging the given fields) a record whose
  // LastModifiedDate and SystemModstamp become `stampMs` (and CreatedDate, for an insert without
  // one): a transaction that committed late with an older stamp. Returns the Id.
  static std::string commitLate(OrgData& org, std::string_view object,
                                const Poco::JSON::Object& record, std::int64_t stampMs);

 private:
  static RecordTable& table(OrgData& org, std::string_view object);
  static const RowPtr& existing(RecordTable& t, std::string_view id, bool allowDeleted);
  static void apply(const ObjectSchema& schema, const Poco::JSON::Object& fields,
                    std::vector<SimValue>& values, bool creating, bool checkAccess);
  static void stamp(const ObjectSchema& schema, std::vector<SimValue>& values, std::int64_t ms);
};

}  // namespace sfsync::sim
