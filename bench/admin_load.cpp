// admin_load: /health latency and success rate while a crowd of keep-alive clients loads the
// admin server.
//
//   build/bench/admin_load [--clients=200] [--seconds=20] [--port=N --token=T]
//
// Without --port an in-process AdminServer (default limits, an empty SQLite store, a control
// with no entries) is started on 127.0.0.1:0. With --port the load goes to a running daemon on
// 127.0.0.1:N (--token: an admin token, so the crowd asks GET /api/jobs; without one it asks
// GET /health too). Each crowd client holds one keep-alive connection and sends requests back to
// back for --seconds; a prober opens a NEW connection every 50 ms for GET /health (10 s timeout,
// like a load balancer) and records its latency. Prints crowd throughput, probe success rate and
// latency percentiles. No thresholds; the success rate must be 100%.
#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sfsync/admin/AdminServer.h"
#include "sfsync/store/Store.h"

namespace {

using namespace sfsync;
using Clock = std::chrono::steady_clock;

// An AdminControl with nothing configured: the bench measures the server, not the scheduler.
class EmptyControl final : public admin::AdminControl {
 public:
  std::vector<admin::EntrySummary> connections() override { return {}; }
  std::vector<admin::EntrySummary> jobs() override { return {}; }
  std::vector<admin::EntrySummary> chains() override { return {}; }
  Result<std::string> runNow(const std::string&, const std::string& name,
                             const std::string&) override {
    return Status::NotFound(name);
  }
  Result<std::string> pause(const std::string&, const std::string& name,
                            const std::string&) override {
    return Status::NotFound(name);
  }
  Result<std::string> resume(const std::string&, const std::string& name,
                             const std::string&) override {
    return Status::NotFound(name);
  }
  Result<std::string> disconnect(const std::string& name, const std::string&) override {
    return Status::NotFound(name);
  }
  Result<std::string> reconnect(const std::string& name, const std::string&) override {
    return Status::NotFound(name);
  }
  Result<std::string> fullResync(const std::string& job, const std::string&) override {
    return Status::NotFound(job);
  }
  Result<std::string> allowMassDelete(const std::string& job, const std::string&) override {
    return Status::NotFound(job);
  }
  Result<std::string> refreshMetadata(const std::string& connection, const std::string&) override {
    return Status::NotFound(connection);
  }
};

struct Options {
  int clients = 200;
  int seconds = 20;
  int port = 0;
  std::string token;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      const std::string prefix = std::string("--") + name + "=";
      return arg.rfind(prefix, 0) == 0 ? argv[i] + prefix.size() : nullptr;
    };
    if (const char* v = value("clients")) o.clients = std::max(1, std::atoi(v));
    if (const char* v = value("seconds")) o.seconds = std::max(1, std::atoi(v));
    if (const char* v = value("port")) o.port = std::atoi(v);
    if (const char* v = value("token")) o.token = v;
  }
  return o;
}

// One keep-alive client: requests back to back until `stop`.
void crowdClient(int port, const std::string& token, const std::atomic<bool>& stop,
                 std::atomic<long>& served, std::atomic<long>& errors) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setKeepAlive(true);
  session.setTimeout(Poco::Timespan(30, 0));
  while (!stop) {
    try {
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                     token.empty() ? "/health" : "/api/jobs",
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setKeepAlive(true);
      if (!token.empty()) request.set("Authorization", "Bearer " + token);
      session.sendRequest(request);
      Poco::Net::HTTPResponse response;
      std::string body;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
      ++served;
    } catch (const Poco::Exception&) {
      ++errors;  // e.g. reset by the server: the next request reconnects
      session.reset();
    }
  }
}

// GET /health on a new connection; latency in ms, or a negative value on failure.
double probeHealth(int port) {
  const Clock::time_point start = Clock::now();
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/health",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) return -1;
  } catch (const Poco::Exception&) {
    return -1;
  }
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

int run(const Options& o, int port) {
  std::atomic<bool> stop{false};
  std::atomic<long> served{0};
  std::atomic<long> errors{0};
  std::vector<std::thread> crowd;
  for (int i = 0; i < o.clients; ++i) {
    crowd.emplace_back(crowdClient, port, o.token, std::cref(stop), std::ref(served),
                       std::ref(errors));
  }
  std::vector<double> latencies;
  int failures = 0;
  const Clock::time_point end = Clock::now() + std::chrono::seconds(o.seconds);
  while (Clock::now() < end) {
    const double ms = probeHealth(port);
    if (ms < 0) {
      ++failures;
    } else {
      latencies.push_back(ms);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // probe pacing
  }
  stop = true;
  for (auto& t : crowd) t.join();
  std::sort(latencies.begin(), latencies.end());
  const auto probes = static_cast<int>(latencies.size()) + failures;
  std::printf("admin_load: %d keep-alive clients for %d s against 127.0.0.1:%d (%s)\n", o.clients,
              o.seconds, port, o.token.empty() ? "GET /health" : "GET /api/jobs");
  std::printf("  crowd: %ld requests (%.0f/s), %ld failed\n", served.load(),
              static_cast<double>(served.load()) / o.seconds, errors.load());
  std::printf("  /health probes: %d, ok %zu, failed %d, success %.2f%%\n", probes, latencies.size(),
              failures, probes == 0 ? 0.0 : 100.0 * static_cast<double>(latencies.size()) / probes);
  std::printf("  /health latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
              percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
              latencies.empty() ? 0.0 : latencies.back());
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  if (o.port != 0) return run(o, o.port);

  const std::string dir = Poco::TemporaryFile::tempName();
  Poco::File(dir).createDirectories();
  int code = 1;
  {
    Result<store::StorePtr> store = store::openSqliteStore(dir + "/bench.db");
    if (!store.ok()) {
      std::cerr << "admin_load: " << store.status().toString() << std::endl;
      return 1;
    }
    EmptyControl control;
    admin::AdminOptions options;  // the daemon's defaults
    options.host = "127.0.0.1";
    options.port = 0;
    o.token = "bench-token";
    options.tokens.push_back({"bench", admin::hashAdminToken(o.token)});
    admin::AdminServer server(options, **store, control,
                              [] { return std::string("{\"status\":\"ok\"}"); });
    const Status started = server.start();
    if (!started.ok()) {
      std::cerr << "admin_load: " << started.toString() << std::endl;
      return 1;
    }
    code = run(o, server.port());
    server.stop();
  }
  Poco::File(dir).remove(true);
  return code;
}
