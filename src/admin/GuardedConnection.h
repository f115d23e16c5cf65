// GuardedConnection: one admin HTTP connection - Poco's HTTPServerConnection run under the
// ConnectionWatchdog's deadlines:
//   waiting for a request head: requestTimeout (the first request) or keepAlive + requestTimeout
//   (later ones; Poco itself closes an idle keep-alive connection after keepAlive);
//   reading a request body: requestTimeout from the end of the head;
//   in a handler: no deadline (handlers are bounded by the store, not by the client), except
//   while it writes: each write of a response (the head, then the body kWriteChunk bytes at a
//   time, through send() below) must complete within requestTimeout, so a client that stops
//   reading cannot hold the worker.
// The request handlers report those phase changes through the static functions below, which act
// on the connection served by the calling thread (a thread serves one connection at a time).
//
// Thread-safety: run() on one Poco worker thread; the static functions act on that thread's
// connection and are no-ops on any other thread.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/TCPServerConnection.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <string_view>

#include "admin/ConnectionWatchdog.h"

namespace sfsync::admin {

class GuardedConnection final : public Poco::Net::TCPServerConnection {
 public:
  struct Limits {
    std::chrono::seconds requestTimeout{5};
    std::chrono::seconds keepAlive{2};
  };

  GuardedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr factory, ConnectionWatchdog& watchdog,
                    Limits limits, std::function<bool()> busy);

  void run() override;

  // A request head was parsed: its body (if any) must now arrive within requestTimeout.
  static void headReceived();
  // The body was read: the handler runs without a deadline.
  static void bodyReceived();
  // The response was sent: the next head must arrive within keepAlive + requestTimeout.
  static void responseSent();
  // A streaming handler (GET /api/events) starts a write: it must complete within `within`, else
  // the watchdog shuts the socket (a client that stops reading cannot hold the worker).
  static void writeStarted(std::chrono::seconds within);
  // The write completed: no deadline while the handler waits for its next event.
  static void writeDone();
  // Sends `response`'s head and then `body` (or all of `in`, a file download) under the write
  // deadlines above; every handler's response goes through one of these. A write that misses its
  // deadline ends the connection (the stream fails or Poco throws).
  static constexpr std::size_t kWriteChunk = 64 * 1024;
  static void send(Poco::Net::HTTPServerResponse& response, std::string_view body);
  static void send(Poco::Net::HTTPServerResponse& response, std::istream& in);
  // True when other connections wait for a worker: the current one should not be kept alive.
  static bool othersWaiting();

 private:
  void arm(std::chrono::seconds after);
  // writeStarted(requestTimeout) of the calling thread's connection.
  static void armWrite();

  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  ConnectionWatchdog& watchdog_;
  Limits limits_;
  std::function<bool()> busy_;
  std::uint64_t watchId_ = 0;
};

}  // namespace sfsync::admin
