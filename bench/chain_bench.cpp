// chain_bench: the fixed cost of a job - a chain of empty jobs through the real ChainRunner and
// JobRunner against the Salesforce simulator (issue 11 target: under 5 ms per job).
//
//   build/bench/chain_bench [--jobs=10] [--rounds=20]
//
// sfsync-sim runs as a separate process with --no-org (the describes, no records), so every
// job's query returns 0 records. The chain holds --jobs Company-Sync-like jobs (10 fields, each
// into its own target table) in a line (job i after job i-1, condition successOrPartial), so
// they run one after another. It is run --rounds times into one SQLite file (round 1 creates the
// tables; its time is printed apart); per round: wall ms of the chain and ms per job. Then the
// same empty job run alone through JobRunner (no chain) for comparison. Each job builds its own
// client (login included), as a chain run in the daemon does. No thresholds: not a test.
#include <Poco/File.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "BenchSupport.h"
#include "sfsync/jobs/ChainRunner.h"
#include "sfsync/jobs/JobRunner.h"

namespace {

using namespace sfsync;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

config::LoadedConfig chainConfig(int jobs) {
  config::LoadedConfig loaded;
  config::ChainConfig chain;
  chain.name = "Empty Chain";
  chain.explicitDependencies = true;
  for (int i = 1; i <= jobs; ++i) {
    config::JobConfig job = bench::companyJob10();
    job.name = "Empty Job " + std::to_string(i);
    job.targets.front().object = "Empty Company " + std::to_string(i);
    chain.jobs.push_back(job.name);
    if (i > 1) {
      config::ChainDependency edge;
      edge.job = job.name;
      edge.after = "Empty Job " + std::to_string(i - 1);
      chain.dependencies.push_back(edge);
    }
    loaded.jobs.push_back(job);
  }
  loaded.chains.push_back(chain);
  return loaded;
}

struct Stats {
  double min = 0, median = 0, mean = 0;
};

Stats stats(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.median = v[v.size() / 2];
  for (double x : v) s.mean += x / static_cast<double>(v.size());
  return s;
}

// Runs the chain `rounds` times; returns false when a round did not succeed.
bool chainRounds(const config::LoadedConfig& loaded, const std::string& url, store::Store& store,
                 const std::string& dir, int rounds) {
  const salesforce::ConnectionSettings settings = bench::simConnection(url);
  const int jobs = static_cast<int>(loaded.jobs.size());
  std::vector<double> perJob;
  long long calls = 0;
  for (int round = 1; round <= rounds; ++round) {
    jobs::ChainContext context(store, *systemClock(), dir + "/errors", [&](const std::string&) {
      return salesforce::makeHttpClient(settings, systemClock());
    });
    const auto start = Clock::now();
    const jobs::ChainRun run = jobs::ChainRunner::run(loaded.chains.front(), loaded, context);
    const double ms = msSince(start);
    if (run.chain.status != "Success" || static_cast<int>(run.jobs.size()) != jobs) {
      std::fprintf(stderr, "chain_bench: round %d: %s (%zu jobs): %s\n", round,
                   run.chain.status.c_str(), run.jobs.size(), run.chain.message.c_str());
      return false;
    }
    if (round == 1) {
      std::printf("  round 1 (creates the tables): %.1f ms, %.2f ms per job\n", ms, ms / jobs);
      continue;
    }
    perJob.push_back(ms / jobs);
    for (const store::ExecutionRecord& job : run.jobs) calls += job.apiCalls;
  }
  const Stats s = stats(perJob);
  std::printf(
      "  rounds 2..%d: ms per job min %.2f, median %.2f, mean %.2f (target < 5); API calls per "
      "job %.1f\n",
      rounds, s.min, s.median, s.mean,
      perJob.empty() ? 0.0 : static_cast<double>(calls) / (perJob.size() * jobs));
  return true;
}

// The first job of the chain run alone through JobRunner `rounds` times.
bool soloRounds(const config::JobConfig& job, const std::string& url, store::Store& store,
                const std::string& dir, int rounds) {
  const salesforce::ConnectionSettings settings = bench::simConnection(url);
  std::vector<double> ms;
  for (int round = 1; round <= rounds; ++round) {
    const auto start = Clock::now();
    auto client = salesforce::makeHttpClient(settings, systemClock());
    jobs::RunContext context{*client, store, *systemClock(), dir + "/errors", "cli", ""};
    context.useConnection(settings);
    const store::ExecutionRecord r = jobs::JobRunner::run(job, context);
    ms.push_back(msSince(start));
    if (r.status != "Success") {
      std::fprintf(stderr, "chain_bench: solo run: %s: %s\n", r.status.c_str(), r.message.c_str());
      return false;
    }
  }
  const Stats s = stats(ms);
  std::printf(
      "  one empty job alone (JobRunner, client built per run): ms min %.2f, median %.2f, "
      "mean %.2f\n",
      s.min, s.median, s.mean);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int jobs = 10, rounds = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--jobs=", 0) == 0) {
      jobs = std::max(1, std::atoi(arg.c_str() + 7));
    } else if (arg.rfind("--rounds=", 0) == 0) {
      rounds = std::max(2, std::atoi(arg.c_str() + 9));
    } else {
      std::fprintf(stderr, "chain_bench: unknown option %s (see the file header)\n", arg.c_str());
      return 2;
    }
  }
  std::printf("chain_bench: a line of %d empty jobs (0 records each), %d rounds\n", jobs, rounds);
  bench::SimProcess sim({"--no-org", "--port=0"});
  const std::string dir = bench::freshDir();
  Result<store::StorePtr> store = store::openSqliteStore(dir + "/bench.db");
  if (!store.ok()) {
    std::fprintf(stderr, "chain_bench: %s\n", store.status().toString().c_str());
    return 1;
  }
  const config::LoadedConfig loaded = chainConfig(jobs);
  bool ok = chainRounds(loaded, sim.url(), **store, dir, rounds);
  ok = ok && soloRounds(loaded.jobs.front(), sim.url(), **store, dir, rounds);
  Poco::File(dir).remove(true);
  return ok ? 0 : 1;
}
