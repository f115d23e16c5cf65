#include "app/ReplicationRequests.h"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "sfsync/jobs/ReplicationState.h"

namespace sfsync::app {

namespace {

std::string requestJson(const std::string& requestedAt, const std::string& by) {
  Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
  object.set("requestedAt", requestedAt);
  object.set("by", by);
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

// What the request does, for the user and the audit row.
std::string effect(ReplicationRequest request, const std::string& job) {
  return request == ReplicationRequest::kFullResync
             ? "the next run of job '" + job +
                   "' reads every record (a full resync; nothing is dropped)"
             : "the next run of job '" + job +
                   "' may delete more than its massDeletePercent of a target";
}

}  // namespace

const char* requestName(ReplicationRequest request) {
  return request == ReplicationRequest::kFullResync ? "full-resync" : "allow-mass-delete";
}

std::optional<ReplicationRequest> parseRequest(const std::string& name) {
  for (ReplicationRequest r :
       {ReplicationRequest::kFullResync, ReplicationRequest::kAllowMassDelete}) {
    if (name == requestName(r)) return r;
  }
  return std::nullopt;
}

std::string requestKey(ReplicationRequest request, const std::string& job) {
  return request == ReplicationRequest::kFullResync ? jobs::fullResyncKey(job)
                                                    : jobs::allowMassDeleteKey(job);
}

Result<std::string> writeRequest(store::Store& store, ReplicationRequest request,
                                 const std::string& job, const std::string& by,
                                 const std::string& via, Clock::TimePoint now) {
  const std::string when = formatIso8601(now);
  const std::string action = requestName(request);
  Status saved = store.putState(requestKey(request, job), requestJson(when, by));
  if (!saved.ok()) {
    return Status::IoError("job '" + job + "': " + action +
                           " could not be saved: " + saved.toString());
  }
  store::UpdateRecord update;
  update.time = when;
  update.actor = by;
  update.kind = "job";
  update.name = job;
  update.action = action;
  update.diff =
      action + " requested for job '" + job + "' through " + via + ": " + effect(request, job);
  Status audited = store.saveUpdate(update);
  if (!audited.ok()) {
    return Status::IoError(
        "job '" + job + "': " + action +
        " requested, but the audit row could not be saved: " + audited.toString());
  }
  return action + " requested: " + effect(request, job);
}

}  // namespace sfsync::app
