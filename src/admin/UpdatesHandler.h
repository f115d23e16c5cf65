// UpdatesHandler: update activity - GET /api/updates?limit=&cursor=, the audit rows of
// configuration changes (what changed as a readable diff, when, by whom), newest first, keyset
// paginated on (time, id) so rows sharing a time are neither skipped nor repeated.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class UpdatesHandler final : public AdminHandler {
 public:
  UpdatesHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
};

}  // namespace sfsync::admin
