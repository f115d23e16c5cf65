#include "sfsync/activity/ExecutionLog.h"

#include "sfsync/core/Ids.h"

namespace sfsync::activity {

Status ExecutionLog::begin(store::ExecutionRecord record) {
  record_ = std::move(record);
  if (record_.executionId.empty()) record_.executionId = newUuid();
  record_.startTime = formatIso8601(clock_.now());
  record_.status = kStatusRunning;
  return store_.saveExecution(record_);
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
  return store_.saveExecution(record_);
}

}  // namespace sfsync::activity
