// sync_bench: end-to-end sync throughput and memory against the Salesforce simulator, each figure
// beside its floor.
//
//   build/bench/sync_bench [--accounts=200000[,1000000...]] [--contacts=200000[,1000000,...]]
//                          [--cp-accounts=20000] [--only=company|person] [--pg-url=URL]
//                          [--cache-mb=24] [--duplicate-emails-every=N]
//
// --pg-url=postgresql://user@host:port/db: the syncs write into that PostgreSQL (a fresh schema
//   per scenario, left in place) instead of a fresh SQLite file; the peak RSS printed is the
//   sync's process only (the server's memory is its own).
//
// --cache-mb=N: the SQLite page cache of the runs (store.cacheMb; default 24). The store floor
//   keeps the default.
//
// --duplicate-emails-every=N: in scenario 2 every Nth Contact has the Email of the one before it
//   (a Person key repeated within a page, as duplicate contacts are in real orgs; default 0).
// Scenario 1 (per --accounts size): Company Sync over N generated Accounts x 10 fields (the issue
//   11 benchmark job, bench::companyJob10), REST paging, 2000-record pages, no latency: a first
//   run (creates) and a second run (updates) into a fresh SQLite file, then two FLOORS: the same
//   query pages drained without parsing or storing, once over a plain socket (the lower bound)
//   and once through Poco's HTTP client (the stack the client reads with), each the fastest of
//   three drains after sync(); prints run/floor. Then the STORE FLOOR (SQLite only,
//   bench/StoreFloor.h): the rows the runs left copied by one INSERT ... SELECT per table into
//   fresh tables with the same indexes, SQLite's own cost of a first run's writes, then one search
//   per row of each target's upsert key; prints first run / store floor, without and with the
//   searches.
// Scenario 2 (per --contacts size): the shipped Company Sync (jobs/company_sync.json) of
//   --cp-accounts Accounts as the lookup target, then the shipped Company Person Sync
//   (jobs/company_person_sync.json: Contact -> Person + Company Person, derived Company ID and a
//   self-lookup Manager) twice: a first run and a second run (updates only). The floors are the
//   Contact query drained the same way, and the store floor of Person and Company Person.
// Every sync runs in a CHILD process (this binary re-executed with --sync-child), so the peak RSS
// printed (VmHWM) is that run's alone; the simulator (sfsync-sim) is a separate process too. Both
// jobs run with "mode": "full" (the second run re-applies every record as updates;
// replication_bench measures incremental runs). No thresholds: not a test, not run by CI.
//
// Examples: the issue 11 figures
//   build/bench/sync_bench --accounts=200000,1000000 --only=company
//   build/bench/sync_bench --contacts=200000,1000000,2000000 --only=person
#include <Poco/File.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "BenchSupport.h"
#include "StoreFloor.h"
#include "sfsync/jobs/JobRunner.h"

