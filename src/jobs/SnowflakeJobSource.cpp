#include "sfsync/jobs/SnowflakeJobSource.h"

#include <Poco/String.h>

#include "sfsync/core/Names.h"

namespace sfsync::jobs {

snowflake::SnowflakeSourceSpec snowflakeSpecFor(const config::JobConfig& job,
                                                const std::vector<std::string>& columns) {
  snowflake::SnowflakeSourceSpec spec;
  spec.identifierColumn = job.identifierColumn;
  spec.query.table = job.sourceTable;
  spec.query.query = job.sourceQuery;
  spec.query.filter = job.filter;
  spec.query.incrementalColumn = job.incrementalColumn;
  for (const std::string& column : columns) {
    const std::string& name = Poco::icompare(column, "Id") == 0 ? job.identifierColumn : column;
    if (indexOfIgnoreCase(spec.query.fields, name) < 0) spec.query.fields.push_back(name);
  }
  return spec;
}

std::vector<config::ConfigProblem> checkSnowflakeJobOnline(
    const config::JobConfig& job, const snowflake::SnowflakeSettings& settings, Clock& clock) {
  std::vector<config::ConfigProblem> problems;
  const std::vector<std::string> columns = job.sourceFields();
  source::SourcePtr source =
      snowflake::makeSnowflakeSource(settings, clock, snowflakeSpecFor(job, columns));
  Result<salesforce::ObjectDescribe> described = source->describe(job.sourceObject);
  if (!described.ok()) {
    const Status& s = described.status();
    const bool sql = s.code() == StatusCode::kInvalidArgument;  // Snowflake refused the statement
    problems.push_back({job.file, sql ? "source" : "connection",
                        "Snowflake (connection '" + job.connection + "'): " + s.message()});
    return problems;
  }
  for (const std::string& column : columns) {
    if (described->findField(column) == nullptr) {
      problems.push_back(
          {job.file, "mappings",
           "column " + column + " is not in the Snowflake result of " + job.sourceObject});
    }
  }
  return problems;
}

}  // namespace sfsync::jobs
