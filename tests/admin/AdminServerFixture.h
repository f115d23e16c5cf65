// AdminServerFixture: a real AdminServer on 127.0.0.1 port 0 over a temporary SQLite store seeded
// with SeededActivity, a FakeAdminControl and two tokens ("alice", "ci"), plus JSON helpers.
//
// Thread-safety: test code; the server itself is exercised from several threads by some tests.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "admin/AdminHttpClient.h"
#include "admin/FakeAdminControl.h"
#include "admin/SeededActivity.h"
#include "fakes/TempDir.h"
#include "sfsync/admin/AdminServer.h"

namespace sfsync::admin::testing {

constexpr const char* kAliceToken = "alice-0d3c9f2b7e1a4c58b6f0e2d4a9c7b1e3";
constexpr const char* kCiToken = "ci-5b8e2f4a1c7d9e3b6a0f2c4e8d1b7a9c";

// Sends `bytes` to the server on a new connection one at a time, `interval` apart (each well within
// a per-read timeout), until the server closes the connection; false when it never did. Whatever
// the server sends first (an error answer, a TLS alert) counts as closing.
inline bool trickledUntilClosed(std::uint16_t port, const std::string& bytes,
                                std::chrono::milliseconds interval) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  const Poco::Timespan wait(0, static_cast<long>(interval.count()) * 1000);
  for (const char& byte : bytes) {
    try {
      socket.sendBytes(&byte, 1);
      if (socket.poll(wait, Poco::Net::Socket::SELECT_READ)) {
        char buffer[512];
        socket.receiveBytes(buffer, sizeof buffer);
        return true;
      }
    } catch (const Poco::Exception&) {
      return true;
    }
  }
  return false;
}

inline Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

class AdminServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<store::StorePtr> opened = store::openSqliteStore(dir_.file("data/sfsync.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().toString();
    store_ = std::move(*opened);
    seeded_ = seedActivity(*store_, dir_.path());
    startServer(AdminOptions{});
  }

  // (Re)starts the server with `options` (host forced to loopback, port 0, the two tokens added).
  void startServer(AdminOptions options) {
    server_.reset();
    options.host = "127.0.0.1";
    options.port = 0;
    options.tokens.push_back({"alice", hashAdminToken(kAliceToken)});
    options.tokens.push_back({"ci", hashAdminToken(kCiToken)});
    server_ = std::make_unique<AdminServer>(options, *store_, control_,
                                            [] { return std::string("{\"status\":\"ok\"}"); });
    const Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.toString();
    client_ = std::make_unique<AdminHttpClient>(server_->port());
  }

  HttpReply get(const std::string& target, const std::string& token = kAliceToken) {
    return client_->get(target, token);
  }
  HttpReply post(const std::string& target, const std::string& token = kAliceToken) {
    return client_->post(target, token);
  }
  // GET expecting 200 and a JSON object.
  Poco::JSON::Object::Ptr getJson(const std::string& target) {
    HttpReply reply = get(target);
    EXPECT_EQ(reply.status, 200) << target << ": " << reply.body;
    EXPECT_EQ(reply.header("Content-Type"), "application/json; charset=utf-8");
    return parseObject(reply.body);
  }

  sfsync::testing::TempDir dir_;
  store::StorePtr store_;
  SeededActivity seeded_;
  FakeAdminControl control_;
  std::unique_ptr<AdminServer> server_;
  std::unique_ptr<AdminHttpClient> client_;
};

}  // namespace sfsync::admin::testing
