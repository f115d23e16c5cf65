// deletes_bench: what source-delete detection costs against a slow Salesforce.
//
//   build/bench/deletes_bench [accounts=100000] [latencyMs=100] [updates=1000] [deletes=100]
//
// An in-process simulator (its memory IS counted in the peak RSS printed) answers every call after
// `latencyMs`. Company Sync (Account -> Company, onSourceDelete "delete", source.api auto) into a
// fresh SQLite file:
//   1. the first run (Bulk above the threshold; no Id comparison: the table was empty)
//   2. after `updates` changed and `deletes` soft-deleted Accounts: an incremental run (the delete
//      feeds: sobjects/Account/deleted + one queryAll)
//   3. after `deletes` more hard-deleted Accounts: a full resync (the full Id comparison, Bulk)
// Each line: seconds, API calls (the client's count), records read, target rows deleted. No
// thresholds.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fakes/SimConnection.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/ReplicationState.h"

namespace {

using namespace sfsync;

long peakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

config::JobConfig companySync() {
  const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/company_sync.json";
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<config::ConfigProblem> problems;
  std::optional<config::JobConfig> job = config::parseJob(path, text.str(), problems);
  if (!job) {
    std::fprintf(stderr, "deletes_bench: %s\n", problems.front().toString().c_str());
    std::exit(1);
  }
  job->onSourceDelete = config::DeletePolicy::kDelete;
  job->massDeletePercent = 100;
  return *job;
}

void timedRun(const char* label, const config::JobConfig& job, const sim::SimServer& sim,
              store::Store& store, const std::string& dir) {
  salesforce::ConnectionSettings settings = testing::simConnection(sim);
  auto client = salesforce::makeHttpClient(settings, systemClock());
  jobs::RunContext context{*client, store, *systemClock(), dir + "/errors", "cli", ""};
  context.useConnection(settings);
  const auto start = std::chrono::steady_clock::now();
  store::ExecutionRecord r = jobs::JobRunner::run(job, context);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "  %-36s %-8s %-11s %-5s %7.2f s  %5lld API calls  read %8lld  deleted %5lld  "
      "peak RSS %.1f MiB\n",
      label, r.status.c_str(), r.mode.c_str(), r.api.c_str(), secs,
      static_cast<long long>(r.apiCalls), static_cast<long long>(r.recordsRead),
      static_cast<long long>(r.deleted), peakRssKb() / 1024.0);
  if (r.status != "Success") std::fprintf(stderr, "  %s\n", r.message.c_str());
}

std::string generated(long k) {
  return sim::SalesforceId::make("001", "Gn", static_cast<std::uint64_t>(k));
}

}  // namespace

int main(int argc, char** argv) {
  const long accounts = argc > 1 ? std::atol(argv[1]) : 100000;
  const int latency = argc > 2 ? std::atoi(argv[2]) : 100;
  const long updates = argc > 3 ? std::atol(argv[3]) : 1000;
  const long deletes = argc > 4 ? std::atol(argv[4]) : 100;
  sim::SimOptions options;
  options.loadOrg = false;
  sim::SimServer sim(options);
  sim.start();
  sim.generateAccounts(static_cast<std::size_t>(accounts));
  sim.setLatencyMs(latency);
  char dirTemplate[] = "/tmp/sfsync-delbench-XXXXXX";
  const std::string dir = mkdtemp(dirTemplate);
  std::printf("Company Sync (onSourceDelete delete), %ld generated Accounts, %d ms per call\n",
              accounts, latency);
  auto opened = store::openSqliteStore(dir + "/sfsync.db");
  if (!opened.ok()) return 1;
  store::Store& store = **opened;
  const config::JobConfig job = companySync();
  timedRun("first run", job, sim, store, dir);

  sim.setLatencyMs(0);
  for (long k = 1; k <= updates && k <= accounts; ++k) {
    sim.setField("Account", generated(k), "Name", "\"updated\"");
  }
  for (long k = accounts; k > accounts - deletes && k > 0; --k) {
    sim.deleteRecord("Account", generated(k));
  }
  sim.setLatencyMs(latency);
  timedRun(
      ("incremental, " + std::to_string(updates) + " upd + " + std::to_string(deletes) + " del")
          .c_str(),
      job, sim, store, dir);

  sim.setLatencyMs(0);
  for (long k = accounts - deletes; k > accounts - 2 * deletes && k > 0; --k) {
    sim.hardDeleteRecord("Account", generated(k));
  }
  sim.setLatencyMs(latency);
  if (!store.putState(jobs::fullResyncKey(job.name), "{\"by\":\"bench\"}").ok()) return 1;
  timedRun(("full resync, " + std::to_string(deletes) + " hard-deleted").c_str(), job, sim, store,
           dir);
  std::printf("peak RSS of this process (simulator included): %.1f MiB\n", peakRssKb() / 1024.0);
  opened->reset();
  std::system(("rm -rf " + dir).c_str());
  return 0;
}
