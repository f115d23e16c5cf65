// GuardedConnectionFactory: makes a GuardedConnection for every accepted admin connection (the
// TCPServer's connection factory, in place of Poco's HTTPServerConnectionFactory).
//
// Thread-safety: createConnection() runs on Poco worker threads; the factory only reads its
// immutable members. `busy` must be thread-safe.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <functional>

#include "admin/ConnectionWatchdog.h"
#include "admin/GuardedConnection.h"

namespace sfsync::admin {

class GuardedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                           ConnectionWatchdog& watchdog, GuardedConnection::Limits limits,
                           std::function<bool()> busy)
      : params_(std::move(params)),
        handlers_(std::move(handlers)),
        watchdog_(watchdog),
        limits_(limits),
        busy_(std::move(busy)) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new GuardedConnection(socket, params_, handlers_, watchdog_, limits_, busy_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  ConnectionWatchdog& watchdog_;
  GuardedConnection::Limits limits_;
  std::function<bool()> busy_;
};

}  // namespace sfsync::admin
