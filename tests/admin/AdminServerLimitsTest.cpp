// Connection limits of the admin server: idle half-requests and a client trickling its request
// head are cut off at the request deadline (not Poco's per-read timeout), and a crowd of
// keep-alive clients cannot starve /health. Deadlines in the assertions are generous (several
// times the configured limits); the old server took 60 s or never answered.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "admin/AdminServerFixture.h"

namespace sfsync::admin::testing {
namespace {

using Clock = std::chrono::steady_clock;

// GET /health on a new connection that waits at most `deadline` for the answer; the status, or
// -1 when the connection failed or timed out.
int healthWithin(std::uint16_t port, std::chrono::seconds deadline) {
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(static_cast<long>(deadline.count()), 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/health",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return static_cast<int>(response.getStatus());
  } catch (const Poco::Exception&) {
    return -1;
  }
}

// Opens a connection and sends the first part of a request head, never the end.
Poco::Net::StreamSocket halfRequest(std::uint16_t port) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  const std::string head = "GET /health HTTP/1.1\r\nHost: x\r\n";
  socket.sendBytes(head.data(), static_cast<int>(head.size()));
  return socket;
}

using AdminServerLimitsTest = AdminServerFixture;

TEST_F(AdminServerLimitsTest, IdleHalfRequestsDoNotBlockHealth) {
  AdminOptions options;
  options.maxThreads = 8;
  options.requestTimeoutSeconds = 2;
  startServer(options);
  std::vector<Poco::Net::StreamSocket> idle;
  for (int i = 0; i < 8; ++i) idle.push_back(halfRequest(server_->port()));
  EXPECT_EQ(healthWithin(server_->port(), std::chrono::seconds(10)), 200);
  // The half-requests themselves were closed by the server (recv sees EOF, maybe after a 408/400).
  for (auto& socket : idle) {
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    char buffer[1024];
    int n = 0;
    try {
      while ((n = socket.receiveBytes(buffer, sizeof buffer)) > 0) {
      }
    } catch (const Poco::TimeoutException&) {
      ADD_FAILURE() << "an idle half-request was kept open past the request deadline";
    } catch (const Poco::Exception&) {
      // reset by the server: closed as well
    }
  }
}

TEST_F(AdminServerLimitsTest, ATricklingRequestHeadIsCutOffAtTheDeadline) {
  AdminOptions options;
  options.maxThreads = 1;
  options.requestTimeoutSeconds = 1;
  startServer(options);
  // One header byte every 100 ms: every read succeeds long before a per-read timeout, so only a
  // deadline for the whole head stops it. Trickle until the server closes (or 40 s pass).
  const std::string head = "GET /health HTTP/1.1\r\nX-Slow: " + std::string(400, 'a');
  const Clock::time_point start = Clock::now();
  EXPECT_TRUE(trickledUntilClosed(server_->port(), head, std::chrono::milliseconds(100)))
      << "the server kept reading a trickling head for "
      << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count() << " s";
  // The single worker is free again.
  EXPECT_EQ(healthWithin(server_->port(), std::chrono::seconds(10)), 200);
}

// Clients that ask for a large response and never read it (an error-file download far beyond
// what the socket buffers hold) are cut off at the write deadline: they cannot hold the workers.
// The old server blocked in send() for good, so with every worker held /health never answered.
TEST_F(AdminServerLimitsTest, ClientsThatStopReadingAreCutOffAtTheWriteDeadline) {
  writeBytes(seeded_.partialWithErrors.errorFile, std::string(std::size_t{48} << 20, 'x'));
  AdminOptions options;
  options.maxThreads = 2;
  options.requestTimeoutSeconds = 1;
  startServer(options);
  const std::string request = "GET /api/activity/" + seeded_.partialWithErrors.executionId +
                              "/errors.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                              kAliceToken + "\r\n\r\n";
  std::vector<Poco::Net::StreamSocket> stalled;
  for (int i = 0; i < 2; ++i) {
    stalled.emplace_back(Poco::Net::SocketAddress::IPv4);
    stalled.back().setReceiveBufferSize(4096);  // before connecting: a small window
    stalled.back().connect(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
    stalled.back().sendBytes(request.data(), static_cast<int>(request.size()));
  }
  EXPECT_EQ(healthWithin(server_->port(), std::chrono::seconds(30)), 200)
      << "the workers stayed blocked writing to clients that do not read";
  // The stalled downloads were cut short: reading them now ends well before their 48 MiB.
  for (auto& socket : stalled) {
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    std::size_t received = 0;
    char buffer[65536];
    try {
      for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) received += n;
    } catch (const Poco::TimeoutException&) {
      ADD_FAILURE() << "a stalled download was kept open past the write deadline";
    } catch (const Poco::Exception&) {
      // reset by the server: cut off as well
    }
    EXPECT_LT(received, std::size_t{48} << 20);
  }
}

TEST_F(AdminServerLimitsTest, KeepAliveCrowdDoesNotStarveHealth) {
  startServer(AdminOptions{});  // the defaults: 8 workers, 256 connections, keep-alive 2 s
  constexpr int kClients = 200;
  constexpr int kThreads = 20;
  std::atomic<bool> stop{false};
  std::atomic<int> served{0};
  std::vector<std::thread> crowd;
  const std::uint16_t port = server_->port();
  for (int t = 0; t < kThreads; ++t) {
    crowd.emplace_back([&, port] {
      std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
      for (int i = 0; i < kClients / kThreads; ++i) {
        sessions.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port));
        sessions.back()->setKeepAlive(true);
        sessions.back()->setTimeout(Poco::Timespan(30, 0));
      }
      while (!stop) {
        for (auto& session : sessions) {
          try {
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/api/jobs",
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.setKeepAlive(true);
            request.set("Authorization", std::string("Bearer ") + kAliceToken);
            session->sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session->receiveResponse(response), body);
            ++served;
          } catch (const Poco::Exception&) {
            session->reset();  // closed by the server: the next request reconnects
          }
        }
      }
    });
  }
  // Wait until the crowd is in full swing, then probe /health on fresh connections.
  const Clock::time_point warmup = Clock::now() + std::chrono::seconds(30);
  while (served < 2 * kClients && Clock::now() < warmup) std::this_thread::yield();
  int ok = 0;
  for (int i = 0; i < 20; ++i) {
    if (healthWithin(port, std::chrono::seconds(10)) == 200) ++ok;
  }
  stop = true;
  for (auto& thread : crowd) thread.join();
  EXPECT_GE(served.load(), 2 * kClients);
  EXPECT_EQ(ok, 20) << "/health failed or timed out under " << kClients << " keep-alive clients";
}

}  // namespace
}  // namespace sfsync::admin::testing
