// ChainRunner: runs a job chain once - its jobs in order, each after the previous one succeeded or
// partly succeeded; a job after a failed one is recorded as Skipped with the reason. Writes one chain
// execution row whose job rows link to it (parentId), with the chain's counts summed from its jobs.
// (Dependency DAGs, conditions, parallel branches and schedules are the scheduler's; see README.)
//
// Thread-safety: run() uses only its arguments; the client factory must be callable from this thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

// Builds a fresh client for a connection name (one per job run).
using ClientFactory = std::function<salesforce::SalesforceClientPtr(const std::string& connection)>;

struct ChainContext {
  store::Store& store;
  Clock& clock;
  std::string errorDir;
  ClientFactory clients;
  std::string trigger = "cli";
};

struct ChainRun {
  store::ExecutionRecord chain;
  std::vector<store::ExecutionRecord> jobs;  // in run order, Skipped ones included
};

class ChainRunner {
 public:
  static ChainRun run(const config::ChainConfig& chain, const config::LoadedConfig& config,
                      ChainContext& context);
};

}  // namespace sfsync::jobs