namespace {

using namespace sfsync;
using bench::SimProcess;

// The simulator's daily API allowance (its default is 15,000 calls): large enough for two runs
// and seven drains of 5M Contacts in 2000-record pages (2,500 pages each), which the default
// is not.
const char kApiLimit[] = "--api-limit=1000000";

// The jobs a child can run, by name.
config::JobConfig namedJob(const std::string& name) {
  config::JobConfig job = name == "company10" ? bench::companyJob10()
                          : name == "company" ? bench::shippedJob("company_sync.json")
                                              : bench::shippedJob("company_person_sync.json");
  job.mode = config::SourceMode::kFull;
  job.api = config::SourceApi::kRest;
  return job;
}

// The SQLite page cache (store.cacheMb) of the runs: --cache-mb, passed to the children in the
// environment.
const char kCacheMbVariable[] = "SFSYNC_BENCH_CACHE_MB";

// "pg:<schema>|<url>" (--pg-url) or an SQLite file.
Result<store::StorePtr> openBenchStore(const std::string& db) {
  if (db.rfind("pg:", 0) != 0) {
    const char* cacheMb = std::getenv(kCacheMbVariable);
    return store::openSqliteStore(db,
                                  cacheMb != nullptr ? std::atoi(cacheMb) : store::kDefaultCacheMb);
  }
  const auto bar = db.find('|');
  store::PostgresSettings settings;
  settings.schema = db.substr(3, bar - 3);
  settings.url = db.substr(bar + 1);
  settings.statementTimeoutSeconds = 0;
  return store::openPostgresStore(settings);
}

// argv: --sync-child URL DB JOB. Runs the job once, prints one tab-separated RESULT line.
int childMain(const std::string& url, const std::string& db, const std::string& jobName) {
  const config::JobConfig job = namedJob(jobName);
  Result<store::StorePtr> store = openBenchStore(db);
  if (!store.ok()) {
    std::fprintf(stderr, "sync_bench: %s\n", store.status().toString().c_str());
    return 1;
  }
  const salesforce::ConnectionSettings settings = bench::simConnection(url);
  auto client = salesforce::makeHttpClient(settings, systemClock());
  const std::string errors = db.rfind("pg:", 0) == 0 ? bench::freshDir() : db + ".errors";
  jobs::RunContext context{*client, **store, *systemClock(), errors, "cli", ""};
  context.useConnection(settings);
  const auto start = std::chrono::steady_clock::now();
  const store::ExecutionRecord r = jobs::JobRunner::run(job, context);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string message = r.message;
  for (char& c : message) {
    if (c == '\t' || c == '\n') c = ' ';
  }
  std::printf("RESULT\t%s\t%lld\t%lld\t%lld\t%lld\t%.3f\t%ld\t%.3f\t%s\t%lld\n", r.status.c_str(),
              static_cast<long long>(r.recordsRead), static_cast<long long>(r.created),
              static_cast<long long>(r.updated), static_cast<long long>(r.failed), secs,
              bench::peakRssKb(), bench::cpuSeconds(), message.c_str(),
              static_cast<long long>(r.unchanged));
  std::fflush(stdout);
  return 0;
}

struct RunResult {
  bool ran = false;
  std::string status, message;
  long long read = 0, created = 0, updated = 0, failed = 0, unchanged = 0;
  double secs = 0, cpuSecs = 0;
  long rssKb = 0;
};

std::optional<RunResult> parseResult(const std::string& line) {
  if (line.rfind("RESULT\t", 0) != 0) return std::nullopt;
  std::vector<std::string> f;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, '\t');) f.push_back(cell);
  if (f.size() < 9) return std::nullopt;
  RunResult r;
  r.ran = true;
  r.status = f[1];
  r.read = std::atoll(f[2].c_str());
  r.created = std::atoll(f[3].c_str());
  r.updated = std::atoll(f[4].c_str());
  r.failed = std::atoll(f[5].c_str());
  r.secs = std::atof(f[6].c_str());
  r.rssKb = std::atol(f[7].c_str());
  r.cpuSecs = std::atof(f[8].c_str());
  r.message = f.size() > 9 ? f[9] : "";
  r.unchanged = f.size() > 10 ? std::atoll(f[10].c_str()) : 0;
  return r;
}

// Runs `jobName` in a child process and prints one line; false when it did not succeed.
bool timedRun(const char* label, const std::string& jobName, const std::string& url,
              const std::string& db, RunResult* out = nullptr) {
  int code = 0;
  RunResult r;
  for (const std::string& line : bench::runSelf({"--sync-child", url, db, jobName}, code)) {
    if (std::optional<RunResult> parsed = parseResult(line)) r = *parsed;
  }
  if (out) *out = r;
  if (!r.ran) {
    std::printf("  %-36s did not report (exit %d, see stderr)\n", label, code);
    return false;
  }
  std::printf(
      "  %-36s %-15s read %8lld created %8lld updated %8lld (unchanged %8lld) failed %5lld  %7.2f "
      "s  %8.0f records/s  CPU %6.2f s  peak RSS %6.1f MiB\n",
      label, r.status.c_str(), r.read, r.created, r.updated, r.unchanged, r.failed, r.secs,
      r.secs > 0 ? r.read / r.secs : 0.0, r.cpuSecs, r.rssKb / 1024.0);
  if (r.status != "Success" && r.status != "Partial Success") {
    std::fprintf(stderr, "sync_bench: %s failed: %s\n", label, r.message.c_str());
    return false;
  }
  return true;
}

