#include "sfsync/activity/ExecutionLog.h"

#include <Poco/Logger.h>

#include "sfsync/core/Ids.h"

namespace sfsync::activity {

Status ExecutionLog::begin(store::ExecutionRecord record) {
  record_ = std::move(record);
  if (record_.executionId.empty()) record_.executionId = newUuid();
  record_.startTime = formatIso8601(clock_.now());
  record_.status = kStatusRunning;
  Status saved = store_.saveExecution(record_);
  begun_ = saved.ok();
  return saved;
}

std::string ExecutionLog::deriveStatus(const store::ExecutionRecord& r, bool runFailed) {
  if (runFailed) return kStatusFailed;
  if (r.failed == 0) return kStatusSuccess;
  if (r.succeeded() > 0 || r.skipped > 0) return kStatusPartial;
  return kStatusFailed;
}

Status ExecutionLog::finish(const Status& runError, const std::string& forcedStatus) {
  record_.endTime = formatIso8601(clock_.now());
  record_.status = forcedStatus.empty() ? deriveStatus(record_, !runError.ok()) : forcedStatus;
  if (!runError.ok()) record_.message = runError.toString();
  if (!begun_) {
    return Status::IoError("execution " + record_.executionId +
                           " was never recorded as started, so its final row is not written");
  }
  return store_.saveExecution(record_);
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
