// RealtimeHandler: GET /api/realtime (issue 18) - the live numbers of every real-time job running
// now (AdminControl::realtime), as {"jobs":[...]} in admin::RealtimeJson's format. Viewer role.
// 405 for other methods, 400 for query parameters.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class RealtimeHandler final : public AdminHandler {
 public:
  RealtimeHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
};

}  // namespace sfsync::admin
