// DryRunPlanner: the per-page work of a dry run (DryRun): maps every record for every target,
// resolves derived mappings with one read-only store query per page and lookup, matches each
// target's upsert keys with one Store::matchRows per page and target, compares the mapped values
// with the existing row under the column's type, and adds the outcomes to a DryRunReport. It keeps
// the same decisions as a real run (PageProcessor, the store's upsert): REQUIRED_MISSING for a null
// key, UPSERT_MULTIPLE_MATCHES, NO_MATCH_UPDATE_ONLY (skipped), the mapping's and lookup's own
// reason codes. In memory across pages: the keys this dry run has seen per target (to count
// duplicate keys), bounded by the dry run's record bound.
//
// Thread-safety: not thread-safe; owned by one dry run.
#pragma once

#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/jobs/DryRunReport.h"
#include "sfsync/mapping/TargetMapper.h"
#include "sfsync/salesforce/RecordPage.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class DryRunPlanner {
 public:
  DryRunPlanner(const config::JobConfig& job, std::vector<mapping::TargetMapper> mappers,
                const std::vector<std::string>& sourceColumns, store::Store& store,
                DryRunReport& report);

  // Plans the first `count` records of `page`.
  Status plan(const salesforce::RecordPage& page, std::size_t count);

  // True when the typed values are the same as the store would hold them (null only equals null;
  // numbers and booleans compare numerically; everything else by text).
  static bool sameValue(const Value& a, const Value& b, store::ColumnType type);

 private:
  enum class Action { kNone, kCreate, kUpdate, kUnchanged, kSkipped, kRejected };

  void reject(std::size_t i, std::size_t t, const std::string& code, const std::string& message);
  Status mapAndResolve(const salesforce::RecordPage& page, std::size_t t);
  Status resolveLookup(const salesforce::RecordPage& page, std::size_t t, std::size_t l);
  void fillFromTargets(std::size_t t, std::size_t i);
  Status matchTarget(std::size_t t);
  // Compares record `i`'s row for target `t` with the existing row `existing` (gsid first).
  void compare(std::size_t t, std::size_t i, const store::Row& existing);
  // Counts the page's outcomes, keeps samples of changes and rejections.
  void count(const salesforce::RecordPage& page);
  void countTarget(std::size_t t, std::size_t i, const std::string& recordId);
  store::ColumnType typeOf(std::size_t t, std::size_t column) const;

  const config::JobConfig& job_;
  std::vector<mapping::TargetMapper> mappers_;
  store::Store& store_;
  DryRunReport& report_;
  int idColumn_ = -1;

  // Per page.
  std::size_t n_ = 0;
  std::vector<std::vector<std::vector<Value>>> rows_;  // [target][record]
  std::vector<std::vector<Action>> actions_;           // [target][record]
  std::vector<std::vector<std::string>> gsids_;        // [target][record]: existing row's gsid
  std::vector<std::vector<std::vector<DryRunChange>>> changes_;  // [target][record]
  std::vector<char> rejected_;
  std::vector<char> duplicate_;
  std::vector<DryRunRejection> rejections_;                 // [record] meaningful where rejected_
  std::set<std::pair<std::size_t, std::size_t>> deferred_;  // (record, column) of target t

  // Across pages.
  std::vector<std::unordered_set<std::string>> seenKeys_;  // [target]
};

}  // namespace sfsync::jobs
