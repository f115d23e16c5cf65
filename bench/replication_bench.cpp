// replication_bench: issue 10's replication scenarios against the Salesforce simulator with a
// per-call latency.
//
//   build/bench/replication_bench [accounts=1000000] [--latency-ms=100] [--updates=1000]
//                                 [--deletes=100]
//                                 [--scenarios=rest,bulk,incremental[,rest-noprefetch]]
//                                 [--first-runs-on-delete=delete|ignore] [--bulk-max-records=N]
//                                 [--max-response-mb=N]
//
// The simulator (SimServer, `accounts` generated Accounts, every answer delayed --latency-ms) runs
// in this process. Each sync runs in a CHILD process (this binary re-executed with --sync-child),
// so the peak RSS printed is the sync's own, not the simulator's. The job is Company-Sync-like with
// 10 mapped fields and "onSourceDelete": "delete" (the first runs: --first-runs-on-delete; a full
// run with a delete policy also compares the org's Id set with the target). Bulk result sets hold
// --bulk-max-records rows (default: the connection default); --max-response-mb raises the sync's
// maxResponseBytes (the cap per result set; default 64) for sets that do not fit. Scenarios:
//   rest         first run, "source.api": "rest", into a fresh SQLite file
//   rest-noprefetch  the same without the one-slot prefetch (RunContext::prefetchPages; not run
//                unless named)
//   bulk         first run, "source.api": "bulk", into another fresh SQLite file
//   incremental  after --updates renamed and --deletes deleted Accounts, a run on the bulk store
//                (the rest store when bulk is not selected) with "source.api": "auto"
// Per scenario: wall seconds, records/s, API calls (the simulator's counter of authenticated data
// calls), peak RSS (VmHWM of the child), and a floor: the same pages drained over HTTP without
// parsing or storing.
// Prints the issue 10 targets beside the results. No thresholds: not a test, not run by CI.
#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "BenchSupport.h"
#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/jobs/JobRunner.h"

namespace {

using namespace sfsync;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---------------------------------------------------------------- the sync (child process)

config::JobConfig benchJob(const std::string& api, const std::string& onDelete) {
  config::JobConfig job = bench::companyJob10();
  job.api = api == "rest"   ? config::SourceApi::kRest
            : api == "bulk" ? config::SourceApi::kBulk
                            : config::SourceApi::kAuto;
  job.onSourceDelete =
      onDelete == "delete" ? config::DeletePolicy::kDelete : config::DeletePolicy::kIgnore;
  return job;
}

// argv: --sync-child URL DB API ONDELETE BULKMAXRECORDS PREFETCH(1|0) MAXRESPONSEMB. Prints one
// tab-separated RESULT line.
int childMain(const std::string& url, const std::string& db, const std::string& api,
              const std::string& onDelete, long bulkMaxRecords, bool prefetch, long maxResponseMb) {
  const config::JobConfig job = benchJob(api, onDelete);
  Result<store::StorePtr> store = store::openSqliteStore(db);
  if (!store.ok()) {
    std::cerr << "replication_bench: " << store.status().toString() << std::endl;
    return 1;
  }
  salesforce::ConnectionSettings settings = bench::simConnection(url);
  if (bulkMaxRecords > 0) settings.bulkMaxRecords = bulkMaxRecords;
  if (maxResponseMb > 0) settings.maxResponseBytes = static_cast<std::int64_t>(maxResponseMb) << 20;
  auto client = salesforce::makeHttpClient(settings, systemClock());
  jobs::RunContext context{*client, **store, *systemClock(), db + ".errors", "cli", ""};
  context.useConnection(settings);
  context.prefetchPages = prefetch;
  const auto start = Clock::now();
  const store::ExecutionRecord r = jobs::JobRunner::run(job, context);
  const double secs = secondsSince(start);
  Result<std::int64_t> rows = (*store)->count(job.targets.front().object);
  std::string message = r.message;
  for (char& c : message) {
    if (c == '\t' || c == '\n') c = ' ';
  }
  std::printf("RESULT\t%s\t%lld\t%lld\t%lld\t%lld\t%lld\t%s\t%s\t%.3f\t%ld\t%lld\t%.3f\t%s\n",
              r.status.c_str(), static_cast<long long>(r.recordsRead),
              static_cast<long long>(r.created), static_cast<long long>(r.updated),
              static_cast<long long>(r.deleted), static_cast<long long>(r.apiCalls), r.mode.c_str(),
              r.api.c_str(), secs, bench::peakRssKb(),
              static_cast<long long>(rows.ok() ? *rows : -1), bench::cpuSeconds(), message.c_str());
  std::fflush(stdout);
  return 0;
}

// ---------------------------------------------------------------- the parent

struct SyncResult {
  bool ran = false;
  std::string status, mode, api, message;
  long long read = 0, created = 0, updated = 0, deleted = 0, clientCalls = 0, rows = 0;
  double secs = 0;
  double cpuSecs = 0;  // the sync process's user + system CPU
  long rssKb = 0;
  long long simCalls = 0;       // the simulator's authenticated data calls during the run
  long long simQueryPages = 0;  // of which query / queryAll / nextRecordsUrl pages (COUNT included)
};

std::optional<SyncResult> parseResult(const std::string& line) {
  if (line.rfind("RESULT\t", 0) != 0) return std::nullopt;
  std::vector<std::string> f;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, '\t');) f.push_back(cell);
  if (f.size() < 13) return std::nullopt;
  SyncResult r;
  r.ran = true;
  r.status = f[1];
  r.read = std::atoll(f[2].c_str());
  r.created = std::atoll(f[3].c_str());
  r.updated = std::atoll(f[4].c_str());
  r.deleted = std::atoll(f[5].c_str());
  r.clientCalls = std::atoll(f[6].c_str());
  r.mode = f[7];
  r.api = f[8];
  r.secs = std::atof(f[9].c_str());
  r.rssKb = std::atol(f[10].c_str());
  r.rows = std::atoll(f[11].c_str());
  r.cpuSecs = std::atof(f[12].c_str());
  r.message = f.size() > 13 ? f[13] : "";
  return r;
}

