// DryRun: a job's whole path - extract, map, resolve lookups, match the upsert keys - without
// writing anything: not the targets, not the cursor or checkpoints, not the deferred queue, not the
// metadata cache, not the activity log. It only reads the store (Store::matchRows and
// Store::getMetadata, set-based per page) and queries Salesforce, and returns a DryRunReport.
//
// What it reads: the job's source filter in full mode, ordered by Id, at most `maxRecords` records
// (SOQL LIMIT; `truncated` tells whether there were more). A job with a Snowflake source reads its
// statement (full, no cursor) with LIMIT maxRecords + 1 instead (DryRunOptions::snowflake). The
// source object is described from the store's metadata cache when it holds an entry (any age), else
// by one describe call whose result is not cached. A dry run is not an execution: it records no
// activity row and never counts as the job's last run (its report is its only trace).
//
// Errors: a run-level failure (authentication, describe, a mapping that cannot be built, a store
// read failure) is the returned Status; record-level problems are counted in the report.
//
// Thread-safety: run() uses only its arguments; the client must not be used by another thread
// meanwhile (a dry run next to a live run of the same job reads the store as the run commits it).
#pragma once

#include <cstddef>
#include <cstdint>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/jobs/DryRunReport.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/snowflake/SnowflakeSettings.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

struct DryRunOptions {
  std::int64_t maxRecords = 10000;  // 1..salesforce::kMaxDryRunRecords
  std::size_t maxSamples = 100;     // diff samples and rejection samples kept
  // Issue 14: the job's connection when it is a Snowflake one (borrowed; the job then reads its
  // statement with LIMIT maxRecords + 1 through a SnowflakeSource, described from its rowType,
  // and `client` is not used). Null for a Salesforce connection.
  const snowflake::SnowflakeSettings* snowflake = nullptr;
};

class DryRun {
 public:
  static Result<DryRunReport> run(const config::JobConfig& job,
                                  salesforce::SalesforceClient& client, store::Store& store,
                                  Clock& clock, const DryRunOptions& options);

  // The record bound of a dry run: `requested` when > 0, else the job's dryRunMaxRecords, else the
  // connection's.
  static std::int64_t maxRecordsFor(const config::JobConfig& job,
                                    const salesforce::ConnectionSettings& connection,
                                    std::int64_t requested);
};

}  // namespace sfsync::jobs
