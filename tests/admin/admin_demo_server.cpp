// admin_demo_server: a daemon-like admin server for the browser test (tests/browser) and for trying
// the page by hand. Starts a real AdminServer over a temporary SQLite store seeded with
// SeededActivity and a FakeAdminControl, prints ONE line of JSON to stdout -
//   {"url": "...", "token": "...", "errorFile": {"executionId", "path"}, "successFile": {...},
//    "deferred": {"executionId"}, "executions": N, "failed": N}
// - and serves until stdin reaches end-of-file (the driving process exits or closes the pipe).
//
// Usage: admin_demo_server [--port N] [--token TOKEN] [--simulate-runs 1] [--editor 1]
//   [--oauth-demo OOB_TEMPLATES_DIR] [--viewer-token T] [--operator-token T] [--realtime-demo 1]
//   (issue 18: --realtime-demo 1 reports two real-time jobs whose numbers change live, see
//   DemoRealtime)
//   (issue 17: --oauth-demo adds connection "Web" authorised through an in-process simulator, see
//   DemoOAuthControl; the token options add tokens named "viewer" / "operator" with those roles)
//   (defaults: port 0 = any, a random token; --simulate-runs 1: "Run now" on a job simulates a slow
//   run with live events, see DemoLiveControl; event streams end after 10 s, so the page
//   reconnects; --editor 1: the real daemon runtime and job / chain editor over a temporary
//   configuration and the Salesforce simulator, see EditorDemo; prints {"url","token"} only)
#include <iostream>
#include <optional>
#include <string>

#include "admin/DemoLiveControl.h"
#include "admin/DemoOAuthControl.h"
#include "admin/DemoRealtime.h"
#include "admin/EditorDemo.h"
#include "admin/FakeAdminControl.h"
#include "admin/SeededActivity.h"
#include "admin/TriageDemo.h"
#include "fakes/TempDir.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/core/Ids.h"

