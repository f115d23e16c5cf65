// OAuthCallbackHandler: GET /oauth/callback?code=...&state=... (issue 17), where the org's login
// host sends the browser back after an Authorize. No bearer token: the one-time state
// (OAuthStates) is the credential and names the connection, the PKCE verifier and the actor.
//   unknown, expired or used state      -> 400 HTML page (nothing changes);
//   ?error=... (the user denied access)  -> 400 HTML page naming the error;
//   code exchanged and stored            -> 303 to /#/connections?authorized=<name>;
//   exchange or store failed             -> 502 HTML page with the reason (never a secret).
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class OAuthCallbackHandler final : public AdminHandler {
 public:
  OAuthCallbackHandler(const AdminContext& context, RequestTarget target)
      : AdminHandler(context), target_(std::move(target)) {}

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;
  // A small HTML page with a link back to the connections view.
  static void sendPage(Poco::Net::HTTPServerResponse& response,
                       Poco::Net::HTTPResponse::HTTPStatus status, const std::string& title,
                       const std::string& message);

  RequestTarget target_;
};

}  // namespace sfsync::admin
