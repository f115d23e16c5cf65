// SnowflakeSource: the source::Source of a job whose connection has type snowflake. describe()
// runs the job's statement with LIMIT 0 and turns its rowType into an ObjectDescribe (TypeTable);
// extract() runs the statement through the SQL API (SqlApiClient), decoding rows as they arrive
// from the socket, and hands them on as RecordPages of at most 2,000 rows, in order (memory: one
// page, not a partition). The column "Id" of a request is the job's identifier column (default
// EMAIL): a target row's source Id is the person's identifier, so delete detection compares
// identifiers. Multi-select cells go through the 100-option cap (OptionCap), which counts the
// options the target property already holds (spec.existingOptions); what was left out is in
// note(). With an incremental column, each page carries the cursor up to and including it
// (RecordPage::sourceCursor, Cursor::text(), inclusive) and the statement reads above
// spec.since through a bind variable.
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include <map>
#include <optional>
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
  std::optional<Cursor> since;             // incremental: read above this cursor
  // Per source column (case-insensitive): the options its target multi-select already holds;
  // they count against the 100-option cap.
  std::map<std::string, std::vector<std::string>> existingOptions;
  // Re-run of failed records: only the rows whose identifier is one of these (a statement with
  // "identifier IN (?, ...)" per batch of at most kRerunBatch).
  std::vector<std::string> onlyIdentifiers;
};

// Identifiers per statement of a re-run.
inline constexpr std::size_t kRerunBatch = 500;

// The Source; api() is "snowflake". It runs spec.query.statement(spec.since) (or, with
// spec.onlyIdentifiers, identifiersStatement batches); ExtractRequest::soql is not used.
source::SourcePtr makeSnowflakeSource(const SnowflakeSettings& settings, Clock& clock,
                                      SnowflakeSourceSpec spec);

// The ConnectionSources of a run of one job on a Snowflake connection: describe() and open() use
// one SnowflakeSource for `spec` (one login), which open() hands over (a later open() makes a new
// one); open() ignores the request's options (one SQL API statement, "Snowflake SQL API"). Its
// usage() counts nothing (Snowflake has no API budget).
source::ConnectionSourcesPtr makeSnowflakeSources(const SnowflakeSettings& settings, Clock& clock,
                                                  SnowflakeSourceSpec spec);

}  // namespace sfsync::snowflake
