// SnowflakeJobSource: what a job with a Snowflake source reads (issue 14), shared by a run
// (JobExecution), a dry run (DryRun) and `--validate --online`: the SnowflakeSourceSpec of the job
// (table or query, filter, incremental column, identifier; the columns it reads, "Id" meaning the
// identifier column), and the online check of a job against its Snowflake result's rowType.
//
// Thread-safety: pure functions; checkOnline uses its own SQL API client.
#pragma once

#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/snowflake/SnowflakeSource.h"

namespace sfsync::jobs {

// The spec of `job` reading `columns` (its sourceFields(); "Id" is the identifier column). No
// cursor, held options or identifiers: the caller adds those.
snowflake::SnowflakeSourceSpec snowflakeSpecFor(const config::JobConfig& job,
                                                const std::vector<std::string>& columns);

// `sfsyncd --validate --online` for a Snowflake job: runs its statement with LIMIT 0 (the query is
// compiled by Snowflake, so a bad filter or table is reported) and reports every column the job
// reads that is not in the result ("mappings": "column X is not in the Snowflake result of T").
// A failure to reach Snowflake is one problem at "connection".
std::vector<config::ConfigProblem> checkSnowflakeJobOnline(
    const config::JobConfig& job, const snowflake::SnowflakeSettings& settings, Clock& clock);

}  // namespace sfsync::jobs
