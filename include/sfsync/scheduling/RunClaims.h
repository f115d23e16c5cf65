// RunClaims: who runs what when several daemons share one store (issue 12, "Several daemons").
// Every daemon runs the same Scheduler over the same configuration; before a run starts (attempt 1
// of a schedule slot, a catch-up or a run-now) the Scheduler asks claim(), and only the daemon
// whose claim is granted runs it. A granted claim carries a lease that heartbeat() renews; the
// claim ends with finish() after the run's final attempt. A daemon that dies mid-run (kill -9, lost
// machine) stops renewing: once its lease has expired, adoptExpired() of any other daemon takes the
// claim over and that daemon runs the job again - which resumes from the run's checkpoint (the
// replication cursor in the store; see jobs/ReplicationRun.h).
//
// Decisions are cluster-wide and made once: a slot (name + slot time) is claimed by exactly one
// daemon; a slot whose entry (or one of its member jobs, `locks`) is still running on a daemon is
// recorded as skipped, so no other daemon runs it either. run-now claims are unique per request
// and refused while the entry runs anywhere.
//
// Implementations: the PostgreSQL store's (sfsync_claims and sfsync_daemons tables, its own
// connection; include/sfsync/store/PostgresRunClaims.h) and a single-process one for SQLite
// (makeLocalRunClaims(): every claim is granted, nothing expires - the instance lock already
// keeps a second daemon away from an SQLite file).
//
// Thread-safety: every method may be called from any thread concurrently (worker threads claim,
// a monitor thread beats and adopts, admin threads read the view).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/core/Status.h"
#include "sfsync/scheduling/RunExecutor.h"

namespace sfsync::scheduling {

struct ClaimRequest {
  std::string name;
  RunKind kind = RunKind::kJob;
  std::string trigger;                   // schedule, catch-up or run-now
  std::optional<Clock::TimePoint> slot;  // nullopt for run-now (then the claim key is unique)
  std::vector<std::string> locks;        // the entry's name and its member jobs
};

struct ClaimDecision {
  bool granted = false;
  std::string key;     // the claim's key (granted): pass it to finish()
  std::string holder;  // not granted: the daemon that claimed or skipped the slot, or runs it
  std::string reason;  // not granted: why, for the log ("slot claimed by daemon X", ...)
};

// A claim taken over from a daemon whose lease expired: run it again.
struct AdoptedRun {
  std::string key;
  std::string name;
  RunKind kind = RunKind::kJob;
  std::string trigger;
  std::optional<Clock::TimePoint> slot;
  std::string previousDaemon;
};

// What GET /api/cluster shows.
struct ClusterDaemon {
  std::string id;  // generated at start, plus host and pid below
  std::string host;
  std::int64_t pid = 0;
  std::string startedAt;           // ISO-8601 UTC
  std::string heartbeatAt;         // ISO-8601 UTC
  double heartbeatAgeSeconds = 0;  // by the store's clock
  bool self = false;
};

struct ClusterRun {
  std::string key;
  std::string name;
  std::string kind;  // "job" or "chain"
  std::string trigger;
  std::string slot;  // ISO-8601, "" for run-now
  std::string daemon;
  std::string claimedAt;
  std::string leaseUntil;
  bool expired = false;  // the lease ran out: another daemon will adopt it
  int adoptions = 0;     // how often it was taken over
};

struct ClusterView {
  bool clustered = false;  // false: a single daemon (SQLite)
  int leaseSeconds = 0;
  std::vector<ClusterDaemon> daemons;
  std::vector<ClusterRun> running;
};

class RunClaims {
 public:
  virtual ~RunClaims() = default;

  // True when other daemons may share the store (PostgreSQL): only then does the daemon beat,
  // adopt and follow other daemons' flags.
  virtual bool clustered() const = 0;
  // This daemon's identity ("<random id>@<host>:<pid>" style text shown in views and logs).
  virtual std::string daemonId() const = 0;
  // Asks to run `request` (see the rules above). An error means the store could not decide: the
  // run does not start.
  virtual Result<ClaimDecision> claim(const ClaimRequest& request) = 0;
  // Ends a granted (or adopted) claim with the run's final status and execution row.
  virtual Status finish(const std::string& key, const std::string& status,
                        const std::string& executionId) = 0;
  // Gives an adopted claim back (this daemon cannot run it now): its lease ends at once and no
  // daemon holds it until another adopts it (this daemon's heartbeats no longer renew it).
  virtual Status release(const std::string& key) = 0;
  // Renews the daemon's heartbeat and the leases of the claims it holds (granted or adopted here,
  // not finished or released); closes again the claims whose finish() failed.
  virtual Status heartbeat() = 0;
  // Takes over up to `max` unfinished claims whose lease expired.
  virtual Result<std::vector<AdoptedRun>> adoptExpired(int max) = 0;
  // Daemons and unfinished claims of the cluster.
  virtual Result<ClusterView> view() = 0;
  // How often heartbeat() should be called (a third of the lease).
  virtual std::chrono::milliseconds beatInterval() const = 0;
};

using RunClaimsPtr = std::unique_ptr<RunClaims>;

// Single process (SQLite): every claim is granted, nothing expires, the view lists this daemon.
RunClaimsPtr makeLocalRunClaims();

}  // namespace sfsync::scheduling
