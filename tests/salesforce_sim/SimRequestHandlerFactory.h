// SimRequestHandlerFactory: plugs SimService into Poco's HTTPServer: every connection's request is
// answered by SimService::handle through a throw-away handler object, as Poco's API requires.
//
// Thread-safety: Poco calls createRequestHandler from its acceptor threads; the handlers only
// forward to SimService, which is thread-safe.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace sfsync::sim {

class SimService;

class SimRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit SimRequestHandlerFactory(SimService& service) : service_(service) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  SimService& service_;
};

}  // namespace sfsync::sim