// Runs one sync in a child process and returns what it printed, with the simulator's call count.
struct Options {
  long accounts = 1000000;
  int latencyMs = 100;
  int updates = 1000;
  int deletes = 100;
  std::set<std::string> scenarios{"rest", "bulk", "incremental"};
  std::string firstRunsOnDelete = "delete";
  long bulkMaxRecords = 0;  // 0: the connection default
  long maxResponseMb = 0;   // 0: the connection default
};

SyncResult runSync(sim::SimServer& sim, const std::string& db, const std::string& api,
                   const std::string& onDelete, const Options& o, bool prefetch = true) {
  const std::int64_t before = sim.apiUsage();
  const std::int64_t pagesBefore = sim.queryRequests();
  Poco::Pipe out;
  Poco::ProcessHandle child = Poco::Process::launch(
      bench::selfPath(),
      {"--sync-child", sim.baseUrl(), db, api, onDelete, std::to_string(o.bulkMaxRecords),
       prefetch ? "1" : "0", std::to_string(o.maxResponseMb)},
      nullptr, &out, nullptr);
  Poco::PipeInputStream stream(out);
  SyncResult result;
  for (std::string line; std::getline(stream, line);) {
    if (std::optional<SyncResult> parsed = parseResult(line)) result = *parsed;
  }
  const int code = child.wait();
  result.simCalls = sim.apiUsage() - before;
  result.simQueryPages = sim.queryRequests() - pagesBefore;
  if (!result.ran) std::fprintf(stderr, "replication_bench: sync child exited %d\n", code);
  return result;
}

// ---------------------------------------------------------------- mutations

// The first `n` Account Ids in Id order (one REST call; outside every measurement).
std::vector<std::string> accountIds(sim::SimServer& sim, int n) {
  sim::test::SimHttpClient http(sim.port());
  const std::string token = http.loginToken();
  const sim::test::HttpReply reply =
      http.get(sim::test::SimHttpClient::queryPath("SELECT Id FROM Account ORDER BY Id LIMIT " +
                                                   std::to_string(n)),
               token);
  std::vector<std::string> ids;
  Poco::JSON::Array::Ptr records = reply.object()->getArray("records");
  for (std::size_t i = 0; records && i < records->size(); ++i) {
    ids.push_back(records->getObject(static_cast<unsigned>(i))->getValue<std::string>("Id"));
  }
  return ids;
}

