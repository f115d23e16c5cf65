// DaemonRuntime: what the daemon runs while it serves - the Scheduler over the configured jobs and
// chains (jobs inside a chain run only through it), the RunExecutor that turns a scheduled or
// run-now request into a JobRunner / ChainRunner run (retries continue the same execution row,
// which says "Retrying" with the next attempt's time between attempts and keeps the first
// attempt's trigger and start), run notifications after the final attempt (email and/or webhook),
// schedule state persisted in the store (last handled slot per entry and the daemon's heartbeat,
// so misfires after downtime are computed right, also for entries that never ran; pause flags),
// daily retention pruning, and the AdminControl the admin HTTP API acts through (including the
// one-shot replication requests full-resync / allow-mass-delete, see ReplicationRequests).
//
// Reload (reload(): SIGHUP and POST /api/reload): the configuration is re-read through the
// ConfigSource (the same loader and checks as startup) and applied only when it has no problem;
// otherwise the running configuration stays and the problems go to the log and to update activity
// (kind "config", action "reload refused"). Applied: every job/chain/connection change is recorded
// by ConfigAuditor, the scheduler takes the new catalog (Scheduler::replaceEntries: last handled
// slots, pause flags and runs in progress of entries that still exist are kept), and the settings
// that only apply at startup (keepRestartOnly() in the .cpp: admin.*, store.*, log.file,
// scheduler.*) keep their running values and are reported as "needs restart". Each run captures
// the configuration snapshot it started with (a shared_ptr; retries of the run reuse it), so runs
// in progress finish with their own configuration.
//
// Shutdown (shutdown()): runs are asked to stop at their next page boundary (RunContext::
// stopRequested: they end Deferred with their checkpoint, so the next run resumes); after a grace
// period the Salesforce calls still in flight are cancelled (such a run ends Deferred too).
//
// Thread-safety: execute() runs on scheduler worker threads; AdminControl methods on HTTP threads;
// both read immutable configuration snapshots (current(), swapped under a mutex by reload()) and
// use thread-safe collaborators (Store, Scheduler). reload() calls are serialised by their own
// mutex; no lock is held while a run executes.
// Control actions (pause/resume/disconnect/reconnect) are serialised per flag (entry or
// connection; 16 striped locks, so unrelated flags may occasionally wait for each other): applying
// and saving one flag never interleaves with another action on it. Only control actions take these
// locks (reconnect authenticates under its flag's lock); status calls and runs never do. A flag or
// audit row that cannot be saved is logged and returned as kIoError (the live change stays).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/MetadataRefresher.h"
#include "app/RealtimeRunner.h"
#include "app/ReplicationRequests.h"
#include "sfsync/admin/AdminControl.h"
#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/jobs/FailedRerun.h"
#include "sfsync/notify/NotificationSettings.h"
#include "sfsync/notify/Notifier.h"
#include "sfsync/salesforce/CancellationToken.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/scheduling/ChainCatalog.h"
#include "sfsync/scheduling/RunClaims.h"
#include "sfsync/scheduling/RunExecutor.h"
#include "sfsync/scheduling/Scheduler.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

class DaemonRuntime final : public scheduling::RunExecutor, public admin::AdminControl {
 public:
  // What reload() loads: the configuration with its problems (empty: valid) and the notification
  // settings checked from it.
  struct LoadedSource {
    std::shared_ptr<config::LoadedConfig> config;
    notify::NotificationSettings notifications;
  };
  using ConfigSource = std::function<LoadedSource()>;

  // Builds the scheduling catalog from the configuration; problems are returned as text.
  static scheduling::ChainCatalog buildCatalog(const config::LoadedConfig& config);

  // `config` must outlive the runtime (or be replaced by reload()). `claims`: who runs what when
  // several daemons share the store (issue 12; see ClusterMonitor); nullptr = this daemon alone
  // (scheduling::makeLocalRunClaims()).
  DaemonRuntime(const config::LoadedConfig& config, store::Store& store,
                std::shared_ptr<Clock> clock, notify::NotificationSettings notifications,
                scheduling::Scheduler::Options options, scheduling::RunClaimsPtr claims = nullptr);
  DaemonRuntime(std::shared_ptr<const config::LoadedConfig> config, store::Store& store,
                std::shared_ptr<Clock> clock, notify::NotificationSettings notifications,
                scheduling::Scheduler::Options options, scheduling::RunClaimsPtr claims = nullptr);
  ~DaemonRuntime() override;

