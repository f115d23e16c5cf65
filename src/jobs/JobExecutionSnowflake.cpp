// JobExecution for a job reading from Snowflake (issue 14); see JobExecution.h. Mapping, lookups,
// loading, error files, activity, chains and notifications are the same as for Salesforce: only
// the source differs.
#include <Poco/Logger.h>
#include <Poco/String.h>

#include <set>

#include "jobs/JobExecution.h"
#include "sfsync/core/Ids.h"
#include "sfsync/core/Names.h"
#include "sfsync/jobs/SnowflakeJobSource.h"
#include "sfsync/snowflake/RefreshTokenExpiry.h"
#include "sfsync/snowflake/SnowflakeQuery.h"

namespace sfsync::jobs {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("sfsync.jobs"); }

std::string cursorKey(const config::JobConfig& job) {
  return "snowflake.cursor/" + job.connection + "/" + job.name;
}

// The run tag saved with a checkpoint: "<tag> <layout>". A resume keeps the tag only under the
// same stamp layout: dedupeBy, the incremental column, and what decides the row hash's input (the
// identifier column, the table or query, the columns read); stamps of two layouts do not compare.
std::string runTagKey(const config::JobConfig& job) {
  return "snowflake.runTag/" + job.connection + "/" + job.name;
}
std::string stampLayout(const config::JobConfig& job, const std::vector<std::string>& columns) {
  std::string layout = "1\x1f" + job.dedupeBy + "\x1f" + job.incrementalColumn + "\x1f" +
                       job.identifierColumn + "\x1f" + job.sourceTable + "\x1f" + job.sourceQuery;
  for (const std::string& column : columns) layout += "\x1f" + column;
  return layout;
}
}  // namespace

snowflake::SnowflakeSourceSpec JobExecution::snowflakeSpec() const {
  snowflake::SnowflakeSourceSpec spec = snowflakeSpecFor(job_, columns_);
  spec.since = sfSince_;
  spec.existingOptions = sfOptions_;
  spec.onlyIdentifiers = context_.onlyIds;
  return spec;
}

void JobExecution::collectHeldOptions() {
  // Issue 14: the 100-option cap counts the options a multi-select target property already holds
  // (the distinct ';'-separated values stored before this run).
  if (!describe_) return;
  for (const config::TargetConfig& target : job_.targets) {
    for (const config::MappingConfig& m : target.mappings) {
      const salesforce::FieldDescribe* f = describe_->findField(m.source);
      if (m.source.empty() || f == nullptr || f->type != "multipicklist") continue;
      Result<std::vector<store::Row>> rows = context_.store.select(target.object, {m.target});
      if (!rows.ok()) continue;  // no such table or column yet: nothing held
      std::set<std::string> held;
      for (const store::Row& row : *rows) {
        if (row.empty() || !std::holds_alternative<std::string>(row[0])) continue;
        const std::string& cell = std::get<std::string>(row[0]);
        for (std::size_t from = 0; from <= cell.size();) {
          const std::size_t end = std::min(cell.find(';', from), cell.size());
          if (end > from) held.insert(cell.substr(from, end - from));
          from = end + 1;
        }
      }
      std::vector<std::string>& options = sfOptions_[m.source];
      options.insert(options.end(), held.begin(), held.end());
    }
  }
}

Status JobExecution::commitSnowflakePage(const salesforce::RecordPage* page) {
  if (page == nullptr || page->sourceCursor.empty() || job_.incrementalColumn.empty()) {
    return Status::OK();
  }
  // Checkpoint in the page's transaction: a failed run resumes from here (>=, so rows of the
  // page's last value that are still unread are read again, not skipped).
  Status saved = context_.store.putState(cursorKey(job_), page->sourceCursor);
  if (saved.ok()) {
    saved = context_.store.putState(runTagKey(job_),
                                    std::to_string(sfRunTag_) + " " + stampLayout(job_, columns_));
  }
  if (!saved.ok()) return saved;
  Result<snowflake::Cursor> cursor = snowflake::Cursor::parse(page->sourceCursor);
  if (cursor.ok()) {
    sfHigh_ = *cursor;
    log_.record().cursorEnd = cursor->display();
  }
  return Status::OK();
}

