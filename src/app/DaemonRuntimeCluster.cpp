// DaemonRuntime, issue 12 (several daemons on one PostgreSQL store): the cluster monitor's beat
// (heartbeat and leases, adoption of dead daemons' runs, pause / disconnect flags saved by other
// daemons), the cluster view and the cluster-wide run-now check. See DaemonRuntime.h.
#include <Poco/Logger.h>

#include "app/DaemonRuntime.h"

namespace sfsync::app {

namespace {

Poco::Logger& log() { return Poco::Logger::get("sfsync.runtime"); }

// Runs taken over per beat: a dead daemon's runs are spread over the daemons that beat next.
constexpr int kAdoptPerBeat = 2;

std::string flagKey(const std::string& what, const std::string& name) {
  return "scheduler." + what + "." + name;
}

}  // namespace

Result<scheduling::ClusterView> DaemonRuntime::cluster() { return claims_->view(); }

void DaemonRuntime::clusterBeat() {
  if (!claims_->clustered()) return;  // alone on the store: nothing to renew, adopt or follow
  Status beat = claims_->heartbeat();
  if (!beat.ok()) {
    log().warning("cluster heartbeat failed (leases are not renewed): %s", beat.toString());
    return;
  }
  if (!stopRequested_.load()) {
    Result<std::vector<scheduling::AdoptedRun>> adopted = claims_->adoptExpired(kAdoptPerBeat);
    if (!adopted.ok()) {
      log().warning("cannot look for runs of stopped daemons: %s", adopted.status().toString());
    } else if (!adopted->empty()) {
      // The dead daemon's execution rows say Running: close them (only rows no live session holds)
      // so the resumed run's row is the one that runs.
      Result<int> marked = store_.failInterruptedExecutions(
          formatIso8601(clock_->now()),
          "interrupted: the daemon running it stopped (its cluster lease expired); daemon " +
              claims_->daemonId() + " resumes it");
      if (!marked.ok()) log().error("cannot mark interrupted runs: %s", marked.status().toString());
      for (const scheduling::AdoptedRun& run : *adopted) {
        log().warning("%s '%s' (%s) of daemon %s: its lease expired; resuming it here",
                      std::string(scheduling::runKindName(run.kind)), run.name, run.key,
                      run.previousDaemon);
        Status started = scheduler_->runAdopted(run);
        if (started.ok()) continue;
        if (started.code() == StatusCode::kNotFound) {  // no longer configured: nobody runs it
          log().warning("'%s' is not configured here: its claim %s is closed", run.name, run.key);
          Status closed = claims_->finish(run.key, "Failed", "");
          if (!closed.ok()) log().error("cannot close %s: %s", run.key, closed.toString());
          continue;
        }
        log().warning("cannot resume '%s' here (%s): giving it back", run.name, started.toString());
        Status released = claims_->release(run.key);
        if (!released.ok()) log().error("cannot give back %s: %s", run.key, released.toString());
      }
    }
  }
  syncFlags();
}

void DaemonRuntime::syncFlags() {
  const GenerationPtr generation = current();
  for (const scheduling::Scheduler::EntryStatus& entry : scheduler_->statuses()) {
    const std::string key = flagKey("paused", entry.name);
    std::lock_guard<std::mutex> serial(
        controlLocks_[std::hash<std::string>{}(key) % controlLocks_.size()]);
    Result<bool> paused = flagOf(key);
    if (!paused.ok() || *paused == entry.paused) continue;
    log().information("'%s' %s by another daemon", entry.name,
                      std::string(*paused ? "paused" : "resumed"));
    Status applied = *paused ? scheduler_->pause(entry.name) : scheduler_->resume(entry.name);
    if (!applied.ok()) log().warning("cannot apply: %s", applied.toString());
  }
  for (const config::ConnectionConfig& c : generation->config->app.connections) {
    const std::string& name = c.settings.name;
    for (const char* flag : {"pausedConnection", "disconnected"}) {
      const std::string key = flagKey(flag, name);
      std::lock_guard<std::mutex> serial(
          controlLocks_[std::hash<std::string>{}(key) % controlLocks_.size()]);
      Result<bool> on = flagOf(key);
      if (!on.ok()) continue;
      // Each call is idempotent; kNotFound (no enabled job uses the connection) is nothing to do.
      const bool disconnect = std::string(flag) == "disconnected";
      Status applied =
          disconnect
              ? (*on ? scheduler_->disconnect(name) : scheduler_->reconnect(name))
              : (*on ? scheduler_->pauseConnection(name) : scheduler_->resumeConnection(name));
      if (!applied.ok() && applied.code() != StatusCode::kNotFound) {
        log().warning("connection '%s': cannot apply %s: %s", name, std::string(flag),
                      applied.toString());
      }
    }
  }
  followRealtimeFlags();  // issue 18: the real-time side follows flags set by other daemons too
}

Result<std::string> DaemonRuntime::claimRunNow(const std::string& kind, const std::string& name) {
  if (!claims_->clustered()) return std::string();
  scheduling::ClaimRequest request;
  request.name = name;
  request.kind = kind == "chain" ? scheduling::RunKind::kChain : scheduling::RunKind::kJob;
  request.trigger = "run-now";
  request.locks = {name};
  if (const config::ChainConfig* chain = currentConfig()->findChain(name);
      chain != nullptr && kind == "chain") {
    request.locks.insert(request.locks.end(), chain->jobs.begin(), chain->jobs.end());
  }
  Result<scheduling::ClaimDecision> decision = claims_->claim(request);
  if (!decision.ok()) {
    return Status::Unavailable("cannot claim the run in the store: " + decision.status().message());
  }
  if (!decision->granted) {
    return Status::InvalidArgument("'" + name + "' cannot start: " + decision->reason);
  }
  return decision->key;
}

}  // namespace sfsync::app