namespace {

// Minimal JSON string quoting for paths and tokens (test data: no control characters).
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// --editor 1 (issue 17): the real runtime and editor (EditorDemo) behind the server.
int serveEditorDemo(int port, const std::string& token) {
  using namespace sfsync;
  admin::testing::EditorDemo demo;
  const Status ready = demo.start();
  if (!ready.ok()) {
    std::cerr << "admin_demo_server: " << ready.toString() << '\n';
    return 1;
  }
  admin::AdminOptions options;
  options.host = "127.0.0.1";
  options.port = static_cast<std::uint16_t>(port);
  options.tokens = {{"demo", admin::hashAdminToken(token)}};
  admin::AdminServer server(options, demo.store(), demo.runtime(),
                            [] { return std::string("{\"status\":\"ok\"}"); });
  server.setEventBus(demo.runtime().events());
  server.setConfigEditor(demo.editor());
  const Status started = server.start();
  if (!started.ok()) {
    std::cerr << "admin_demo_server: " << started.toString() << '\n';
    return 1;
  }
  std::cout << "{\"url\":" << quoted(server.url()) << ",\"token\":" << quoted(token)
            << ",\"jobsDir\":" << quoted(demo.jobsDir()) << "}" << std::endl;
  std::string ignored;
  while (std::getline(std::cin, ignored)) {
  }
  server.stop();
  demo.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sfsync;
  int port = 0;
  std::string token = "demo-" + newUuid();
  bool simulateRuns = false;
  bool realtimeDemo = false;
  bool editor = false;
  std::string oauthDemo;    // issue 17: conf/oob; connection "Web" authorised through a simulator
  std::string viewerToken;  // issue 17: an extra token "viewer" with role viewer
  std::string operatorToken;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--port") {
      port = std::stoi(argv[i + 1]);
    } else if (flag == "--token") {
      token = argv[i + 1];
    } else if (flag == "--simulate-runs") {
      simulateRuns = std::string(argv[i + 1]) == "1";
    } else if (flag == "--realtime-demo") {
      realtimeDemo = std::string(argv[i + 1]) == "1";
    } else if (flag == "--editor") {
      editor = std::string(argv[i + 1]) == "1";
    } else if (flag == "--oauth-demo") {
      oauthDemo = argv[i + 1];
    } else if (flag == "--viewer-token") {
      viewerToken = argv[i + 1];
    } else if (flag == "--operator-token") {
      operatorToken = argv[i + 1];
    } else {
      std::cerr
          << "usage: admin_demo_server [--port N] [--token TOKEN] [--simulate-runs 1] [--editor 1] "
             "[--oauth-demo OOB_TEMPLATES_DIR] [--viewer-token T] [--operator-token T] "
             "[--realtime-demo 1]\n";
      return 2;
    }
  }

  if (editor) return serveEditorDemo(port, token);

  testing::TempDir dir;
  Result<store::StorePtr> store = store::openSqliteStore(dir.file("data/sfsync.db"));
  if (!store.ok()) {
    std::cerr << "admin_demo_server: " << store.status().toString() << '\n';
    return 1;
  }
  const admin::testing::SeededActivity seeded = admin::testing::seedActivity(**store, dir.path());
  admin::testing::FakeAdminControl fake;
  // Issue 16: "Re-run failed records" writes the linked execution a real re-run would.
  fake.onRerunFailed(
      [&](const std::string& id) { return admin::testing::simulateRerunFailed(**store, id); });
  EventBus events;
  admin::testing::DemoLiveControl live(fake, **store, events);
  admin::AdminControl& base = simulateRuns ? static_cast<admin::AdminControl&>(live) : fake;
  sim::SimServer sim;  // started only for --oauth-demo
  if (!oauthDemo.empty()) sim.start();
  admin::testing::DemoOAuthControl oauth(base, sim, oauthDemo);
  admin::AdminControl& control =
      oauthDemo.empty() ? base : static_cast<admin::AdminControl&>(oauth);

  admin::AdminOptions options;
  options.host = "127.0.0.1";
  options.port = static_cast<std::uint16_t>(port);
  options.tokens = {{"demo", admin::hashAdminToken(token)}};
  if (!viewerToken.empty()) {
    options.tokens.push_back({"viewer", admin::hashAdminToken(viewerToken), "viewer"});
  }
  if (!operatorToken.empty()) {
    options.tokens.push_back({"operator", admin::hashAdminToken(operatorToken), "operator"});
  }
  if (simulateRuns) options.eventStreamMaxSeconds = 10;  // live.test.mjs sees a reconnect
  const std::string startedAt = "2026-03-08T00:00:00.000Z";
  admin::AdminServer server(options, **store, control, [startedAt] {
    return "{\"status\":\"ok\",\"service\":\"admin_demo_server\",\"startedAt\":\"" + startedAt +
           "\"}";
  });
  server.setEventBus(events);
  std::optional<admin::testing::DemoRealtime> realtime;  // issue 18
  if (realtimeDemo) realtime.emplace(fake, events);
  const Status started = server.start();
  if (!started.ok()) {
    std::cerr << "admin_demo_server: " << started.toString() << '\n';
    return 1;
  }
  std::cout << "{\"url\":" << quoted(server.url()) << ",\"token\":" << quoted(token)
            << ",\"errorFile\":{\"executionId\":" << quoted(seeded.partialWithErrors.executionId)
            << ",\"path\":" << quoted(seeded.partialWithErrors.errorFile) << "}"
            << ",\"successFile\":{\"executionId\":" << quoted(seeded.withSuccessFile.executionId)
            << ",\"path\":" << quoted(seeded.withSuccessFile.successFile) << "}"
            << ",\"deferred\":{\"executionId\":" << quoted(seeded.deferred.executionId) << "}"
            << ",\"executions\":" << seeded.executions.size()
            << ",\"failed\":" << seeded.failedCount << "}" << std::endl;

  // Serve until the driver closes our stdin.
  std::string ignored;
  while (std::getline(std::cin, ignored)) {
  }
  server.stop();
  return 0;
}
