// DaemonTestSupport: helpers for tests that drive a serving sfsyncd subprocess - wait for a
// condition with a deadline, read the admin port the daemon bound (admin.port = 0) from its log,
// and plain HTTP requests to it.
//
// Thread-safety: test code; every function may be called from any thread.
#pragma once

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <utility>

#include "fakes/TempDir.h"

namespace sfsync::testing {

// Re-checks `condition` until it holds or `deadline` passes; true when it held. The pause between
// checks only paces the polling of another process; the deadline is what the test relies on.
inline bool waitUntil(const std::function<bool()>& condition,
                      std::chrono::seconds deadline = std::chrono::seconds(30)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The port from the daemon's "admin listening on host:port" log line, or 0 when not logged yet.
inline int loggedAdminPort(const std::string& logFile) {
  const std::string log = readFile(logFile);
  const std::string marker = "admin listening on ";
  const std::size_t at = log.rfind(marker);
  if (at == std::string::npos) return 0;
  const std::size_t end = log.find('\n', at);
  const std::string address = log.substr(at + marker.size(), end - at - marker.size());
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos) return 0;
  try {
    return std::stoi(address.substr(colon + 1));
  } catch (const std::exception&) {
    return 0;
  }
}

// Waits (up to 30 s) for the daemon to log its admin port; 0 when it never did.
inline int waitForAdminPort(const std::string& logFile) {
  int port = 0;
  waitUntil([&] { return (port = loggedAdminPort(logFile)) != 0; });
  return port;
}

// `method` http://127.0.0.1:port/path, with a bearer token when given; {status, body}, or
// {0, ""} when nothing answers.
inline std::pair<int, std::string> httpRequest(int port, const std::string& method,
                                               const std::string& path,
                                               const std::string& token = "") {
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    if (method == "POST") request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return {static_cast<int>(response.getStatus()), body};
  } catch (const Poco::Exception&) {
    return {0, ""};
  }
}

// GET /health; "" while nothing answers.
inline std::string health(int port) { return httpRequest(port, "GET", "/health").second; }

}  // namespace sfsync::testing
