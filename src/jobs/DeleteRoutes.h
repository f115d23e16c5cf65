// DeleteRoutes: which rows of a job's targets a deleted Salesforce record names. A target with a
// direct mapping from the source "Id" (Company.SfdcAccountId, Company Person.ExternalContactId) is
// reached through that column. A target without one (Person) is reached through link columns: a
// later target's fromTarget mapping holds its gsid (Company Person.PersonId -> Person.gsid), so a
// deleted record names the Person its link rows point to - removed only when no other (unmarked)
// link row still points to it. Targets reached neither way are left alone.
//
// Thread-safety: plain value type; built once per run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jobs/RunPlan.h"
#include "sfsync/config/Config.h"

namespace sfsync::jobs {

struct DeleteLink {
  std::string table;     // the linking target's table (Company Person)
  std::string column;    // its fromTarget column holding the linked row's gsid (PersonId)
  std::string idColumn;  // its direct source-Id column (ExternalContactId)
};

struct DeleteRoute {
  std::string target;             // as named in the job
  std::string table;              // the target's table
  std::string idColumn;           // direct source-Id column, or empty
  std::vector<DeleteLink> links;  // when idColumn is empty: the link columns that reach it
  std::int64_t rowsAtStart = 0;   // rows before the run wrote any (RunPlan::rowsAtStart)
  bool reachable() const { return !idColumn.empty() || !links.empty(); }
};

class DeleteRoutes {
 public:
  // One route per target of the job, in target order.
  static std::vector<DeleteRoute> of(const config::JobConfig& job, const RunPlan& plan);
};

}  // namespace sfsync::jobs
