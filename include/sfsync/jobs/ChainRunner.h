// ChainRunner: runs a job chain once as a dependency DAG (scheduling::ChainPlan from the chain's
// dependencies - explicit in the chain file or derived from the jobs' dependsOn), independent
// branches in parallel up to the chain's maxParallel (scheduling::ChainExecutor). A job starts when
// every predecessor has finished and every edge condition (success / success or partial / always)
// holds; otherwise it is recorded as Skipped with the reason. A disabled job ("enabled": false) is
// recorded as Skipped with the reason "disabled" and counts as succeeded for the edges after it
// (its dependents run; the chain is not made Partial by it). A failed job is retried per its
// "retries" policy; every attempt of a job rewrites the same execution row (attempts counts them).
// Writes one chain execution row whose job rows link to it (parentId), with counts summed from its
// jobs.
//
// Pipelined extraction ("pipelined": true, the default): a job may extract - into a spill file, not
// memory - as soon as its predecessors have extracted, while they load; its load still waits until
// every predecessor has finished loading, so it never sees half-loaded data. Retries run whole.
//
// Thread-safety: run() may be called from any thread; the client factory is called from the
// executor's worker threads and must be thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

// Builds a fresh client for a connection name (one per job run).
using ClientFactory = std::function<salesforce::SalesforceClientPtr(const std::string& connection)>;

struct ChainContext {
  ChainContext(store::Store& s, Clock& k, std::string errors, ClientFactory factory,
               std::string trig = "cli")
      : store(s),
        clock(k),
        errorDir(std::move(errors)),
        clients(std::move(factory)),
        trigger(std::move(trig)) {}

  store::Store& store;
  Clock& clock;
  std::string errorDir;
  ClientFactory clients;
  std::string trigger = "cli";
  std::string executionId;  // a retry of the whole chain passes the first attempt's id
  int attempt = 1;
  // Handed to every job's RunContext (see RunContext::stopRequested); nullptr: never stops.
  const std::atomic<bool>* stopRequested = nullptr;
  // Live events (issue 16) for the chain's row and every job's RunContext; nullptr: none.
  EventBus* events = nullptr;
};

struct ChainRun {
  store::ExecutionRecord chain;
  std::vector<store::ExecutionRecord> jobs;  // in plan order, Skipped ones included
};

class ChainRunner {
 public:
  static ChainRun run(const config::ChainConfig& chain, const config::LoadedConfig& config,
                      ChainContext& context);
};

}  // namespace sfsync::jobs
