// realtime_bench: issue 18's real-time target - N changes/s for S seconds through Change Data
// Capture: the simulator's org and Pub/Sub server, the Pub/Sub client, RealtimeJob and SQLite, all
// in this process.
//
//   build/bench/realtime_bench [--rate=1000] [--seconds=60] [--batch=100] [--accounts=1000]
//
// A producer thread updates NumberOfEmployees of generated Accounts at --rate per second (paced
// each millisecond), each update one CDC event; the real-time job (Company-like: Id, Name,
// NumberOfEmployees) applies them in micro-batches of at most --batch events. Prints the lag from
// commitTimestamp to the applied row (p50 / p99 over every event), events/s applied, peak RSS and
// CPU seconds of the whole process (simulator included). No thresholds: not a test, not run by CI.
#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "BenchSupport.h"
#include "pubsub_sim/PubSubSim.h"
#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/cdc/PubSubStream.h"
#include "sfsync/jobs/RealtimeJob.h"
#include "sfsync/store/Store.h"

namespace {

using namespace sfsync;

const char kJob[] = R"({"name": "Company RT", "connection": "sample",
  "source": {"object": "Account", "api": "rest"}, "target": {"object": "Company"}, "realtime": true,
  "mappings": [{"source": "Id", "target": "SfdcAccountId", "type": "text", "upsertKey": true},
    {"source": "Name", "target": "Name", "type": "text"},
    {"source": "NumberOfEmployees", "target": "Employees", "type": "integer"}]})";

long argOr(int argc, char** argv, const std::string& name, long fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind(prefix, 0) == 0) return std::stol(a.substr(prefix.size()));
  }
  return fallback;
}

// Updates accounts round-robin at `rate` per second for `seconds`; returns how many it made.
long produce(sim::SimServer& sim, const std::vector<std::string>& ids, long rate, long seconds) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  long made = 0;
  const long total = rate * seconds;
  while (made < total) {
    const auto due = start + std::chrono::microseconds(made * 1000000 / rate);
    std::this_thread::sleep_until(due);
    sim.setField("Account", ids[static_cast<std::size_t>(made) % ids.size()], "NumberOfEmployees",
                 std::to_string(made));
    ++made;
  }
  return made;
}

}  // namespace

int main(int argc, char** argv) {
  const long rate = argOr(argc, argv, "rate", 1000), seconds = argOr(argc, argv, "seconds", 60);
  const long batch = argOr(argc, argv, "batch", 100),
             accounts = argOr(argc, argv, "accounts", 1000);
  sim::SimOptions options;
  options.loadOrg = false;
  sim::SimServer sim(options);
  sim.start();
  std::vector<std::string> ids;
  for (long i = 0; i < accounts; ++i) {
    ids.push_back(sim.insertRecord("Account", "{\"Name\":\"Bench " + std::to_string(i) + "\"}"));
  }
  sim::PubSubSim pubsub(sim, sim::PubSubSimOptions{1000, static_cast<int>(batch), {}});
  pubsub.start();
  const std::string token = sim::test::SimHttpClient(sim.port()).loginToken();
  const std::string dir = bench::freshDir();
  auto store = store::openSqliteStore(dir + "/sfsync.db");
  if (!store.ok()) return std::cerr << store.status().toString() << "\n", 1;
  std::shared_ptr<Clock> clock = systemClock();
  auto client = salesforce::makeHttpClient(bench::simConnection(sim.baseUrl()), clock);
  const config::JobConfig job = bench::parseJobOrExit("realtime.json", kJob);
  cdc::PubSubOptions streamOptions;
  streamOptions.endpoint = pubsub.target();
  streamOptions.insecure = true;
  streamOptions.auth = [&]() -> Result<cdc::PubSubAuth> {
    return cdc::PubSubAuth{token, sim.baseUrl(), sim.orgId()};
  };
  jobs::RealtimeSettings settings;
  settings.batchSize = static_cast<int>(batch);
  settings.lagWindow = static_cast<std::size_t>(rate * seconds);
  jobs::RealtimeJob realtime(
      job, *client, *store.value(), *clock, dir + "/errors",
      [&] { return cdc::openPubSubStream(streamOptions); }, [] { return Status::OK(); },
      [] { return Status::OK(); }, settings);
  std::thread runner([&] { (void)realtime.run(); });  // its result is printed through stats()
  while (realtime.stats().keepalives == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const double cpuBefore = bench::cpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  const long made = produce(sim, ids, rate, seconds);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (realtime.stats().events < made && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const jobs::RealtimeStats stats = realtime.stats();
  realtime.stop();
  runner.join();
  std::cout << "realtime_bench: " << made << " changes at " << rate << "/s for " << seconds
            << " s, micro-batches of at most " << batch << "\n"
            << "  applied events  " << stats.events << " in " << stats.batches << " batches ("
            << static_cast<long>(stats.events / wall) << " events/s over " << wall << " s)\n"
            << "  lag p50 " << stats.lagP50Ms << " ms, p99 " << stats.lagP99Ms
            << " ms (commitTimestamp -> row committed; goal p99 < 1000 ms)\n"
            << "  peak RSS " << bench::peakRssKb() / 1024 << " MB, CPU "
            << bench::cpuSeconds() - cpuBefore << " s (whole process, simulator included)\n"
            << "  errors: " << (stats.lastError.empty() ? "none" : stats.lastError) << "\n";
  return stats.events == made ? 0 : 1;
}