void mutate(sim::SimServer& sim, int updates, int deletes) {
  // The generated SystemModstamps are in 2025, long before the simulator's "now", so the run's
  // delete window would start before sobjects/Account/deleted's earliestDateAvailable (now - 15
  // days) and force a full Id comparison. A job that runs daily stays inside those 15 days: move
  // the horizon before the generated data to measure that case.
  sim.setEarliestDateAvailable("2024-01-01T00:00:00Z");
  const std::vector<std::string> ids = accountIds(sim, updates + deletes);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (static_cast<int>(i) < updates) {
      sim.setField("Account", ids[i], "Name", "\"Renamed Account " + std::to_string(i) + "\"");
    } else {
      sim.deleteRecord("Account", ids[i]);
    }
  }
}

// ---------------------------------------------------------------- reporting

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

void printHeader() {
  std::printf("  %-26s %-16s %8s %9s %7s %9s %8s %9s | %8s %6s\n", "scenario", "status", "wall s",
              "records/s", "calls", "peak MiB", "rows", "mode/api", "floor s", "calls");
}

void printRow(const char* label, const SyncResult& r, const bench::Floor* floor) {
  if (!r.ran) {
    std::printf("  %-26s did not report (see stderr)\n", label);
    return;
  }
  const std::string modeApi = r.mode + "/" + r.api;
  std::printf("  %-26s %-16s %8.2f %9.0f %7lld %9.1f %8lld %9s", label, r.status.c_str(), r.secs,
              r.secs > 0 ? r.read / r.secs : 0.0, r.simCalls, r.rssKb / 1024.0, r.rows,
              modeApi.c_str());
  if (floor && floor->ok) {
    std::printf(" | %8.2f %6ld\n", floor->secs, floor->calls);
  } else {
    std::printf(" | %8s %6s  %s\n", "-", "-", floor ? floor->note.c_str() : "");
  }
  std::printf(
      "  %-26s read %lld created %lld updated %lld deleted %lld, sync CPU %.2f s (client calls "
      "%lld, query pages %lld)%s%s\n",
      "", r.read, r.created, r.updated, r.deleted, r.cpuSecs, r.clientCalls, r.simQueryPages,
      r.message.empty() ? "" : ": ", r.message.substr(0, 300).c_str());
}

void printTarget(const char* what, bool measured, bool met, const std::string& detail) {
  std::printf("  %-58s %-9s %s\n", what,
              !measured ? "n/a"
              : met     ? "met"
                        : "NOT MET",
              detail.c_str());
}

void printTargets(const std::optional<SyncResult>& rest, const std::optional<SyncResult>& bulk,
                  const std::optional<SyncResult>& incremental) {
  std::printf("Issue 10 targets:\n");
  char detail[160];
  const bool both = rest && bulk && rest->ran && bulk->ran && bulk->secs > 0;
  std::snprintf(detail, sizeof detail, "%.1fx", both ? rest->secs / bulk->secs : 0.0);
  printTarget("Bulk first run >= 10x faster than REST", both, both && rest->secs >= 10 * bulk->secs,
              detail);
  std::snprintf(detail, sizeof detail, "%lld vs %lld calls", both ? bulk->simCalls : 0,
                both ? rest->simCalls : 0);
  printTarget("Bulk API calls <= 1/20 of REST's", both,
              both && bulk->simCalls * 20 <= rest->simCalls, detail);
  const bool inc = incremental && incremental->ran;
  std::snprintf(detail, sizeof detail, "%lld calls, %.2f s", inc ? incremental->simCalls : 0,
                inc ? incremental->secs : 0.0);
  printTarget("incremental <= 5 API calls and < 3 s", inc,
              inc && incremental->simCalls <= 5 && incremental->secs < 3.0, detail);
  long peak = 0;
  for (const auto* r : {&rest, &bulk, &incremental}) {
    if (*r && (*r)->ran) peak = std::max(peak, (*r)->rssKb);
  }
  std::snprintf(detail, sizeof detail, "max %.1f MiB", peak / 1024.0);
  printTarget("peak RSS < 100 MB in every run", peak > 0, peak > 0 && peak < 100 * 1000, detail);
}

