// ExecutionRecord: one row of execution activity - a single run of a job (or chain), its counts, status
// and error file. Times are ISO-8601 UTC strings (formatIso8601).
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <string>

namespace sfsync::store {

struct ExecutionRecord {
  std::string executionId;
  std::string kind = "job";     // "job" or "chain"
  std::string name;             // job or chain name
  std::string parentId;         // chain execution id for a job run inside a chain, else empty
  std::string connection;
  std::string trigger;          // "cli", "schedule", "run-now", "retry"
  std::string status;           // "Running", "Success", "Partial Success", "Failed", "Skipped"
  std::string startTime;
  std::string endTime;          // empty while running
  std::int64_t recordsRead = 0;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
  std::int64_t apiCalls = 0;
  std::string errorFile;        // absolute path, empty when nothing failed
  std::string message;          // job-level error or summary

  std::int64_t succeeded() const { return created + updated; }
};

// Filter for listing executions; empty strings and zero mean "any". Newest first.
struct ExecutionQuery {
  std::string name;
  std::string parentId;
  std::string status;
  std::string executionId;
  int limit = 100;
};

}  // namespace sfsync::store
