// ControlHandler: the write endpoints, each one AdminControl call made in the name of the token
// that authenticated the request (its name is the actor):
//   POST /api/jobs/{name}/run|pause|resume, /api/chains/{name}/run|pause|resume,
//   POST /api/connections/{name}/pause|resume|disconnect|reconnect.
// Answers {"kind","name","action","message"}: 202 for run (the run is started or queued), 200 for
// the others; 404 for an unknown name (kNotFound), 409 when refused (kInvalidArgument, e.g.
// already running), 503 for kUnavailable, 500 otherwise. The request body is ignored.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class ControlHandler final : public AdminHandler {
 public:
  ControlHandler(const AdminContext& context, RequestTarget target, std::string actor)
      : AdminHandler(context), target_(std::move(target)), actor_(std::move(actor)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
  std::string actor_;
};

}  // namespace sfsync::admin