  // Where reload() reads the configuration; without one reload() answers kUnavailable.
  void setConfigSource(ConfigSource source);
  // The configuration new runs use.
  std::shared_ptr<const config::LoadedConfig> currentConfig() const;
  // Daemon shutdown: asks every run in flight to stop at its next page boundary, cancels the
  // Salesforce calls still in flight after `grace`, and stops the scheduler (waits for the runs).
  void shutdown(std::chrono::milliseconds grace);

  // Registers every catalog entry, restores pause flags; call start() to begin ticking.
  Status init();
  void start();  // starts the scheduler's timer thread
  void stop();
  // Interrupts the Salesforce HTTP calls of every run in flight (daemon shutdown), so stop() does
  // not wait for a slow or stalled response. Safe from any thread.
  void cancelInFlight();
  scheduling::Scheduler& scheduler() { return *scheduler_; }
  // Live events (issue 16; GET /api/events relays them): runs publish run.started /
  // run.progress / run.finished, admin actions "control", reloads "config.reload", metadata
  // refreshes "metadata.refresh". Thread-safe; lives as long as the runtime.
  EventBus& events() { return events_; }

  // RunExecutor
  scheduling::ExecutionOutcome execute(const scheduling::RunRequest& request) override;

  // AdminControl
  std::vector<admin::EntrySummary> connections() override;
  std::vector<admin::EntrySummary> jobs() override;
  std::vector<admin::EntrySummary> chains() override;
  Result<std::string> runNow(const std::string& kind, const std::string& name,
                             const std::string& actor) override;
  Result<std::string> pause(const std::string& kind, const std::string& name,
                            const std::string& actor) override;
  Result<std::string> resume(const std::string& kind, const std::string& name,
                             const std::string& actor) override;
  // Issue 17: a web_server connection also loses its refresh token (ConnectionConsole) and the
  // configuration is reloaded; completeAuthorization() reconnects it.
  Result<std::string> disconnect(const std::string& name, const std::string& actor) override;
  Result<std::string> reconnect(const std::string& name, const std::string& actor) override;
  Result<std::string> fullResync(const std::string& job, const std::string& actor) override;
  Result<std::string> allowMassDelete(const std::string& job, const std::string& actor) override;
  Result<admin::ReloadOutcome> reload(const std::string& actor) override;
  // Issue 17 (the admin editor's saves): a reload whose job / chain / connection changes are
  // recorded under `actor` (the token's name) instead of "config file".
  Result<admin::ReloadOutcome> reloadEdited(const std::string& actor);
  Result<std::string> refreshMetadata(const std::string& connection,
                                      const std::string& actor) override;
  // Issue 16: stores a one-shot re-run request for the execution's job (state key
  // rerunFailedKey) and asks for a run-now; the next run-now of that job runs only the failed Ids.
  Result<std::string> rerunFailed(const std::string& executionId,
                                  const std::string& actor) override;
  // A dry run of the job with the current configuration and a client of its own (issue 16).
  Result<std::string> dryRun(const std::string& job, std::int64_t maxRecords,
                             const std::string& actor) override;
  // Issue 17 (ConnectionConsole over the current configuration): the OAuth web-server flow with
  // PKCE (a completed authorisation reloads the configuration, so the stored refresh token and
  // any OOB jobs it created take effect) and Test connection.
  Result<std::string> oauthRedirectUri(const std::string& connection,
                                       const std::string& defaultRedirectUri) override;
  Result<std::string> authorizeUrl(const std::string& connection, const std::string& redirectUri,
                                   const std::string& state,
                                   const std::string& codeChallenge) override;
  Result<std::string> completeAuthorization(const std::string& connection, const std::string& code,
                                            const std::string& codeVerifier,
                                            const std::string& redirectUri,
                                            const std::string& actor) override;
  Result<std::string> testConnection(const std::string& connection,
                                     const std::string& actor) override;
  // Issue 18: the live numbers of the real-time jobs running now.
  std::vector<RealtimeStats> realtime() override;

