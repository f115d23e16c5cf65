// RealtimeRunner: the daemon's real-time side (issue 18): one jobs::RealtimeJob thread per enabled
// job with "realtime": true, each with its own REST client (describe, GAP re-reads) and its own
// Pub/Sub session (salesforce::openStreamingSession; renewed on UNAUTHENTICATED) to the
// connection's pubsubEndpoint (TLS; plaintext only to a loopback host such as the simulator).
//
// Catch-ups (stale replay id, GAP_OVERFLOW) go through the `catchUp` function the daemon gives
// (DaemonRuntime::realtimeCatchUp: a run of the job through the scheduler, so it never overlaps
// the job's scheduled run); without one the job's ordinary run (JobRunner, trigger "realtime")
// runs on the real-time thread.
//
// Live numbers: stats(); with an EventBus, a "realtime" event ({"jobs":[...]}, admin::RealtimeJson)
// is published once a second while at least one real-time job runs.
//
// Reload: reconcile(config) starts the real-time jobs that are new (or became real-time or
// enabled), stops those removed (or no longer real-time, or disabled) and restarts those whose job
// file or connection settings changed (or whose run() ended); the others keep streaming. A job
// `held` says is held (paused, connection paused or disconnected) does not run: the daemon calls
// reconcile() after a pause / resume / disconnect / reconnect.
//
// Thread-safety: start(), stop(), reconcile() and stats() may be called from any thread; stop()
// and reconcile() join the threads they end (never under the lock stats() takes).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/jobs/RealtimeJob.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/salesforce/StreamingSession.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

class RealtimeRunner {
 public:
  // Runs a catch-up of `job` to completion; `stopping` turns true when the real-time job stops
  // (the wait should end then).
  using CatchUp =
      std::function<Status(const config::JobConfig& job, const std::function<bool()>& stopping)>;

  // True while a job's real-time side must not run (the job or its connection is paused, the
  // connection disconnected). Called without the runner's locks.
  using Held = std::function<bool(const config::JobConfig& job)>;

  RealtimeRunner(std::shared_ptr<const config::LoadedConfig> conf, store::Store& store,
                 std::shared_ptr<Clock> clock, EventBus* events = nullptr,
                 CatchUp catchUp = nullptr, Held held = nullptr);
  ~RealtimeRunner();
  RealtimeRunner(const RealtimeRunner&) = delete;
  RealtimeRunner& operator=(const RealtimeRunner&) = delete;

  void start();
  void stop();
  // Applies a reloaded configuration (see above); returns what changed ("real-time job 'X'
  // started" / "stopped" / "restarted"). Before start() it only replaces the configuration.
  std::vector<std::string> reconcile(std::shared_ptr<const config::LoadedConfig> conf);
  std::vector<jobs::RealtimeStats> stats() const;

 private:
  struct Worker {
    std::shared_ptr<const config::LoadedConfig> conf;  // keeps job and settings alive
    const config::JobConfig* job = nullptr;
    const salesforce::ConnectionSettings* settings = nullptr;
    std::string fingerprint;  // job file + connection settings (in memory only: has secrets)
    salesforce::SalesforceClientPtr client;
    std::mutex sessionMutex;  // guards session
    std::optional<salesforce::StreamingSession> session;
    std::unique_ptr<jobs::RealtimeJob> realtime;
    std::thread thread;
    std::atomic<bool> ended{false};  // run() returned (an error ended it): reconcile restarts it
  };
  // The workers `conf` asks for (not started).
  std::vector<std::unique_ptr<Worker>> wanted(
      const std::shared_ptr<const config::LoadedConfig>& conf) const;
  void startWorker(Worker& w);
  static void stopAndJoin(std::vector<std::unique_ptr<Worker>>& workers);
  Status renewSession(Worker& w);
  Status catchUpOf(Worker& w);
  void publishLoop();

  std::shared_ptr<const config::LoadedConfig> conf_;
  store::Store& store_;
  const std::shared_ptr<Clock> clock_;
  EventBus* const events_;
  const CatchUp catchUp_;
  const Held held_;
  std::mutex reconcileMu_;    // one start / stop / reconcile at a time
  mutable std::mutex mutex_;  // guards conf_, workers_, started_, stopping_
  std::condition_variable wake_;
  std::vector<std::unique_ptr<Worker>> workers_;
  bool started_ = false;
  bool stopping_ = false;
  std::thread publisher_;
};

}  // namespace sfsync::app
