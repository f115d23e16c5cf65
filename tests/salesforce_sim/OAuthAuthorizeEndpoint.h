// OAuthAuthorizeEndpoint: /services/oauth2/authorize of the simulator - the browser half of the
// OAuth 2.0 web-server flow with PKCE, as Salesforce's login host serves it:
//   GET  ?response_type=code&client_id&redirect_uri&code_challenge&code_challenge_method=S256
//        [&state]  -> an HTML login form (username, password), or a 400 error page for an unknown
//        client_id, a redirect_uri other than SimOptions::oauthCallbackUrl (when set), or a
//        missing challenge / a method other than S256;
//   POST step=login   -> the consent page ("Allow" / "Deny"), or the form again on a wrong login;
//   POST step=consent -> 302 to redirect_uri?code=...&state=... (Allow) or
//        ?error=access_denied&state=... (Deny).
// The code is redeemed at the token endpoint (grant_type=authorization_code, see
// OAuthTokenEndpoint) with the code_verifier whose S256 is the challenge.
//
// Thread-safety: handle() may run on many threads at once (AuthorizationCodes is thread-safe).
#pragma once

#include <string>

#include <Poco/Net/HTTPServerRequest.h>

#include "salesforce_sim/AuthorizationCodes.h"
#include "salesforce_sim/SimReply.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {

class OAuthAuthorizeEndpoint {
 public:
  OAuthAuthorizeEndpoint(const SimOptions& options, AuthorizationCodes& codes)
      : options_(options), codes_(codes) {}

  // `password` is the user's current password (no security token: this is the login page).
  SimReply handle(Poco::Net::HTTPServerRequest& request, const std::string& password) const;

 private:
  // "" when the request's parameters are acceptable, else the error page's message.
  std::string refusal(const AuthorizeRequest& request, const std::string& responseType,
                      const std::string& method) const;
  SimReply loginPage(const AuthorizeRequest& request, const std::string& error) const;
  SimReply consentPage(const AuthorizeRequest& request) const;
  SimReply consent(const std::string& id, bool allow) const;

  const SimOptions options_;
  AuthorizationCodes& codes_;
};

}  // namespace sfsync::sim
