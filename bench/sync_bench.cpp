// sync_bench: Company Sync over N generated Accounts (default 200,000; ~10 fields each).
// Starts sfsync-sim as a SEPARATE process (so the simulator's memory is not counted), runs the shipped
// jobs/company_sync.json into a fresh SQLite file twice (first run creates, second run updates) and
// prints records/s for each run and the peak RSS of this process.
//
//   build/sync_bench [N] [batchSize]
#include <Poco/File.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"

namespace {

long peakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kilobytes on Linux
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sfsync;
  const long n = argc > 1 ? std::atol(argv[1]) : 200000;
  const int batch = argc > 2 ? std::atoi(argv[2]) : 2000;

  Poco::Pipe simOut;
  Poco::Process::Args args{"--no-org", "--port=0", "--generate-accounts=" + std::to_string(n),
                           "--batch-size=" + std::to_string(batch)};
  Poco::ProcessHandle sim = Poco::Process::launch(SFSYNC_SIM_PATH, args, nullptr, &simOut, nullptr);
  Poco::PipeInputStream simStream(simOut);
  std::string line;
  std::getline(simStream, line);
  const std::string marker = "listening on ";
  const auto at = line.find(marker);
  if (at == std::string::npos) {
    std::cerr << "sync_bench: simulator did not start: " << line << std::endl;
    Poco::Process::kill(sim);
    return 1;
  }
  const std::string url = line.substr(at + marker.size());

  std::vector<config::ConfigProblem> problems;
  const std::string jobFile = std::string(SFSYNC_SOURCE_DIR) + "/jobs/company_sync.json";
  std::optional<config::JobConfig> job = config::parseJob(jobFile, readFile(jobFile), problems);
  if (!job) {
    std::cerr << "sync_bench: " << problems.front().toString() << std::endl;
    return 1;
  }

  char dirTemplate[] = "/tmp/sfsync-bench-XXXXXX";
  const std::string dir = mkdtemp(dirTemplate);
  auto store = store::openSqliteStore(dir + "/bench.db");
  if (!store.ok()) {
    std::cerr << "sync_bench: " << store.status().toString() << std::endl;
    return 1;
  }

  salesforce::ConnectionSettings settings;
  settings.orgType = salesforce::OrgType::kCustomDomain;
  settings.customDomainUrl = url;
  settings.clientId = "sfsync-sample-client";
  settings.clientSecret = "sample-secret";
  settings.username = "admin@sample.sfsync";
  settings.password = "sample-password";
  settings.securityToken = "SAMPLETOKEN";
  settings.queryBatchSize = batch;

  std::printf("sync_bench: Company Sync, %ld generated Accounts, page size %d, simulator %s\n", n,
              batch, url.c_str());
  int rc = 0;
  for (const char* pass : {"first run (creates)", "second run (updates)"}) {
    auto client = salesforce::makeHttpClient(settings, systemClock());
    jobs::RunContext context{*client, **store, *systemClock(), dir + "/errors", "cli", ""};
    const auto start = std::chrono::steady_clock::now();
    store::ExecutionRecord r = jobs::JobRunner::run(*job, context);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  %-22s %s: read %lld, created %lld, updated %lld, failed %lld in %.2f s = %.0f records/s\n",
                pass, r.status.c_str(), static_cast<long long>(r.recordsRead),
                static_cast<long long>(r.created), static_cast<long long>(r.updated),
                static_cast<long long>(r.failed), secs, r.recordsRead / secs);
    if (r.status != "Success") {
      std::fprintf(stderr, "sync_bench: run failed: %s\n", r.message.c_str());
      rc = 1;
      break;
    }
  }
  std::printf("  peak RSS of the sync process: %.1f MiB\n", peakRssKb() / 1024.0);

  Poco::Process::requestTermination(sim.id());
  sim.wait();
  Poco::File(dir).remove(true);
  return rc;
}