void printFloor(const char* label, const bench::Floor& floor, const RunResult& first,
                const RunResult& second) {
  if (!floor.ok) {
    std::printf("  %-36s failed: %s\n", label, floor.note.c_str());
    return;
  }
  std::printf(
      "  %-36s %ld pages, %.1f MB, %.2f s; first run / floor %.2fx, second run / floor %.2fx\n",
      label, floor.calls, floor.bytes / 1e6, floor.secs,
      floor.secs > 0 ? first.secs / floor.secs : 0.0,
      floor.secs > 0 ? second.secs / floor.secs : 0.0);
}

// The fastest of three drains: a floor is a lower bound, and a drain right after a run can share
// the machine with the kernel writing that run's pages back (sync() waits for most of that).
bench::Floor bestFloor(const std::string& url, const std::string& soql, bench::FloorHttp http) {
  ::sync();
  bench::Floor best = bench::restFloor(url, soql, {}, http);
  for (int i = 0; i < 2; ++i) {
    const bench::Floor again = bench::restFloor(url, soql, {}, http);
    if (again.ok && (!best.ok || again.secs < best.secs)) best = again;
  }
  return best;
}

// Both floors of a run: the pages drained over a plain socket (the lower bound) and through
// Poco's HTTP client (the client's own stack, which reads 4 KiB per receive).
void printFloors(const std::string& url, const std::string& soql, const RunResult& first,
                 const RunResult& second) {
  printFloor("floor (socket drain)", bestFloor(url, soql, bench::FloorHttp::kSocket), first,
             second);
  printFloor("floor (Poco HTTP drain)", bestFloor(url, soql, bench::FloorHttp::kPoco), first,
             second);
}

std::string g_pgUrl;             // --pg-url
long g_duplicateEmailEvery = 0;  // --duplicate-emails-every

// The store floor of a first run of `jobName` (see StoreFloor.h): SQLite only, from the rows the
// runs left in the job's targets, each searched by its upsert key.
void printStoreFloor(const std::string& db, const std::string& jobName, const RunResult& first) {
  if (!g_pgUrl.empty()) return;  // measured for SQLite only
  std::vector<bench::FloorTable> tables;
  for (const config::TargetConfig& target : namedJob(jobName).targets) {
    tables.push_back({target.object, target.upsertKeyTargets()});
  }
  const bench::StoreFloor floor = bench::storeFloor(db, tables);
  const char* label = "store floor (INSERT ... SELECT)";
  if (!floor.ok) {
    std::printf("  %-36s failed: %s\n", label, floor.note.c_str());
    return;
  }
  const double both = floor.secs + floor.searchSecs;
  std::printf(
      "  %-36s %lld rows, %.2f s (+ a key search per row %.2f s); first run / store floor %.2fx "
      "(with the searches %.2fx)\n",
      label, floor.rows, floor.secs, floor.searchSecs,
      floor.secs > 0 ? first.secs / floor.secs : 0.0, both > 0 ? first.secs / both : 0.0);
}

// The store a scenario writes to: a fresh SQLite file in `dir`, or a fresh PostgreSQL schema.
std::string scenarioStore(const std::string& dir) {
  if (g_pgUrl.empty()) return dir + "/bench.db";
  static int n = 0;
  return "pg:bench_" + std::to_string(::getpid()) + "_" + std::to_string(++n) + "|" + g_pgUrl;
}