// ---------------------------------------------------------------- main

Options parseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> std::optional<std::string> {
      const std::string prefix = std::string("--") + name + "=";
      if (arg.rfind(prefix, 0) != 0) return std::nullopt;
      return arg.substr(prefix.size());
    };
    if (auto v = value("latency-ms")) {
      o.latencyMs = std::atoi(v->c_str());
    } else if (auto v = value("updates")) {
      o.updates = std::atoi(v->c_str());
    } else if (auto v = value("deletes")) {
      o.deletes = std::atoi(v->c_str());
    } else if (auto v = value("first-runs-on-delete")) {
      o.firstRunsOnDelete = *v;
    } else if (auto v = value("bulk-max-records")) {
      o.bulkMaxRecords = std::atol(v->c_str());
    } else if (auto v = value("max-response-mb")) {
      o.maxResponseMb = std::atol(v->c_str());
    } else if (auto v = value("scenarios")) {
      o.scenarios.clear();
      std::istringstream in(*v);
      for (std::string s; std::getline(in, s, ',');) o.scenarios.insert(s);
    } else if (!arg.empty() && arg[0] != '-') {
      o.accounts = std::atol(arg.c_str());
    } else {
      std::fprintf(stderr, "replication_bench: unknown option %s\n", arg.c_str());
      std::exit(2);
    }
  }
  return o;
}

int parentMain(const Options& o) {
  std::printf("replication_bench: %ld Accounts x 10 fields, %d ms per call, %u CPUs (%s)\n",
              o.accounts, o.latencyMs, std::thread::hardware_concurrency(), cpuModel().c_str());
  sim::SimOptions simOptions;
  simOptions.loadOrg = false;
  sim::SimServer sim(simOptions);
  sim.generateAccounts(static_cast<std::size_t>(o.accounts));
  sim.start();
  sim.setLatencyMs(o.latencyMs);
  const std::string dir = bench::freshDir();
  const std::string soql = bench::firstRunSoql(benchJob("rest", "delete"));
  std::optional<SyncResult> rest, bulk, incremental;
  printHeader();
  if (o.scenarios.count("rest")) {
    rest = runSync(sim, dir + "/rest.db", "rest", o.firstRunsOnDelete, o);
    ::sync();  // the run's pages written back first, not during the floor
    const bench::Floor floor = bench::restFloor(sim.baseUrl(), soql);
    printRow("first run, REST paging", *rest, &floor);
  }
  if (o.scenarios.count("rest-noprefetch")) {
    const SyncResult r =
        runSync(sim, dir + "/rest-noprefetch.db", "rest", o.firstRunsOnDelete, o, false);
    printRow("first run, REST, no prefetch", r, nullptr);
  }
  if (o.scenarios.count("bulk")) {
    bulk = runSync(sim, dir + "/bulk.db", "bulk", o.firstRunsOnDelete, o);
    ::sync();
    const bench::Floor floor = bench::bulkFloor(
        sim.baseUrl(), bench::firstRunSoql(benchJob("bulk", "delete"), false),
        o.bulkMaxRecords > 0 ? o.bulkMaxRecords : salesforce::ConnectionSettings{}.bulkMaxRecords);
    printRow("first run, Bulk API 2.0", *bulk, &floor);
  }
  if (o.scenarios.count("incremental") && (rest || bulk)) {
    mutate(sim, o.updates, o.deletes);
    incremental = runSync(sim, dir + (bulk ? "/bulk.db" : "/rest.db"), "auto", "delete", o);
    char label[64];
    std::snprintf(label, sizeof label, "incremental (+%du -%dd)", o.updates, o.deletes);
    printRow(label, *incremental, nullptr);
  }
  printTargets(rest, bulk, incremental);
  Poco::File(dir).remove(true);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 9 && std::string(argv[1]) == "--sync-child") {
    return childMain(argv[2], argv[3], argv[4], argv[5], std::atol(argv[6]),
                     std::string(argv[7]) == "1", std::atol(argv[8]));
  }
  return parentMain(parseOptions(argc, argv));
}
