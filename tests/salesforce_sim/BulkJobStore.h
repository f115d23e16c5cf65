// BulkJobStore: the simulator's Bulk API 2.0 query jobs (id 750..., state, snapshotted result) and
// their state machine. A job is created UploadComplete with its result already snapshotted (like a
// REST query, later org changes never show in it); each status poll (GET /jobs/query/{id}) moves
// it one step: UploadComplete -> InProgress -> JobComplete after `pollsToComplete` polls (0: it is
// JobComplete at once). A held job stays InProgress; a job marked to fail turns Failed on its first
// poll; an unfinished job can be Aborted.
//
// Thread-safety: all methods are safe from any thread (internal mutex); jobs are handed out as
// copies, results are immutable and shared.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "salesforce_sim/CsvResultWriter.h"
#include "salesforce_sim/QueryExecutor.h"

namespace sfsync::sim {

struct BulkJob {
  std::string id;
  std::string operation;  // query | queryAll
  std::string query;      // the SOQL as received
  std::string object;
  std::string version;  // "62.0"
  std::string createdById;
  std::int64_t createdMs = 0;
  std::int64_t modstampMs = 0;
  std::string state = "UploadComplete";
  std::string errorMessage;  // Failed jobs
  int polls = 0;
  int pollsToComplete = 2;
  bool failOnPoll = false;
  std::string columnDelimiter = "COMMA";
  std::string lineEnding = "LF";
  CsvFormat format;
  std::shared_ptr<const QueryResult> result;

  bool finished() const {
    return state == "JobComplete" || state == "Failed" || state == "Aborted";
  }
};

class BulkJobStore {
 public:
  // Stores the job under a fresh 750... Id (set on `job`) and returns that Id. With
  // pollsToComplete 0 (and not held, not failing) the job is JobComplete at once.
  std::string create(BulkJob job, bool held);
  // One status poll: advances the job as described above. Empty when unknown.
  std::optional<BulkJob> poll(const std::string& id, bool held, std::int64_t nowMs);
  // The job without advancing it. Empty when unknown.
  std::optional<BulkJob> find(const std::string& id) const;
  // Aborts an unfinished job. Empty when unknown; else the job after the call (unchanged, still
  // finished, when it had already ended).
  std::optional<BulkJob> abort(const std::string& id, std::int64_t nowMs);
  // Deletes a job; false when unknown.
  bool erase(const std::string& id);
  std::vector<BulkJob> list() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, BulkJob> jobs_;
  std::uint64_t serial_ = 0;
};

}  // namespace sfsync::sim
