// sync_bench: end-to-end sync throughput against the Salesforce simulator.
//
//   build/bench/sync_bench [accounts=200000] [cpAccounts=20000] [cpContacts=200000]
//
// Scenario 1: Company Sync over `accounts` generated Accounts (~10 fields each).
// Scenario 2: Company Person Sync (Contact -> Person + Company Person, derived Company ID and a
//             self-lookup Manager) over `cpContacts` Contacts spread over `cpAccounts` Accounts.
// Each scenario starts sfsync-sim as a SEPARATE process (its memory is not counted), runs the
// shipped jobs from jobs/ into a fresh SQLite file twice (first run creates, second updates) and
// prints records/s per run. Peak RSS of this process is printed at the end (and per scenario as the
// running maximum). No thresholds: numbers are for the issue notes and regressions spotted by eye.
#include <Poco/File.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "BenchSupport.h"
#include "sfsync/jobs/JobRunner.h"

namespace {

using namespace sfsync;
using bench::freshDir;
using bench::peakRssKb;
using bench::shippedJob;
using bench::SimProcess;

// Runs `job` once and prints one result line; false when the run did not succeed.
bool timedRun(const char* label, const config::JobConfig& job, const std::string& url,
              store::Store& store, const std::string& dir) {
  auto client = salesforce::makeHttpClient(bench::simConnection(url), systemClock());
  jobs::RunContext context{*client, store, *systemClock(), dir + "/errors", "cli", ""};
  const auto start = std::chrono::steady_clock::now();
  store::ExecutionRecord r = jobs::JobRunner::run(job, context);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "  %-34s %-15s read %7lld created %7lld updated %7lld failed %5lld  %6.2f s  %8.0f "
      "records/s  peak RSS %.1f MiB\n",
      label, r.status.c_str(), static_cast<long long>(r.recordsRead),
      static_cast<long long>(r.created), static_cast<long long>(r.updated),
      static_cast<long long>(r.failed), secs, r.recordsRead / secs, peakRssKb() / 1024.0);
  if (r.status != "Success" && r.status != "Partial Success") {
    std::fprintf(stderr, "sync_bench: %s failed: %s\n", job.name.c_str(), r.message.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const long accounts = argc > 1 ? std::atol(argv[1]) : 200000;
  const long cpAccounts = argc > 2 ? std::atol(argv[2]) : 20000;
  const long cpContacts = argc > 3 ? std::atol(argv[3]) : 200000;
  // Full reads: the second run measures re-applying every record (updates), as before incremental
  // replication existed; replication_bench measures incremental runs.
  config::JobConfig companySync = shippedJob("company_sync.json");
  config::JobConfig companyPersonSync = shippedJob("company_person_sync.json");
  companySync.mode = companyPersonSync.mode = config::SourceMode::kFull;
  bool ok = true;

  {
    std::printf("Scenario 1: Company Sync, %ld generated Accounts, 2000-record pages\n", accounts);
    SimProcess sim({"--no-org", "--port=0", "--generate-accounts=" + std::to_string(accounts)});
    const std::string dir = freshDir();
    auto store = store::openSqliteStore(dir + "/bench.db");
    ok = ok && timedRun("Company Sync, first run (creates)", companySync, sim.url(), **store, dir);
    ok = ok && timedRun("Company Sync, second run (updates)", companySync, sim.url(), **store, dir);
    Poco::File(dir).remove(true);
  }
  {
    std::printf(
        "Scenario 2: Company Person Sync, %ld Contacts over %ld Accounts "
        "(derived Company ID + self-lookup Manager)\n",
        cpContacts, cpAccounts);
    SimProcess sim({"--no-org", "--port=0", "--generate-accounts=" + std::to_string(cpAccounts),
                    "--generate-contacts=" + std::to_string(cpContacts)});
    const std::string dir = freshDir();
    auto store = store::openSqliteStore(dir + "/bench.db");
    ok = ok && timedRun("Company Sync (lookup target)", companySync, sim.url(), **store, dir);
    ok = ok &&
         timedRun("Company Person Sync, first run", companyPersonSync, sim.url(), **store, dir);
    ok = ok &&
         timedRun("Company Person Sync, second run", companyPersonSync, sim.url(), **store, dir);
    Poco::File(dir).remove(true);
  }
  std::printf("peak RSS of the sync process: %.1f MiB\n", peakRssKb() / 1024.0);
  return ok ? 0 : 1;
}
