// ReloadHandler: POST /api/reload - re-reads the daemon's configuration files
// (AdminControl::reload) in the name of the token that authenticated the request (its name is the
// actor). Answers
//   200 {"applied":true,"changes":[...],"needsRestart":[...]}  the new configuration runs;
//   422 {"applied":false,"error":"...","problems":[...]}        refused, the old one keeps running;
//   503 {"error":...} when the daemon cannot reload, 500 for other errors; 405 for other methods.
// The request body is ignored.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class ReloadHandler final : public AdminHandler {
 public:
  ReloadHandler(const AdminContext& context, RequestTarget target, std::string actor)
      : AdminHandler(context), target_(std::move(target)), actor_(std::move(actor)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
  std::string actor_;
};

}  // namespace sfsync::admin