bool companyScenario(long accounts) {
  std::printf("Company Sync, %ld generated Accounts x 10 fields, REST, 2000-record pages, %s\n",
              accounts, g_pgUrl.empty() ? "SQLite" : "PostgreSQL");
  SimProcess sim(
      {"--no-org", "--port=0", kApiLimit, "--generate-accounts=" + std::to_string(accounts)});
  const std::string dir = bench::freshDir();
  const std::string db = scenarioStore(dir);
  RunResult first, second;
  bool ok = timedRun("Company Sync, first run (creates)", "company10", sim.url(), db, &first);
  ok = ok && timedRun("Company Sync, second run (updates)", "company10", sim.url(), db, &second);
  if (ok) printFloors(sim.url(), bench::firstRunSoql(namedJob("company10")), first, second);
  if (ok) printStoreFloor(db, "company10", first);
  Poco::File(dir).remove(true);
  return ok;
}

bool personScenario(long cpAccounts, long contacts) {
  std::printf(
      "Company Person Sync, %ld Contacts over %ld Accounts (derived Company ID + self-lookup "
      "Manager)%s\n",
      contacts, cpAccounts,
      g_duplicateEmailEvery > 0
          ? (", an Email repeated every " + std::to_string(g_duplicateEmailEvery) + " Contacts")
                .c_str()
          : "");
  SimProcess sim({"--no-org", "--port=0", kApiLimit,
                  "--generate-accounts=" + std::to_string(cpAccounts),
                  "--generate-contacts=" + std::to_string(contacts),
                  "--duplicate-emails-every=" + std::to_string(g_duplicateEmailEvery)});
  const std::string dir = bench::freshDir();
  const std::string db = scenarioStore(dir);
  RunResult first, second;
  bool ok = timedRun("Company Sync (lookup target)", "company", sim.url(), db);
  ok = ok && timedRun("Company Person Sync, first run", "person", sim.url(), db, &first);
  ok = ok && timedRun("Company Person Sync, second run", "person", sim.url(), db, &second);
  if (ok) printFloors(sim.url(), bench::firstRunSoql(namedJob("person")), first, second);
  if (ok) printStoreFloor(db, "person", first);
  Poco::File(dir).remove(true);
  return ok;
}

std::vector<long> sizes(const std::string& list) {
  std::vector<long> out;
  std::istringstream in(list);
  for (std::string s; std::getline(in, s, ',');) out.push_back(std::atol(s.c_str()));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--sync-child") {
    return childMain(argv[2], argv[3], argv[4]);
  }
  std::vector<long> accounts{200000}, contacts{200000};
  long cpAccounts = 20000;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    const std::string key = arg.substr(0, eq),
                      value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (key == "--accounts") {
      accounts = sizes(value);
    } else if (key == "--contacts") {
      contacts = sizes(value);
    } else if (key == "--cp-accounts") {
      cpAccounts = std::atol(value.c_str());
    } else if (key == "--duplicate-emails-every") {
      g_duplicateEmailEvery = std::atol(value.c_str());
      if (g_duplicateEmailEvery < 0) {
        std::fprintf(stderr, "sync_bench: --duplicate-emails-every takes N >= 0\n");
        return 2;
      }
    } else if (key == "--only") {
      only = value;
    } else if (key == "--pg-url") {
      g_pgUrl = value;
    } else if (key == "--cache-mb") {
      if (std::atoi(value.c_str()) < 1 || std::atoi(value.c_str()) > 4096) {
        std::fprintf(stderr, "sync_bench: --cache-mb takes 1..4096 (MiB), not '%s'\n",
                     value.c_str());
        return 2;
      }
      ::setenv(kCacheMbVariable, value.c_str(), 1);
    } else {
      std::fprintf(stderr, "sync_bench: unknown option %s (see the file header)\n", arg.c_str());
      return 2;
    }
  }
  std::printf("sync_bench: %u CPUs; every run in its own child process (peak RSS = its VmHWM)\n",
              std::thread::hardware_concurrency());
  bool ok = true;
  if (only.empty() || only == "company") {
    for (long n : accounts) ok = companyScenario(n) && ok;
  }
  if (only.empty() || only == "person") {
    for (long n : contacts) ok = personScenario(cpAccounts, n) && ok;
  }
  return ok ? 0 : 1;
}
