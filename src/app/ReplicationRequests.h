// ReplicationRequests: the one-shot requests a user makes for a job's replication - a full resync
// (the next run reads every record; nothing is dropped, the cursor restarts) and allowing a mass
// delete (the next run may delete more than the job's massDeletePercent of a target) - written to
// the store state keys of sfsync/jobs/ReplicationState.h as {"requestedAt": ISO-8601, "by": actor}
// and recorded as update (audit) activity. The CLI (--full-resync, --allow-mass-delete: works with
// or without a daemon, it only writes the store) and DaemonRuntime (admin API) both use it; the job
// run reads and clears the keys.
//
// Thread-safety: stateless functions; the Store is thread-safe.
#pragma once

#include <optional>
#include <string>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

enum class ReplicationRequest { kFullResync, kAllowMassDelete };

// "full-resync" / "allow-mass-delete": the CLI option, the admin API action and the audit action.
const char* requestName(ReplicationRequest request);
std::optional<ReplicationRequest> parseRequest(const std::string& name);
// The store state key of `request` for `job` (jobs::fullResyncKey / allowMassDeleteKey).
std::string requestKey(ReplicationRequest request, const std::string& job);

// Writes the request for `job` (a configured job's name: the caller checks it exists), then the
// audit row (actor `by`, `via` says where it came from, e.g. "the admin API"). Returns the
// confirmation shown to the user. kIoError when the store cannot save either (the request itself
// stays written when only the audit row failed).
Result<std::string> writeRequest(store::Store& store, ReplicationRequest request,
                                 const std::string& job, const std::string& by,
                                 const std::string& via, Clock::TimePoint now);

}  // namespace sfsync::app
