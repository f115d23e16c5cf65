// JobValidator: checks a job against the live org (describe), as `sfsyncd --validate --online`
// does: the source object exists; every selected field - extra fields, mapping sources,
// derived-mapping match sources and the dedupe field - exists, relationship paths hop by hop
// (Account__r.Owner.Email); and the filter is accepted by Salesforce (a LIMIT 1 probe query, so
// Salesforce's own parser judges it). A field renamed or deleted in Salesforce is reported by name:
// Salesforce renames are not followed, the admin removes the field from the job and adds it again
// (as in the Gainsight connector).
// Replication rules (issue 10): "source.mode": "incremental" on an object without SystemModstamp is
// a problem; "onSourceDelete" other than "ignore" on User (Users are deactivated, never deleted) is
// a problem, on another object without IsDeleted a warning (deletes are found only by comparing
// every Id); an incremental job (explicitly, or by default on an object with SystemModstamp) that
// maps a calculated field (formula / roll-up: it changes without touching SystemModstamp) gets a
// warning naming the field, unless it sets "refreshCalculatedEvery".
//
// Thread-safety: uses the given client (not thread-safe); one validation at a time per client.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::jobs {

class JobValidator {
 public:
  // Problems use the job's file and JSON paths. A connection failure is one problem at
  // "connection".
  static std::vector<config::ConfigProblem> validate(const config::JobConfig& job,
                                                     salesforce::SalesforceClient& client);
  // The same, and appends to `warnings` (not null) what is allowed but probably not intended.
  static std::vector<config::ConfigProblem> validate(const config::JobConfig& job,
                                                     salesforce::SalesforceClient& client,
                                                     std::vector<config::ConfigProblem>* warnings);
  // The same, with the describes taken from `describe` (e.g. the store's metadata cache,
  // MetadataCache::describe) instead of asking the client each time.
  using DescribeFn = std::function<Result<salesforce::ObjectDescribe>(const std::string& object)>;
  static std::vector<config::ConfigProblem> validate(const config::JobConfig& job,
                                                     salesforce::SalesforceClient& client,
                                                     std::vector<config::ConfigProblem>* warnings,
                                                     const DescribeFn& describe);
  // Issue 17 (the editor's live validation): every describe rule above with the describes from
  // `describe` only (the metadata cache), without asking Salesforce anything - so the filter is
  // NOT probed (a syntax error in it shows at the next run or --validate --online).
  static std::vector<config::ConfigProblem> validateOffline(
      const config::JobConfig& job, std::vector<config::ConfigProblem>* warnings,
      const DescribeFn& describe);

 private:
  static std::vector<config::ConfigProblem> validateWith(
      const config::JobConfig& job, salesforce::SalesforceClient* client,
      std::vector<config::ConfigProblem>* warnings, const DescribeFn& describe);
};

}  // namespace sfsync::jobs
