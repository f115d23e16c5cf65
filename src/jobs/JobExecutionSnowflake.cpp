// JobExecution for a job reading from Snowflake (issue 14); see JobExecution.h. Mapping, lookups,
// loading, error files, activity, chains and notifications are the same as for Salesforce: only
// the source differs.
#include <Poco/Logger.h>
#include <Poco/String.h>

#include "jobs/JobExecution.h"
#include "sfsync/core/Names.h"
#include "sfsync/snowflake/RefreshTokenExpiry.h"
#include "sfsync/snowflake/SnowflakeQuery.h"

namespace sfsync::jobs {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("sfsync.jobs"); }

std::string cursorKey(const config::JobConfig& job) {
  return "snowflake.cursor/" + job.connection + "/" + job.name;
}

// A SQL literal of `v` (numbers as they are, text quoted with \ and ' escaped); "" for null.
std::string sqlLiteral(const Value& v) {
  if (isNull(v)) return "";
  if (!std::holds_alternative<std::string>(v)) return valueToText(v);
  return snowflake::textLiteral(std::get<std::string>(v));
}

bool above(const Value& a, const Value& b) {
  if (isNull(b)) return !isNull(a);
  if (isNull(a)) return false;
  if (std::holds_alternative<std::string>(a) && std::holds_alternative<std::string>(b)) {
    return std::get<std::string>(a) > std::get<std::string>(b);
  }
  const auto number = [](const Value& v) {
    if (std::holds_alternative<std::int64_t>(v))
      return static_cast<double>(std::get<std::int64_t>(v));
    if (std::holds_alternative<double>(v)) return std::get<double>(v);
    return 0.0;
  };
  return number(a) > number(b);
}

}  // namespace

snowflake::SnowflakeSourceSpec JobExecution::snowflakeSpec() const {
  snowflake::SnowflakeSourceSpec spec;
  spec.identifierColumn = job_.identifierColumn;
  spec.query.table = job_.sourceTable;
  spec.query.query = job_.sourceQuery;
  spec.query.filter = job_.filter;
  spec.query.incrementalColumn = job_.incrementalColumn;
  for (const std::string& column : columns_) {
    const std::string& name = Poco::icompare(column, "Id") == 0 ? job_.identifierColumn : column;
    if (indexOfIgnoreCase(spec.query.fields, name) < 0) spec.query.fields.push_back(name);
  }
  return spec;
}

Status JobExecution::prepareSnowflake() {
  if (context_.snowflake == nullptr) {
    return Status::InvalidArgument("job '" + job_.name + "': connection '" + job_.connection +
                                   "' is not a Snowflake connection");
  }
  const snowflake::TokenExpiry expiry =
      snowflake::refreshTokenExpiry(*context_.snowflake, context_.clock.now());
  sfWarning_ = expiry.warning(job_.connection);
  if (!sfWarning_.empty()) logger().warning("job %s: %s", job_.name, sfWarning_);
  if (!job_.incrementalColumn.empty() && job_.mode != config::SourceMode::kFull) {
    Result<std::optional<std::string>> cursor = context_.store.getState(cursorKey(job_));
    if (!cursor.ok()) return cursor.status();
    if (cursor->has_value()) sfSince_ = **cursor;
  }
  Result<salesforce::ObjectDescribe> described = sources_->describe(job_.sourceObject);
  if (!described.ok()) return described.status();
  for (const std::string& column : columns_) {
    if (described->findField(column) == nullptr) {
      return Status::InvalidArgument("job '" + job_.name + "': column " + column +
                                     " is not in the Snowflake result of " + job_.sourceObject);
    }
  }
  describe_ = std::move(described).value();
  Result<source::SourceChoice> choice = sources_->open({});
  if (!choice.ok()) return choice.status();
  source_ = std::move(choice->source);  // the source that described
  sourceReason_ = choice->reason;
  store::ExecutionRecord& record = log_.record();
  record.mode = sfSince_.empty() ? "full" : "incremental";
  record.api = source_->api();
  record.cursor = sfSince_;
  return context_.store.saveExecution(record);
}

void JobExecution::trackHighWater(const salesforce::RecordPage& page) {
  if (job_.incrementalColumn.empty()) return;
  const int column = indexOfIgnoreCase(page.columns, job_.incrementalColumn);
  if (column < 0) return;
  for (const auto& row : page.rows) {
    if (above(row[static_cast<std::size_t>(column)], sfHigh_))
      sfHigh_ = row[static_cast<std::size_t>(column)];
  }
}

source::ExtractRequest JobExecution::snowflakeRequest() const {
  source::ExtractRequest request;
  request.object = job_.sourceObject;
  request.columns = columns_;
  request.soql = snowflakeSpec().query.statement(sfSince_);
  return request;
}

Status JobExecution::concludeSnowflake() {
  store::ExecutionRecord& record = log_.record();
  const std::string high = sqlLiteral(sfHigh_);
  if (!job_.incrementalColumn.empty() && !high.empty()) {
    Status saved = context_.store.putState(cursorKey(job_), high);
    if (!saved.ok()) return saved;
    record.cursorEnd = high;
  }
  std::string message = record.mode + " run via " + sourceReason_;
  if (!source_->note().empty()) message += "; " + source_->note();
  if (!sfWarning_.empty()) message += "; " + sfWarning_;
  record.message = record.message.empty() ? message : message + "; " + record.message;
  return Status::OK();
}

}  // namespace sfsync::jobs