  // Issue 18: a real-time job's catch-up (stale replay id, GAP_OVERFLOW) as a run of the job
  // through the scheduler (trigger "realtime" on its row), so it never overlaps the job's
  // scheduled run: while the job runs it waits for that run to end (logged) and then starts; a
  // schedule slot that comes during the catch-up is skipped or queued by the job's overlap policy
  // (a scheduler notice in the log). Only the run it asked for (Scheduler::runNow's mark) counts
  // as its catch-up run, never one that was already starting. Blocks until that run ended; OK
  // when it ended Success or Partial Success. kCancelled when `stopping` turns true or the daemon
  // shuts down meanwhile; the scheduler's refusal otherwise (e.g. the connection is
  // disconnected).
  Status realtimeCatchUp(const std::string& job, const std::function<bool()>& stopping);

  // Issue 12: the daemons sharing the store and what each runs (GET /api/cluster).
  Result<scheduling::ClusterView> cluster() override;

  // Issue 12, one beat of the cluster monitor (a thread started by start(), every
  // RunClaims::beatInterval()): renews this daemon's heartbeat and leases, adopts the runs of
  // daemons whose lease expired (their execution rows are marked interrupted first, the run
  // resumes from its checkpoint) and applies the pause / disconnect flags other daemons saved in
  // the store. Public for tests; safe from any thread.
  void clusterBeat();

 private:
  // Publishes a successful admin action as a "control" event; returns `result` unchanged.
  Result<std::string> announce(const std::string& kind, const std::string& name,
                               const std::string& action, const std::string& actor,
                               Result<std::string> result);
  // Issue 16: the failed records a run-now of a job should re-run (its pending request), if any.
  std::optional<jobs::FailedRecords> takeRerunRequest(const scheduling::RunRequest& request);
  // One configuration and what is derived from it; immutable once published.
  struct Generation {
    std::shared_ptr<const config::LoadedConfig> config;
    scheduling::ChainCatalog catalog;
    std::shared_ptr<notify::Notifier> notifier;
  };
  using GenerationPtr = std::shared_ptr<const Generation>;

  GenerationPtr current() const;
  scheduling::ExecutionOutcome executeWith(const Generation& generation,
                                           const scheduling::RunRequest& request);
  // The snapshot a run started with (retries of the run reuse it), else current().
  GenerationPtr generationOf(const std::string& executionId) const;
  // Every scheduler entry of a configuration (jobs inside a chain get an unscheduled one).
  static std::vector<scheduling::SchedulerEntry> entriesOf(const Generation& generation);
  // Issue 12: makes the scheduler's pause / disconnect state equal the flags in the store (other
  // daemons' admin actions), both ways; under the flags' control locks.
  void syncFlags();
  // Issue 12: claims a run-now of `kind` `name` ("" when this daemon is alone: the worker claims);
  // kInvalidArgument "'X' is already running on daemon Y" while it (or a chain running one of its
  // jobs, or a job of the chain) runs on another daemon.
  Result<std::string> claimRunNow(const std::string& kind, const std::string& name);
  // Applies the pause / disconnect flags saved in the store to the scheduler's entries.
  Status restoreFlags(const Generation& generation,
                      const std::vector<scheduling::SchedulerEntry>& entries);
  // reload(): records a refused reload (log and update activity) and builds its answer.
  admin::ReloadOutcome refuseReload(const config::LoadedConfig& next, const std::string& actor);
  // reload(): validated `next` becomes the running configuration.
  Result<admin::ReloadOutcome> applyReload(std::shared_ptr<config::LoadedConfig> next,
                                           notify::NotificationSettings notifications,
                                           const std::string& actor, const std::string& auditActor);
  // reload() / reloadEdited(): the change rows are recorded under `auditActor`.
  Result<admin::ReloadOutcome> reloadAs(const std::string& actor, const std::string& auditActor);

  // Shared by every client this runtime builds; cancelInFlight() cancels it.
  std::shared_ptr<salesforce::CancellationToken> shutdownToken_ =
      std::make_shared<salesforce::CancellationToken>();

