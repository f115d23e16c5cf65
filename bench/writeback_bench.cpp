// writeback_bench: what sending local changes to Salesforce costs (issue 13).
//
//   build/bench/writeback_bench [changes=10000] [latencyMs=20]
//
// An in-process simulator answers every call after `latencyMs`. `changes` generated Accounts are
// synced into a fresh SQLite file by a job with a twoWay Phone mapping (source.overlap 0s); then
// "another program" changes Phone on every row with one plain SQL UPDATE on its own connection
// (the triggers put `changes` entries into the outbox), and the job runs again: its inbound phase
// finds nothing new, its outbound phase reads the records' current values (SOQL, 200 Ids a query)
// and sends the changes through sObject Collections (200 records a call). Printed: seconds, the
// sObject Collections calls and all Salesforce calls of that run, records sent / succeeded, and
// beside it the floor: the same records sent by the client's Outbound alone (200 a call, no
// store, no outbox, no reads). No thresholds.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"

namespace {

using namespace sfsync;
using Seconds = std::chrono::duration<double>;

const char* kJob = R"({
  "name": "Accounts Back", "connection": "sample",
  "source": {"object": "Account", "overlap": "0s"},
  "target": {"object": "Company"},
  "mappings": [
    {"source": "Id", "target": "SfId", "upsertKey": true},
    {"source": "Name", "target": "Name"},
    {"source": "Phone", "target": "Phone", "direction": "twoWay"}
  ]
})";

void exec(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  if (sqlite3_open(db.c_str(), &h) != SQLITE_OK ||
      sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "writeback_bench: %s\n", sqlite3_errmsg(h));
    std::exit(1);
  }
  sqlite3_close(h);
}

// The floor: the same records, 200 a call, through the client's Outbound only.
double floorSeconds(sim::SimServer& sim, const std::shared_ptr<Clock>& clock, store::Store& store,
                    std::int64_t& calls) {
  auto rows = store.select("Company", {"SfId"});
  auto client = salesforce::makeHttpClient(testing::simConnection(sim), clock);
  if (!rows.ok() || !client->authenticate().ok()) std::exit(1);
  const std::int64_t before = sim.collectionCalls();
  const auto start = std::chrono::steady_clock::now();
  std::vector<salesforce::OutboundRecord> batch;
  auto flush = [&] {
    auto r = client->outbound()->write(salesforce::WriteOperation::kUpdate, "Account", "", batch);
    if (!r.ok()) std::exit(1);
    batch.clear();
  };
  for (const store::Row& row : *rows) {
    batch.push_back({valueToText(row[0]), {{"Phone", Value{std::string("floor")}}}});
    if (batch.size() == salesforce::kMaxRecordsPerCall) flush();
  }
  if (!batch.empty()) flush();
  calls = sim.collectionCalls() - before;
  return Seconds(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const long changes = argc > 1 ? std::atol(argv[1]) : 10000;
  const int latencyMs = argc > 2 ? std::atoi(argv[2]) : 20;
  sim::SimServer sim;
  sim.start();
  sim.clearObject("Account");
  sim.generateAccounts(static_cast<std::size_t>(changes));
  testing::TempDir dir;
  const std::string db = dir.file("bench.db");
  auto store = store::openSqliteStore(db);
  std::vector<config::ConfigProblem> problems;
  auto job = config::parseJob("jobs/bench.json", kJob, problems);
  if (!store.ok() || !job) return 1;
  auto clock = std::make_shared<testing::FakeClock>();
  auto runOnce = [&] {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim), clock);
    jobs::RunContext context{*client, **store, *clock, dir.file("errors")};
    return jobs::JobRunner::run(*job, context);
  };
  const store::ExecutionRecord first = runOnce();
  std::printf("first (inbound) run: %s, %lld records\n", first.status.c_str(),
              static_cast<long long>(first.recordsRead));

  exec(db, "UPDATE Company SET Phone = 'local ' || gsid");
  sim.setLatencyMs(latencyMs);
  const std::int64_t collectionsBefore = sim.collectionCalls();
  const auto start = std::chrono::steady_clock::now();
  const store::ExecutionRecord r = runOnce();
  const double seconds = Seconds(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "write-back run: %s, %.2f s, %lld sObject Collections calls, %lld Salesforce calls, sent "
      "%lld, succeeded %lld, failed %lld, conflicts %lld (latency %d ms; inbound re-read %lld)\n",
      r.status.c_str(), seconds, static_cast<long long>(sim.collectionCalls() - collectionsBefore),
      static_cast<long long>(r.apiCalls), static_cast<long long>(r.outboundSent),
      static_cast<long long>(r.outboundSucceeded), static_cast<long long>(r.outboundFailed),
      static_cast<long long>(r.conflicts), latencyMs, static_cast<long long>(r.recordsRead));
  std::int64_t floorCalls = 0;
  const double floor = floorSeconds(sim, clock, **store, floorCalls);
  std::printf("floor (Outbound alone): %.2f s, %lld calls; run / floor %.2fx\n", floor,
              static_cast<long long>(floorCalls), floor > 0 ? seconds / floor : 0.0);
  return r.outboundSucceeded == changes ? 0 : 1;
}
