#include "sfsync/activity/ExecutionLog.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include "sfsync/core/Ids.h"
#include "sfsync/core/LogLine.h"

namespace sfsync::activity {

namespace {

// Run start and end lines go to the jobs logger, for job and chain runs alike.
Poco::Logger& runLogger() { return Poco::Logger::get("sfsync.jobs"); }

std::string subject(const store::ExecutionRecord& r) {
  std::string s = r.kind + " '" + r.name + "'";
  if (!r.chainName.empty()) s += " (chain '" + r.chainName + "')";
  return s;
}

LogLine& identify(LogLine& line, const char* event, const store::ExecutionRecord& r) {
  line.field("event", event).field("kind", r.kind).field("name", r.name);
  if (!r.chainName.empty()) line.field("chain", r.chainName);
  return line.field("executionId", r.executionId)
      .field("trigger", r.trigger)
      .field("attempt", r.attempts);
}

}  // namespace

Status ExecutionLog::begin(store::ExecutionRecord record) {
  record_ = std::move(record);
  if (record_.executionId.empty()) record_.executionId = newUuid();
  record_.startTime = formatIso8601(clock_.now());
  if (record_.attempts > 1) {
    // A retry: the run started with its first attempt, under that attempt's trigger.
    store::ExecutionQuery byId;
    byId.executionId = record_.executionId;
    Result<std::vector<store::ExecutionRecord>> first = store_.listExecutions(byId);
    if (!first.ok()) return first.status();
    if (!first->empty()) {
      record_.startTime = first->front().startTime;
      if (!first->front().trigger.empty()) record_.trigger = first->front().trigger;
    }
  }
  const bool announce = record_.status != kStatusSkipped;  // a skip is reported by its end line
  record_.status = kStatusRunning;
  record_.nextAttempt.clear();
  started_ = clock_.now();
  Status saved = store_.saveExecution(record_);
  begun_ = saved.ok();
  if (announce) logStart();
  if (announce && events_ != nullptr) events_->publish("run.started", executionEventJson(record_));
  return saved;
}

std::string ExecutionLog::deriveStatus(const store::ExecutionRecord& r, bool runFailed) {
  if (runFailed) return kStatusFailed;
  if (r.failed == 0 && r.outboundFailed == 0) return kStatusSuccess;
  if (r.succeeded() > 0 || r.skipped > 0 || r.outboundSucceeded > 0) return kStatusPartial;
  return kStatusFailed;
}

Status ExecutionLog::finish(const Status& runError, const std::string& forcedStatus) {
  record_.endTime = formatIso8601(clock_.now());
  record_.status = forcedStatus.empty() ? deriveStatus(record_, !runError.ok()) : forcedStatus;
  if (!runError.ok()) record_.message = runError.toString();
  if (runError.ok() && record_.status == kStatusPartial && record_.failed > 0) {
    // A Partial Success says why (issue 16), before the run's own summary.
    const std::string failed =
        std::to_string(record_.failed) + " record(s) failed (see the error file)";
    record_.message = record_.message.empty() ? failed : failed + "; " + record_.message;
  }
  if (runError.ok() && record_.outboundFailed > 0) {
    // Write-back (issue 13): failed records stay in the outbox and are retried next run.
    const std::string failed = std::to_string(record_.outboundFailed) +
                               " record(s) failed to write back to Salesforce (see the outbound "
                               "file; they are retried next run)";
    record_.message = record_.message.empty() ? failed : failed + "; " + record_.message;
  }
  logEnd();
  if (!begun_) {
    return Status::IoError("execution " + record_.executionId +
                           " was never recorded as started, so its final row is not written");
  }
  Status saved = store_.saveExecution(record_);
  if (events_ != nullptr) {
    events_->forget(record_.executionId);  // its last progress (RunProgress) is moot now
    events_->publish("run.finished", executionEventJson(record_));
  }
  return saved;
}

std::string ExecutionLog::executionEventJson(const store::ExecutionRecord& r) {
  Poco::JSON::Object json;
  json.set("kind", r.kind);
  json.set("name", r.name);
  json.set("executionId", r.executionId);
  json.set("parentId", r.parentId);
  json.set("chain", r.chainName);
  json.set("connection", r.connection);
  json.set("trigger", r.trigger);
  json.set("attempt", r.attempts);
  json.set("status", r.status);
  json.set("startTime", r.startTime);
  json.set("endTime", r.endTime);
  json.set("recordsRead", r.recordsRead);
  json.set("created", r.created);
  json.set("updated", r.updated);
  json.set("skipped", r.skipped);
  json.set("failed", r.failed);
  json.set("message", r.message);
  std::ostringstream out;
  json.stringify(out);
  return out.str();
}

void ExecutionLog::finishOrReport(const Status& runError, const std::string& forcedStatus) {
  Status saved = finish(runError, forcedStatus);
  if (saved.ok()) return;
  Poco::Logger::get("sfsync.activity")
      .error("%s %s: cannot save the final activity row of execution %s (%s): %s", record_.kind,
             record_.name, record_.executionId, record_.status, saved.toString());
  record_.message += std::string(record_.message.empty() ? "" : "; ") +
                     "the final activity row could not be saved: " + saved.message();
}

}  // namespace sfsync::activity

namespace sfsync::activity {

void ExecutionLog::logStart() const {
  const store::ExecutionRecord& r = record_;
  LogLine line(Poco::Message::PRIO_INFORMATION, subject(r) + " started: execution " +
                                                    r.executionId + ", trigger " + r.trigger +
                                                    ", attempt " + std::to_string(r.attempts));
  identify(line, "run.start", r).emit(runLogger());
}

void ExecutionLog::logEnd() const {
  const store::ExecutionRecord& r = record_;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - started_);
  const Poco::Message::Priority priority = r.status == kStatusFailed ? Poco::Message::PRIO_ERROR
                                           : r.status == store::kStatusDeferred
                                               ? Poco::Message::PRIO_WARNING
                                               : Poco::Message::PRIO_INFORMATION;
  const bool ok = r.status == kStatusSuccess || r.status == kStatusPartial;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f s", static_cast<double>(ms.count()) / 1000.0);
  std::string text = subject(r) + " ended " + r.status + ": execution " + r.executionId +
                     ", trigger " + r.trigger + ", attempt " + std::to_string(r.attempts) +
                     ", read " + std::to_string(r.recordsRead) + ", created " +
                     std::to_string(r.created) + ", updated " + std::to_string(r.updated) +
                     ", skipped " + std::to_string(r.skipped) + ", failed " +
                     std::to_string(r.failed) + ", " + std::to_string(r.apiCalls) + " API calls, " +
                     std::to_string(r.retries) + " retries, " + seconds;
  // A deferral's reason has its own line (event run.deferred).
  if (!ok && r.status != store::kStatusDeferred && !r.message.empty()) text += ": " + r.message;
  LogLine line(priority, text);
  identify(line, "run.end", r)
      .field("status", r.status)
      .field("read", r.recordsRead)
      .field("created", r.created)
      .field("updated", r.updated)
      .field("unchanged", r.unchanged)
      .field("skipped", r.skipped)
      .field("failed", r.failed)
      .field("apiCalls", r.apiCalls)
      .field("retries", r.retries)
      .field("durationMs", static_cast<std::int64_t>(ms.count()));
  if (!r.message.empty()) line.field("message", r.message);
  line.emit(runLogger());
}

}  // namespace sfsync::activity
