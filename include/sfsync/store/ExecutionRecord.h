// ExecutionRecord: one row of execution activity - a single run of a job (or chain), its counts,
// status and error file. Times are ISO-8601 UTC strings (formatIso8601).
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sfsync::store {

// Statuses of a row whose run has not ended: the store holds a liveness lock for such a row
// (Store::saveExecution) and marks it interrupted only once its owner is gone.
// A run that stopped because the API budget (or Salesforce's REQUEST_LIMIT_EXCEEDED) ran out; its
// checkpoint is kept and the next run resumes from it. Final, like Success / Failed.
inline constexpr const char* kStatusDeferred = "Deferred";

inline bool isUnfinishedStatus(const std::string& status) {
  return status == "Running" || status == "Retrying";
}

// What one target of a job did with the run's records. Every processed record counts once per
// target, so each target's counts sum to the records loaded (recordsRead once the run got past the
// extract): created / updated when this target's row was written (even if a later target then
// rejected the record); otherwise failed when the record was rejected anywhere (at mapping or at a
// target's load); otherwise skipped (an update-only miss, or an older duplicate of this target's
// upsert key - it takes the newer row's gsid). `unchanged` (issue 10) is the part of `updated`
// whose row already held every value, so nothing was rewritten.
struct TargetCounts {
  std::string target;  // the target object (table) as named in the job
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
  std::int64_t unchanged = 0;  // of `updated`: rows the store found equal and did not rewrite

  bool operator==(const TargetCounts& o) const {
    return target == o.target && created == o.created && updated == o.updated &&
           skipped == o.skipped && failed == o.failed && unchanged == o.unchanged;
  }
};

struct ExecutionRecord {
  std::string executionId;
  std::string kind = "job";  // "job" or "chain"
  std::string name;          // job or chain name
  std::string parentId;      // chain execution id for a job run inside a chain, else empty
  std::string connection;
  std::string trigger;  // "cli", "schedule", "catch-up", "run-now" (a retry keeps its run's)
  // "Running", "Retrying" (an attempt failed, the next one starts at nextAttempt), "Success",
  // "Partial Success", "Failed", "Skipped", "Deferred" (API budget out; resumes from its
  // checkpoint)
  std::string status;
  std::string startTime;
  std::string endTime;  // empty while running
  std::int64_t recordsRead = 0;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
  std::int64_t apiCalls = 0;
  std::string errorFile;      // absolute path, empty when nothing failed
  std::string message;        // job-level error or summary
  std::int64_t warnings = 0;  // e.g. duplicate keys within one extract
  int attempts = 1;           // 1 + retries: a retried run keeps its one row
  std::string successFile;    // absolute path, empty when not written
  std::string cursor;         // incremental cursor the run started from, empty for a full run
  std::string chainName;      // chain's name for a job run inside a chain, else empty
  std::string nextAttempt;    // while Retrying: when the next attempt starts (ISO-8601), else ""
  // Salesforce requests this run repeated (re-authentication after a 401, 5xx / network retries,
  // malformed-page retries), all attempts together; a chain row sums its jobs.
  std::int64_t retries = 0;
  // Per target of a job run, in the job's target order (empty for chains and for runs that failed
  // before loading). The record-level created / updated / skipped / failed above follow the FIRST
  // target; these show every target.
  std::vector<TargetCounts> targets;

  // Replication (issue 10).
  std::string mode;  // "full" or "incremental" (job runs; empty for chains)
  std::string api;   // "rest" or "bulk" (job runs; empty for chains)
  // Where the run ended: the cursor after its last committed page ("" when it advanced none).
  std::string cursorEnd;
  std::int64_t deleted = 0;  // target rows deleted or marked deleted because the source deleted
  // The org's remaining daily API requests after the run (Sforce-Limit-Info), -1 when unknown.
  std::int64_t apiRemaining = -1;

  // Triage (issue 16).
  std::string rerunOf;      // a re-run of failed records: the execution whose error file it re-ran
  std::string warningFile;  // absolute path of the warnings CSV (ErrorFile shape), "" when none

  // Write-back (issue 13): records sent to Salesforce (each once, however often it was retried),
  // of which succeeded / failed; conflicts: fields changed on both sides since the last sync
  // (decided by the most recent change); per-record results are rows of errorFile / successFile /
  // warningFile. outboundFile: kept for executions of earlier versions (their .outbound.csv);
  // no longer written ("").
  std::int64_t outboundSent = 0;
  std::int64_t outboundSucceeded = 0;
  std::int64_t outboundFailed = 0;
  std::int64_t conflicts = 0;
  std::string outboundFile;
  // Load path (issue 10/11): of `updated`, the records whose rows at every target already held the
  // mapped values (an overlap re-read, a full re-run of unchanged data): nothing was rewritten.
  std::int64_t unchanged = 0;
  std::int64_t succeeded() const { return created + updated; }
};

// Filter for listing executions; empty strings mean "any", limit <= 0 means no limit. Newest first:
// startTime descending, ties by executionId descending. Times compare as strings, so pass them in
// the records' form (formatIso8601).
struct ExecutionQuery {
  std::string name;
  std::string parentId;
  std::string status;
  std::string executionId;
  std::string connection;
  std::string kind;
  std::string chain;  // the chain's own executions and the job runs inside it (chainName)
  std::string since;  // startTime >= since
  std::string until;  // startTime < until
  // Keyset pagination: only rows after the pair (beforeStartTime, beforeExecutionId) in the
  // newest-first order, i.e. (startTime, executionId) < (beforeStartTime, beforeExecutionId). Pass
  // the last row of the previous page: pages stay stable while newer rows are inserted. An empty
  // beforeExecutionId means startTime < beforeStartTime; beforeExecutionId alone is
  // InvalidArgument.
  std::string beforeStartTime;
  std::string beforeExecutionId;
  int limit = 100;
};

}  // namespace sfsync::store
