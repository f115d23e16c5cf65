// NoticeSamples: execution rows and targets shared by the notify tests, plus a helper that finds a
// free loopback port that nothing listens on (bound, then closed: connecting to it is refused).
//
// Thread-safety: plain functions returning values.
#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/notify/NotificationTargets.h"
#include "sfsync/store/ExecutionRecord.h"

namespace sfsync::notify::testing {

inline store::ExecutionRecord companySyncRun(const std::string& status = "Partial Success") {
  store::ExecutionRecord r;
  r.executionId = "6f1c2a9e-0000-4000-8000-000000000001";
  r.kind = "job";
  r.name = "Company Sync";
  r.connection = "prod";
  r.trigger = "schedule";
  r.status = status;
  r.startTime = "2026-11-23T10:30:00.000Z";
  r.endTime = "2026-11-23T10:31:05.250Z";
  r.recordsRead = 123;
  r.created = 100;
  r.updated = 20;
  r.skipped = 0;
  r.failed = 3;
  r.apiCalls = 4;
  r.errorFile = "/var/lib/sfsync/errors/company-sync-6f1c2a9e.csv";
  r.message = "3 records failed: TYPE_CONVERSION";
  return r;
}

inline NotificationTargets sampleTargets(const std::vector<std::string>& successWebhooks = {},
                                         const std::vector<std::string>& failureWebhooks = {}) {
  NotificationTargets t;
  t.onSuccess.emails = {"team@example.com"};
  t.onSuccess.webhooks = successWebhooks;
  t.onFailure.emails = {"ops@example.com", "oncall@example.com"};
  t.onFailure.webhooks = failureWebhooks;
  return t;
}

// A loopback port with no listener (connect -> refused).
inline std::uint16_t closedPort() {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
  const std::uint16_t port = socket.address().port();
  socket.close();
  return port;
}

}  // namespace sfsync::notify::testing
