// HealthHandler: GET /health, open to everyone (load balancers, scripts that wait for the daemon):
// the JSON the daemon's health callback returns, or {"status":"ok"} without one.
//
// Thread-safety: one object per request; the callback must be thread-safe.
#pragma once

#include "admin/AdminHandler.h"

namespace sfsync::admin {

class HealthHandler final : public AdminHandler {
 public:
  using AdminHandler::AdminHandler;

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;
};

}  // namespace sfsync::admin
