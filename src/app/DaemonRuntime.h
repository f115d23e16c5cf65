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
// Thread-safety: execute() runs on scheduler worker threads; AdminControl methods on HTTP threads;
// both only read the immutable configuration and use thread-safe collaborators (Store, Scheduler).
// Control actions (pause/resume/disconnect/reconnect) are serialised per flag (entry or
// connection; 16 striped locks, so unrelated flags may occasionally wait for each other): applying
// and saving one flag never interleaves with another action on it. Only control actions take these
// locks (reconnect authenticates under its flag's lock); status calls and runs never do. A flag or
// audit row that cannot be saved is logged and returned as kIoError (the live change stays).
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/MetadataRefresher.h"
#include "app/ReplicationRequests.h"
#include "sfsync/admin/AdminControl.h"
#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/notify/NotificationSettings.h"
#include "sfsync/notify/Notifier.h"
#include "sfsync/salesforce/CancellationToken.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/scheduling/ChainCatalog.h"
#include "sfsync/scheduling/RunExecutor.h"
#include "sfsync/scheduling/Scheduler.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

class DaemonRuntime final : public scheduling::RunExecutor, public admin::AdminControl {
 public:
  // Builds the scheduling catalog from the configuration; problems are returned as text.
  static scheduling::ChainCatalog buildCatalog(const config::LoadedConfig& config);

  DaemonRuntime(const config::LoadedConfig& config, store::Store& store,
                std::shared_ptr<Clock> clock, notify::NotificationSettings notifications,
                scheduling::Scheduler::Options options);
  ~DaemonRuntime() override;

  // Registers every catalog entry, restores pause flags; call start() to begin ticking.
  Status init();
  void start();  // starts the scheduler's timer thread
  void stop();
  // Interrupts the Salesforce HTTP calls of every run in flight (daemon shutdown), so stop() does
  // not wait for a slow or stalled response. Safe from any thread.
  void cancelInFlight();
  scheduling::Scheduler& scheduler() { return *scheduler_; }

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
  Result<std::string> disconnect(const std::string& name, const std::string& actor) override;
  Result<std::string> reconnect(const std::string& name, const std::string& actor) override;
  Result<std::string> fullResync(const std::string& job, const std::string& actor) override;
  Result<std::string> allowMassDelete(const std::string& job, const std::string& actor) override;
  Result<std::string> refreshMetadata(const std::string& connection,
                                      const std::string& actor) override;

 private:
  // Shared by every client this runtime builds; cancelInFlight() cancels it.
  std::shared_ptr<salesforce::CancellationToken> shutdownToken_ =
      std::make_shared<salesforce::CancellationToken>();

  void onFinished(const scheduling::FinishedRun& run);
  void markRetrying(const scheduling::RetryScheduled& retry);
  std::optional<store::ExecutionRecord> executionRow(const std::string& id);
  Result<bool> flagOf(const std::string& key);
  void notifyRun(const scheduling::FinishedRun& run);
  void pruneIfDue();
  // Daily housekeeping (issue 15): refreshes the connections whose cached describes are older than
  // their metadataRefreshDays, at most once a day, on the thread that finished a run.
  void refreshMetadataIfDue();
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
  salesforce::SalesforceClientPtr clientFor(const std::string& connection) const;
  // OK when `kind` ("job", "chain", "connection") has an enabled entry called `name`; kNotFound
  // otherwise. A job name never matches a chain and vice versa.
  Status checkKnown(const std::string& kind, const std::string& name) const;

  const config::LoadedConfig& config_;
  store::Store& store_;
  std::shared_ptr<Clock> clock_;
  scheduling::ChainCatalog catalog_;
  notify::NotifierPtr notifier_;
  std::unique_ptr<scheduling::Scheduler> scheduler_;
  std::array<std::mutex, 16> controlLocks_;  // control(): by hash of the flag's state key
  std::mutex pruneMu_;
  Clock::TimePoint lastPrune_{};
  std::unique_ptr<MetadataRefresher> metadata_;
  std::mutex metadataMu_;  // guards lastMetadataCheck_ only
  Clock::TimePoint lastMetadataCheck_{};
};

}  // namespace sfsync::app
