// ReplicationState: the Store state keys (Store::putState / getState) through which the replication
// engine and its controls meet. The CLI and the admin API write the one-shot requests; the job run
// reads and clears them in the transaction of its first committed page (or at its end).
//   fullResyncKey(job)       --full-resync=NAME, POST /api/jobs/{name}/full-resync: the next run of
//                            the job reads everything (nothing is dropped; the cursor restarts).
//   allowMassDeleteKey(job)  --allow-mass-delete=NAME, POST /api/jobs/{name}/allow-mass-delete: the
//                            next run may delete more than massDeletePercent of a target.
//   cursorKey(conn, job)     the incremental cursor and checkpoint of a job on a connection
//                            (format owned by the jobs module).
//   replayKey(conn, job)     a real-time job's stored replay id (issue 18).
//   catchUpPendingKey(conn, job) a real-time job owes a catch-up run (GAP_OVERFLOW applied; set in
//                            the batch's transaction, cleared after a successful catch-up).
//   deferredOwner(conn, job) the owner of the job's queue of deferred self-lookups in the store
//                            (Store::appendDeferred), which a resumed run resolves.
// Values of the request keys: a short JSON object {"requestedAt": ISO, "by": who}; presence is what
// counts.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace sfsync::jobs {

inline std::string fullResyncKey(const std::string& job) { return "job.fullResync/" + job; }
inline std::string allowMassDeleteKey(const std::string& job) {
  return "job.allowMassDelete/" + job;
}
inline std::string cursorKey(const std::string& connection, const std::string& job) {
  return "job.cursor/" + connection + "/" + job;
}
// Issue 18: the replay id of the last Change Data Capture event a real-time job applied (stored in
// the transaction that applied it). Value: "<replay id as hex> <epoch ms when stored>".
inline std::string replayKey(const std::string& connection, const std::string& job) {
  return "job.replay/" + connection + "/" + job;
}
// Issue 18: present while a GAP_OVERFLOW's catch-up has not completed. Value: "1".
inline std::string catchUpPendingKey(const std::string& connection, const std::string& job) {
  return "job.replayCatchUp/" + connection + "/" + job;
}
inline std::string deferredOwner(const std::string& connection, const std::string& job) {
  return connection + "/" + job;
}

}  // namespace sfsync::jobs