Status JobExecution::openSnowflake() {
  if (context_.snowflake == nullptr) {
    return Status::InvalidArgument("job '" + job_.name + "': connection '" + job_.connection +
                                   "' is not a Snowflake connection");
  }
  const snowflake::TokenExpiry expiry =
      snowflake::refreshTokenExpiry(*context_.snowflake, context_.clock.now());
  sfWarning_ = expiry.warning(job_.connection);
  if (!sfWarning_.empty()) logger().warning("job %s: %s", job_.name, sfWarning_);
  // A new factory: its source's spec carries the cursor and a re-run's identifiers read since
  // the run began (a factory makes no call before its first describe).
  sources_ = openSources();
  Result<salesforce::ObjectDescribe> described = sources_->describe(job_.sourceObject);
  if (!described.ok()) return described.status();
  for (const std::string& column : columns_) {
    if (described->findField(column) == nullptr) {
      return Status::InvalidArgument("job '" + job_.name + "': column " + column +
                                     " is not in the Snowflake result of " + job_.sourceObject);
    }
  }
  describe_ = std::move(described).value();
  collectHeldOptions();
  // The extract's source counts the held options: made by a new factory with them in its spec.
  if (!sfOptions_.empty()) sources_ = openSources();
  Result<source::SourceChoice> choice = sources_->open({});
  if (!choice.ok()) return choice.status();
  source_ = std::move(choice->source);  // the one that described, or a new one (held options)
  sourceReason_ = choice->reason;
  return Status::OK();
}

Status JobExecution::prepareSnowflake() {
  if (!job_.incrementalColumn.empty() && job_.mode != config::SourceMode::kFull) {
    Result<std::optional<std::string>> stored = context_.store.getState(cursorKey(job_));
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      // The JSON form, or the SQL literal an earlier version stored (still read).
      Result<snowflake::Cursor> cursor = snowflake::Cursor::parse(**stored);
      if (!cursor.ok()) return cursor.status();
      sfSince_ = std::move(cursor).value();
    }
  }
  Status tagged = resumeRunTag();
  if (!tagged.ok()) return tagged;
  Status opened = openSnowflake();
  if (!opened.ok()) return opened;
  store::ExecutionRecord& record = log_.record();
  record.mode = sfSince_ ? "incremental" : "full";
  record.api = source_->api();
  record.cursor = sfSince_ ? sfSince_->display() : "";
  return context_.store.saveExecution(record);
}

Status JobExecution::resumeRunTag() {
  sfRunTag_ = newRunTag();
  if (!sfSince_ || !sfSince_->inclusive)
    return Status::OK();  // not an interrupted run's checkpoint
  Result<std::optional<std::string>> saved = context_.store.getState(runTagKey(job_));
  if (!saved.ok()) return saved.status();
  if (!saved->has_value()) return Status::OK();  // checkpointed by a version without it
  const std::string& text = **saved;
  const std::size_t space = text.find(' ');
  if (space == std::string::npos || text.substr(space + 1) != stampLayout(job_, columns_)) {
    return Status::OK();  // the job's dedupeBy, incremental column or columns changed since
  }
  try {
    const std::int64_t tag = std::stoll(text.substr(0, space));
    if (tag != 0) sfRunTag_ = tag;
  } catch (const std::exception&) {  // std::stoll: not a number; a new tag then
  }
  return Status::OK();
}

source::ExtractRequest JobExecution::snowflakeRequest() const {
  source::ExtractRequest request;
  request.object = job_.sourceObject;
  request.columns = columns_;
  return request;
}

Status JobExecution::concludeSnowflake() {
  store::ExecutionRecord& record = log_.record();
  if (!job_.incrementalColumn.empty() && sfHigh_) {
    snowflake::Cursor done = *sfHigh_;
    done.inclusive = false;  // the run read every row up to it: the next one reads above
    Status saved = context_.store.putState(cursorKey(job_), done.text());
    if (!saved.ok()) return saved;
    // Only cleanup (a tag is read under an inclusive cursor alone): a failure does not fail the
    // run.
    Status erased = context_.store.eraseState(runTagKey(job_));
    if (!erased.ok()) {
      logger().warning("job %s: cannot erase its saved run tag: %s", job_.name, erased.message());
    }
    record.cursorEnd = done.display();
  }
  std::string message = record.mode + " run via " + sourceReason_;
  if (!source_->note().empty()) message += "; " + source_->note();
  if (!sfWarning_.empty()) message += "; " + sfWarning_;
  record.message = record.message.empty() ? message : message + "; " + record.message;
  return Status::OK();
}

}  // namespace sfsync::jobs
