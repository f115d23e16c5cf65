// BulkQueryEndpoint: Bulk API 2.0 query jobs under /services/data/vNN.N/jobs/query:
//   POST   jobs/query                      create ({"operation":"query"|"queryAll","query":SOQL,
//                                           optional contentType CSV, columnDelimiter, lineEnding})
//   GET    jobs/query                      all jobs
//   GET    jobs/query/{id}                 job info (each call advances the job, see BulkJobStore)
//   PATCH  jobs/query/{id} {"state":"Aborted"}
//   DELETE jobs/query/{id}                 204
//   GET    jobs/query/{id}/results?maxRecords=N&locator=L   CSV result set (CsvResultWriter) with
//          Sforce-NumberOfRecords and Sforce-Locator (next set; "null" on the last one)
// The query runs when the job is created (snapshot), through the same planner and executor as
// REST, so Bulk and REST rows agree. Locators are base64 of the set's first record offset, like
// Salesforce's opaque "MTAwMDA". Fault switches: pollsToComplete, hold (stuck InProgress), fail the
// next job, cut the next result set inside a quoted field.
//
// Thread-safety: all methods may be called from any thread concurrently.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "salesforce_sim/BulkJobStore.h"
#include "salesforce_sim/SimReply.h"

namespace sfsync::sim {

struct BulkRequest {
  std::string method;
  std::string version;            // "v62.0"
  std::vector<std::string> rest;  // path parts after .../jobs/query
  std::string rawQuery;
  std::string body;
  std::int64_t nowMs = 0;
  std::string userId;
};

class BulkQueryEndpoint {
 public:
  // Plans and runs a SOQL query (the caller takes the org's read lock); throws SoqlError.
  using Runner =
      std::function<std::shared_ptr<const QueryResult>(const std::string& soql, bool queryAll)>;
  // Result sets hold at most this many records when the request has no maxRecords.
  static constexpr std::size_t kDefaultMaxRecords = 100000;

  explicit BulkQueryEndpoint(Runner runner) : runner_(std::move(runner)) {}

  SimReply handle(const BulkRequest& request);

  void setPollsToComplete(int n) { pollsToComplete_ = n; }
  void holdJobs(bool hold) { hold_ = hold; }
  void failNextJob(const std::string& message);
  void malformedResultOnce() { malformedOnce_ = true; }
  std::size_t jobCount() const { return jobs_.list().size(); }
  // The SOQL of every job still stored, in Id (creation) order.
  std::vector<std::string> jobQueries() const;

 private:
  SimReply create(const BulkRequest& request);
  SimReply status(const std::string& id, std::int64_t nowMs);
  SimReply abort(const std::string& id, const std::string& body, std::int64_t nowMs);
  SimReply remove(const std::string& id);
  SimReply results(const std::string& id, const BulkRequest& request);
  SimReply list() const;
  static std::string jobInfo(const BulkJob& job, bool full, const char* stateOverride = nullptr);

  Runner runner_;
  BulkJobStore jobs_;
  std::atomic<int> pollsToComplete_{2};
  std::atomic<bool> hold_{false};
  std::atomic<bool> malformedOnce_{false};
  std::mutex failMutex_;  // guards failNext_, failMessage_
  bool failNext_ = false;
  std::string failMessage_;
};

}  // namespace sfsync::sim
