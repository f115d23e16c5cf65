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

using namespace sfsync;

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

config::JobConfig shippedJob(const std::string& file) {
  std::vector<config::ConfigProblem> problems;
  const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/" + file;
  std::optional<config::JobConfig> job = config::parseJob(path, readFile(path), problems);
  if (!job) {
    std::cerr << "sync_bench: " << problems.front().toString() << std::endl;
    std::exit(1);
  }
  return *job;
}

// A simulator process with generated data; stops it on destruction.
class SimProcess {
 public:
  explicit SimProcess(const Poco::Process::Args& args)
      : handle_(Poco::Process::launch(SFSYNC_SIM_PATH, args, nullptr, &out_, nullptr)) {
    Poco::PipeInputStream stream(out_);
    std::string line;
    std::getline(stream, line);
    const std::string marker = "listening on ";
    const auto at = line.find(marker);
    if (at == std::string::npos) {
      std::cerr << "sync_bench: simulator did not start: " << line << std::endl;
      std::exit(1);
    }
    url_ = line.substr(at + marker.size());
  }
  ~SimProcess() {
    Poco::Process::requestTermination(handle_.id());
    handle_.wait();
  }
  const std::string& url() const { return url_; }

 private:
  Poco::Pipe out_;
  Poco::ProcessHandle handle_;
  std::string url_;
};

salesforce::ConnectionSettings connectionTo(const std::string& url) {
  salesforce::ConnectionSettings settings;
  settings.orgType = salesforce::OrgType::kCustomDomain;
  settings.customDomainUrl = url;
  settings.clientId = "sfsync-sample-client";
  settings.clientSecret = "sample-secret";
  settings.username = "admin@sample.sfsync";
  settings.password = "sample-password";
  settings.securityToken = "SAMPLETOKEN";
  return settings;
}

// Runs `job` once and prints one result line; false when the run did not succeed.
bool timedRun(const char* label, const config::JobConfig& job, const std::string& url,
              store::Store& store, const std::string& dir) {
  auto client = salesforce::makeHttpClient(connectionTo(url), systemClock());
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

std::string freshDir() {
  char dirTemplate[] = "/tmp/sfsync-bench-XXXXXX";
  return mkdtemp(dirTemplate);
}

}  // namespace

int main(int argc, char** argv) {
  const long accounts = argc > 1 ? std::atol(argv[1]) : 200000;
  const long cpAccounts = argc > 2 ? std::atol(argv[2]) : 20000;
  const long cpContacts = argc > 3 ? std::atol(argv[3]) : 200000;
  const config::JobConfig companySync = shippedJob("company_sync.json");
  const config::JobConfig companyPersonSync = shippedJob("company_person_sync.json");
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
