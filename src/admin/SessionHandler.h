// SessionHandler: GET /api/session (issue 17) - who the bearer token is: {"token": name, "role":
// "viewer" | "operator" | "admin"}. The page reads it to hide the controls the role may not use.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RolePolicy.h"

namespace sfsync::admin {

class SessionHandler final : public AdminHandler {
 public:
  SessionHandler(const AdminContext& context, std::string tokenName, Role role)
      : AdminHandler(context), tokenName_(std::move(tokenName)), role_(role) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

  std::string tokenName_;
  Role role_;
};

}  // namespace sfsync::admin
