// AdminRouter: the admin server's HTTPRequestHandlerFactory. Parses the request target, applies the
// bearer-token check to /api/* and /metrics (401 otherwise), and hands the request to the handler
// of its resource family: Health, Static, Metrics, Activity, Updates, Definitions, Control, Events
// (GET /api/events also accepts a one-time ticket instead of the header, see EventsHandler).
//
// Thread-safety: createRequestHandler() runs on Poco's acceptor / worker threads concurrently; the
// router only reads the shared, immutable AdminContext.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "admin/AdminContext.h"

namespace sfsync::admin {

class AdminRouter final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit AdminRouter(const AdminContext& context) : context_(context) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

  // Tells every connection in progress that the server stops: keep-alive waits end at once.
  void abortConnections() { serverStopped(this, true); }

 private:
  const AdminContext& context_;
};

}  // namespace sfsync::admin
