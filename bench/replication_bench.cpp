// replication_bench: what the replication engine costs against a slow Salesforce.
//
//   build/bench/replication_bench [accounts=100000] [latencyMs=100] [updates=1000]
//
// An in-process simulator (its memory IS counted in the peak RSS printed) answers every call after
// `latencyMs`. Company Sync (Account -> Company) into fresh SQLite files:
//   1. REST paging, full first run, no prefetch (one page at a time)
//   2. REST paging, full first run, one-slot prefetch (page N+1 fetched while page N loads)
//   3. Bulk API 2.0, full first run (prefetch)
//   4. after `updates` changed Accounts: an incremental run (source.api auto)
// Each line: seconds, API calls (the client's count), records read. No thresholds.
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
    std::fprintf(stderr, "replication_bench: %s\n", problems.front().toString().c_str());
    std::exit(1);
  }
  return *job;
}

store::ExecutionRecord timedRun(const char* label, const config::JobConfig& job,
                                const sim::SimServer& sim, store::Store& store,
                                const std::string& dir, bool prefetch) {
  salesforce::ConnectionSettings settings = testing::simConnection(sim);
  auto client = salesforce::makeHttpClient(settings, systemClock());
  jobs::RunContext context{*client, store, *systemClock(), dir + "/errors", "cli", ""};
  context.useConnection(settings);
  context.prefetchPages = prefetch;
  const auto start = std::chrono::steady_clock::now();
  store::ExecutionRecord r = jobs::JobRunner::run(job, context);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("  %-44s %-8s %-11s %-5s %7.2f s  %6lld API calls  read %8lld  peak RSS %.1f MiB\n",
              label, r.status.c_str(), r.mode.c_str(), r.api.c_str(), secs,
              static_cast<long long>(r.apiCalls), static_cast<long long>(r.recordsRead),
              peakRssKb() / 1024.0);
  if (r.status != "Success") std::fprintf(stderr, "  %s\n", r.message.c_str());
  return r;
}

std::unique_ptr<store::Store> freshStore(const std::string& dir, const char* name) {
  auto store = store::openSqliteStore(dir + "/" + name);
  if (!store.ok()) std::exit(1);
  return std::move(store).value();
}

}  // namespace

int main(int argc, char** argv) {
  const long accounts = argc > 1 ? std::atol(argv[1]) : 100000;
  const int latency = argc > 2 ? std::atoi(argv[2]) : 100;
  const long updates = argc > 3 ? std::atol(argv[3]) : 1000;
  sim::SimOptions options;
  options.loadOrg = false;
  sim::SimServer sim(options);
  sim.start();
  sim.generateAccounts(static_cast<std::size_t>(accounts));
  sim.setLatencyMs(latency);
  char dirTemplate[] = "/tmp/sfsync-replbench-XXXXXX";
  const std::string dir = mkdtemp(dirTemplate);
  std::printf(
      "Company Sync, %ld generated Accounts, %d ms per call (peak RSS with the org generated: "
      "%.1f MiB)\n",
      accounts, latency, peakRssKb() / 1024.0);

  config::JobConfig rest = companySync();
  rest.api = config::SourceApi::kRest;
  config::JobConfig bulk = rest;
  bulk.api = config::SourceApi::kBulk;
  auto a = freshStore(dir, "a.db");
  timedRun("REST, first run, no prefetch", rest, sim, *a, dir, false);
  auto b = freshStore(dir, "b.db");
  timedRun("REST, first run, prefetch", rest, sim, *b, dir, true);
  auto c = freshStore(dir, "c.db");
  timedRun("Bulk, first run", bulk, sim, *c, dir, true);

  sim.setLatencyMs(0);
  sim.setNowForTest("2030-01-01T00:00:00.000+0000");
  for (long k = 1; k <= updates && k <= accounts; ++k) {
    sim.setField("Account", sim::SalesforceId::make("001", "Gn", static_cast<std::uint64_t>(k)),
                 "Name", "\"updated\"");
  }
  sim.setLatencyMs(latency);
  config::JobConfig incremental = companySync();
  timedRun(("incremental after " + std::to_string(updates) + " updates (auto)").c_str(),
           incremental, sim, *c, dir, true);
  std::printf("peak RSS of this process (simulator included): %.1f MiB\n", peakRssKb() / 1024.0);
  std::system(("rm -rf " + dir).c_str());
  return 0;
}
