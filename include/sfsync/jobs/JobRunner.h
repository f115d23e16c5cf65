// JobRunner: runs one job once, end to end - describe the source object, ensure the target table,
// query page by page (extract -> map -> load per page, so memory does not grow with the object's
// size), write rejected records to the execution's error file, and keep the execution activity row
// current. Each page is loaded in one store transaction: a crash or kill never leaves half a page
// applied. A record that fails never stops the rest of its page; a run-level error (authentication,
// Salesforce error body, store failure) ends the run as Failed with the message.
//
// Thread-safety: run() uses only its arguments; concurrent runs need separate SalesforceClients.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

// Status::remoteCode() of a run stopped at a page boundary because RunContext::stopRequested was
// set (daemon shutdown). Such a run ends Deferred with its checkpoint kept, like an exhausted API
// budget: the next run resumes from it.
inline constexpr const char* kStopRequested = "STOP_REQUESTED";

struct RunContext {
  RunContext(salesforce::SalesforceClient& c, store::Store& s, Clock& k, std::string errors,
             std::string trig = "cli", std::string parent = "")
      : client(c),
        store(s),
        clock(k),
        errorDir(std::move(errors)),
        trigger(std::move(trig)),
        parentId(std::move(parent)) {}

  salesforce::SalesforceClient& client;
  store::Store& store;
  Clock& clock;
  std::string errorDir;         // error files go to <errorDir>/<job>/<executionId>.errors.csv
  std::string trigger = "cli";  // cli, schedule, run-now, retry
  std::string parentId;         // chain execution id, if any
  std::string executionId;      // a retry passes the first attempt's id: one row per run
  int attempt = 1;              // 1, then 2, 3, ... for retries
  std::string chainName;        // the chain running this job, if any
  // The connection's replication settings (ConnectionSettings::bulkThreshold / bulkPollTimeout);
  // a job's own bulkThreshold wins over this one.
  std::int64_t bulkThreshold = 10000;
  std::chrono::seconds bulkPollTimeout{1800};
  // Metadata (issue 15): the run describes its object through the store's cache; an entry older
  // than this is fetched again (ConnectionSettings::metadataRefreshDays).
  int metadataRefreshDays = 7;
  // Fetch page N+1 while page N loads (source::PrefetchingSource); false: strictly one at a time.
  bool prefetchPages = true;
  // Set (by the daemon, on SIGTERM) to stop the run cleanly: it is checked before the run starts
  // and after each committed page (or spilled page of a pipelined extract). A run that sees it
  // ends Deferred with its checkpoint; so does one whose Salesforce call was cancelled
  // (salesforce::kCancelled) while it was set. nullptr: never stops. Must outlive the run.
  const std::atomic<bool>* stopRequested = nullptr;

  // Live events (issue 16): the run publishes run.started / run.progress / run.finished here.
  // nullptr: none. Borrowed; must outlive the run.
  EventBus* events = nullptr;
  // Re-run of failed records (issue 16, FailedRerun): when not empty, the run reads only these
  // record Ids (RerunQuery, over REST) and never reads or moves the job's cursor or checkpoint;
  // rerunOf is recorded on the row (the execution whose error file listed them).
  std::vector<std::string> onlyIds;
  std::string rerunOf;

  // Issue 14: the job's connection when it is a Snowflake connection: the run then reads through
  // a snowflake::SnowflakeSource and never calls `client`. nullptr: Salesforce. Borrowed; must
  // outlive the run (useConnection(ConnectionConfig) sets it).
  const snowflake::SnowflakeSettings* snowflake = nullptr;

  bool stopping() const { return stopRequested != nullptr && stopRequested->load(); }

  // Takes the replication settings of the job's connection.
  void useConnection(const salesforce::ConnectionSettings& settings) {
    bulkThreshold = settings.bulkThreshold;
    bulkPollTimeout = settings.bulkPollTimeout;
    metadataRefreshDays = settings.metadataRefreshDays;
  }
  // The same for any connection: also points `snowflake` at a Snowflake connection's settings.
  void useConnection(const config::ConnectionConfig& connection) {
    useConnection(connection.settings);
    snowflake = connection.isSnowflake ? &connection.snowflake : nullptr;
  }
};

class JobRunner {
 public:
  // Runs `job` and returns its final (already saved) execution row.
  static store::ExecutionRecord run(const config::JobConfig& job, RunContext& context);

  // File-system friendly form of a job name ("Company Sync" -> "company_sync").
  static std::string slug(const std::string& name);
};

}  // namespace sfsync::jobs