  void onFinished(const scheduling::FinishedRun& run);
  void markRetrying(const scheduling::RetryScheduled& retry);
  // The run.retry log line: attempt that failed, why, and when the next one starts.
  void logRetry(const scheduling::RetryScheduled& retry);
  std::optional<store::ExecutionRecord> executionRow(const std::string& id);
  Result<bool> flagOf(const std::string& key);
  void notifyRun(const scheduling::FinishedRun& run);
  void pruneIfDue();
  // Daily housekeeping (issue 15): refreshes the connections whose cached describes are older than
  // their metadataRefreshDays, at most once a day, on the thread that finished a run.
  void refreshMetadataIfDue();
  // A refresher over `generation`'s configuration and notifier (built per refresh: a reload may
  // replace both).
  MetadataRefresher metadataRefresher(const GenerationPtr& generation);
  // Persists a control action (pause flag) and records it as update activity.
  Result<std::string> control(const std::string& kind, const std::string& name,
                              const std::string& action, const std::string& actor,
                              const std::function<Status()>& apply);
  // Writes a full-resync / allow-mass-delete request for a known, enabled job.
  Result<std::string> replicationRequest(const std::string& job, ReplicationRequest request,
                                         const std::string& actor);
  admin::EntrySummary summarize(const std::string& kind, const std::string& name);
  // A new client for a configured connection; nullptr when no
  // connection has that name.
  salesforce::SalesforceClientPtr clientFor(const config::LoadedConfig& config,
                                            const std::string& connection) const;
  // OK when `kind` ("job", "chain", "connection") has an enabled entry called `name`; kNotFound
  // otherwise. A job name never matches a chain and vice versa.
  Status checkKnown(const std::string& kind, const std::string& name) const;

  store::Store& store_;
  std::shared_ptr<Clock> clock_;
  mutable std::mutex generationMu_;  // guards generation_ and runGenerations_
  GenerationPtr generation_;
  std::map<std::string, GenerationPtr> runGenerations_;  // execution id -> its snapshot
  ConfigSource source_;
  std::mutex reloadMu_;  // one reload at a time
  std::atomic<bool> stopRequested_{false};
  scheduling::RunClaimsPtr claims_;  // before scheduler_: the scheduler uses it until destroyed
  std::unique_ptr<scheduling::Scheduler> scheduler_;
  std::thread monitor_;  // clusterBeat() every claims_->beatInterval()
  std::mutex monitorMu_;
  std::condition_variable monitorCv_;
  bool monitorStop_ = false;
  // Issue 18: the "realtime": true jobs.
  std::unique_ptr<RealtimeRunner> realtime_;
  // Issue 18: catch-up runs asked for by realtimeCatchUp(), by request id. The run it asks for
  // carries the id (Scheduler::runNow's mark): executeWith() takes that request only (the run's
  // trigger becomes "realtime") and stores its outcome, so a run started before a request can
  // never complete it (finding 7). onFinished() counts the finished runs per name so a waiting
  // catch-up knows when the job's run ended.
  struct CatchUpRequest {
    std::string job;
    bool taken = false;
    bool done = false;
    std::string status;
    std::string message;
  };
  void makeRealtimeRunner();
  // Stops the real-time jobs now paused / disconnected and starts those resumed / reconnected.
  void followRealtimeFlags();
  // The catch-up request `mark` of `job` if it is pending (the run takes it), else 0.
  std::uint64_t takeCatchUp(const std::string& job, std::uint64_t mark);
  void finishCatchUp(std::uint64_t id, const std::string& status, const std::string& message);
  // The end of realtimeCatchUp's wait for request `id`: its outcome; catchUpMu_ held.
  Status endCatchUp(const std::string& job, std::uint64_t id);
  std::mutex catchUpMu_;  // guards catchUps_, finishedRuns_
  std::condition_variable catchUpCv_;
  std::map<std::uint64_t, CatchUpRequest> catchUps_;  // by request id
  std::map<std::string, std::int64_t> finishedRuns_;
  std::uint64_t nextCatchUpId_ = 0;
  std::array<std::mutex, 16> controlLocks_;  // control(): by hash of the flag's state key
  std::mutex pruneMu_;
  Clock::TimePoint lastPrune_{};
  std::mutex metadataRefreshMu_;  // one metadata refresh at a time (only refreshes take it)
  std::mutex metadataMu_;         // guards lastMetadataCheck_ only
  Clock::TimePoint lastMetadataCheck_{};
  EventBus events_;
};

}  // namespace sfsync::app
