// DryRunReport: what a dry run of one job found (jobs::DryRun), and its two renderings - JSON (the
// admin API's answer and the downloadable file) and a plain-text table (the CLI).
//
// Counts are per record, decided like a real run's (PageProcessor): by the record's first target,
// a rejection at any target making it rejected. wouldUpdate counts records whose first target's row
// exists and differs in at least one mapped column; unchanged ones already hold every mapped value.
// Per target (targets[t]): the same four outcomes plus skipped, and per column how many existing
// rows would change. `samples` holds field-level diffs (old -> new) of the first maxSamples records
// that would change (update or create), `rejections` the first maxSamples rejected records.
//
// Thread-safety: plain value types; the functions are pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sfsync::jobs {

struct DryRunChange {
  std::string column;
  std::string before;  // text form; "" for null
  std::string after;
  bool beforeNull = true;
  bool afterNull = true;
};

struct DryRunSample {
  std::string recordId;  // the Salesforce Id, when the job selects it
  std::string target;
  std::string action;  // "create" or "update"
  std::string gsid;    // the existing row's, for updates
  std::vector<DryRunChange> changes;
};

struct DryRunRejection {
  std::string recordId;
  std::string target;
  std::string reasonCode;  // the same codes a real run writes to its error file
  std::string message;
};

struct DryRunTargetCounts {
  std::string target;
  std::int64_t wouldCreate = 0;
  std::int64_t wouldUpdate = 0;
  std::int64_t unchanged = 0;
  std::int64_t skipped = 0;  // updateOnly without a match (NO_MATCH_UPDATE_ONLY)
  std::int64_t rejected = 0;
  std::map<std::string, std::int64_t> changedColumns;  // column -> existing rows it would change
};

struct DryRunReport {
  std::string job;
  std::string connection;
  std::string sourceObject;
  std::string startedAt;  // ISO-8601 UTC
  std::string finishedAt;
  std::int64_t maxRecords = 0;  // the bound this dry run read up to
  std::int64_t recordsRead = 0;
  bool truncated = false;  // the source had more records than maxRecords
  std::int64_t wouldCreate = 0;
  std::int64_t wouldUpdate = 0;
  std::int64_t unchanged = 0;
  std::int64_t skipped = 0;
  std::int64_t rejected = 0;
  std::int64_t duplicateKeys = 0;    // a key seen earlier in this dry run (counted as update)
  std::int64_t deferredLookups = 0;  // self-lookups a real run resolves after its extract
  std::map<std::string, std::int64_t> rejectedByReason;
  std::vector<DryRunTargetCounts> targets;
  std::vector<DryRunSample> samples;
  std::vector<DryRunRejection> rejections;
  std::size_t maxSamples = 100;
  std::vector<std::string> notes;  // what the dry run could not decide exactly
};

// The report as one JSON object (keys as in the struct; samples as
// {"recordId","target","action","gsid","changes":[{"column","old","new"}]}, null for a null value).
std::string dryRunJson(const DryRunReport& report);
// The report as a text table for a terminal: totals, per-target counts, per-column changes, then
// up to `diffLines` diff lines.
std::string dryRunTable(const DryRunReport& report, std::size_t diffLines = 20);

}  // namespace sfsync::jobs
