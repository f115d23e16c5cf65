// ClusterHandler: GET /api/cluster (viewer role; issue 12) - the daemons sharing the store and
// which daemon runs what:
//   {"clustered":true,"leaseSeconds":30,"self":"<id>",
//    "daemons":[{"id","host","pid","startedAt","heartbeatAt","heartbeatAgeSeconds","self"}],
//    "running":[{"key","name","kind","trigger","slot","daemon","claimedAt","leaseUntil",
//                "expired","adoptions"}]}
// "clustered" is false for a daemon alone on its store (SQLite): then "daemons" holds only it.
// 503 when the view cannot be read (the store is unreachable), 405 for other methods.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"
#include "sfsync/scheduling/RunClaims.h"

namespace sfsync::admin {

class ClusterHandler final : public AdminHandler {
 public:
  ClusterHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

  // The JSON body of a view (also for tests).
  static std::string json(const scheduling::ClusterView& view);

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  RequestTarget target_;
};

}  // namespace sfsync::admin
