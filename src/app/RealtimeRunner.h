// RealtimeRunner: the daemon's real-time side (issue 18): one jobs::RealtimeJob thread per enabled
// job with "realtime": true, each with its own REST client (describe, GAP re-reads, catch-up runs)
// and its own Pub/Sub session (salesforce::openStreamingSession; renewed on UNAUTHENTICATED) to
// the connection's pubsubEndpoint (TLS; plaintext only to a loopback host such as the simulator).
// A catch-up is the job's ordinary run (JobRunner, trigger "realtime"). Started with the daemon,
// stopped at shutdown; a configuration reload does not change the set of real-time jobs (restart).
//
// Thread-safety: start(), stop() and stats() may be called from any thread; stop() joins.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/jobs/RealtimeJob.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/salesforce/StreamingSession.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

class RealtimeRunner {
 public:
  RealtimeRunner(std::shared_ptr<const config::LoadedConfig> conf, store::Store& store,
                 std::shared_ptr<Clock> clock);
  ~RealtimeRunner();
  RealtimeRunner(const RealtimeRunner&) = delete;
  RealtimeRunner& operator=(const RealtimeRunner&) = delete;

  void start();
  void stop();
  std::vector<jobs::RealtimeStats> stats() const;

 private:
  struct Worker {
    const config::JobConfig* job = nullptr;
    const salesforce::ConnectionSettings* settings = nullptr;
    salesforce::SalesforceClientPtr client;
    std::mutex sessionMutex;  // guards session
    std::optional<salesforce::StreamingSession> session;
    std::unique_ptr<jobs::RealtimeJob> realtime;
    std::thread thread;
  };
  void startWorker(Worker& w);
  Status renewSession(Worker& w);

  const std::shared_ptr<const config::LoadedConfig> conf_;
  store::Store& store_;
  const std::shared_ptr<Clock> clock_;
  mutable std::mutex mutex_;  // guards workers_ and started_
  std::vector<std::unique_ptr<Worker>> workers_;
  bool started_ = false;
};

}  // namespace sfsync::app
