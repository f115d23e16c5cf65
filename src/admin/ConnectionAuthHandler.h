// ConnectionAuthHandler: the connections page's actions that need more than ControlHandler's
// message (issue 17), both POST and admin-only (RolePolicy):
//   POST /api/connections/{name}/authorize -> 200 {"authorizeUrl", "redirectUri", "expiresIn"}:
//        the login host's authorize URL with a fresh one-time state (OAuthStates, bound to the
//        connection, the PKCE verifier and this token) and the verifier's S256 challenge; the page
//        sends the browser there. 404 unknown connection, 409 not a web_server connection.
//        The redirect_uri is connection.<n>.oauth.callbackUrl, else this server's /oauth/callback
//        as the request reached it (Host header, https when the request came over TLS).
//   POST /api/connections/{name}/test -> 200 {"ok", "latencyMs", "apiUsed", "apiMax", ...} (a
//        failed login is {"ok": false, "error"}, still 200); 404 unknown connection.
//
// Thread-safety: one object per request (see AdminHandler).
#pragma once

#include <string>
#include <utility>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class ConnectionAuthHandler final : public AdminHandler {
 public:
  ConnectionAuthHandler(const AdminContext& context, RequestTarget target, std::string actor)
      : AdminHandler(context), target_(std::move(target)), actor_(std::move(actor)) {}

  // True for the actions this handler serves ({api, connections, name, authorize|test}).
  static bool handles(const std::vector<std::string>& segments);

 private:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;
  void authorize(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  void test(Poco::Net::HTTPServerResponse& response);

  RequestTarget target_;
  std::string actor_;
};

}  // namespace sfsync::admin
