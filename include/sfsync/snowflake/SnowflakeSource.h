// SnowflakeSource: the source::Source of a job whose connection has type snowflake. describe()
// runs the job's statement with LIMIT 0 and turns its rowType into an ObjectDescribe (TypeTable);
// extract() runs the statement through the SQL API (SqlApiClient) and hands each result partition
// on as RecordPages of at most 2,000 rows, in order, holding one partition at a time. The column
// "Id" of a request is the job's identifier column (default EMAIL): a target row's source Id is the
// person's identifier, so delete detection compares identifiers. Multi-select cells go through the
// 100-option cap (OptionCap); what was left out is in note() and warnings().
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Clock.h"
#include "sfsync/snowflake/SnowflakeQuery.h"
#include "sfsync/snowflake/SnowflakeSettings.h"
#include "sfsync/source/ConnectionSources.h"
#include "sfsync/source/Source.h"

namespace sfsync::snowflake {

struct SnowflakeSourceSpec {
  SnowflakeQuery query;
  std::string identifierColumn = "EMAIL";  // the column a request's "Id" reads
};

// The Source; api() is "snowflake". Source::ExtractRequest::soql, when set, is the SQL to run
// (else spec.query.statement()).
source::SourcePtr makeSnowflakeSource(const SnowflakeSettings& settings, Clock& clock,
                                      SnowflakeSourceSpec spec);

// The ConnectionSources of a run of one job on a Snowflake connection: describe() and open() use
// one SnowflakeSource for `spec` (one login), which open() hands over (a later open() makes a new
// one); open() ignores the request's options (one SQL API statement, "Snowflake SQL API"). Its
// usage() counts nothing (Snowflake has no API budget).
source::ConnectionSourcesPtr makeSnowflakeSources(const SnowflakeSettings& settings, Clock& clock,
                                                  SnowflakeSourceSpec spec);

}  // namespace sfsync::snowflake
