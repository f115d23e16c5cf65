// OAuthTokenEndpoint: POST /services/oauth2/token. Checks the form-encoded username-password,
// refresh-token, JWT bearer and authorization-code (web-server flow with PKCE: the one-time code
// of AuthorizationCodes, the same client_id and redirect_uri, and a code_verifier whose S256 is the
// code_challenge) grants against the configured credentials and answers like Salesforce: the token
// body {access_token, [refresh_token], instance_url, id, token_type, issued_at, signature} or HTTP
// 400
// {"error", "error_description"} (invalid_client_id, invalid_client, invalid_grant,
// unsupported_grant_type).
//
// Thread-safety: handle() may run on many threads at once; setIdentity() is called once, before the
// server starts.
#pragma once

#include <optional>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/NameValueCollection.h>

#include "salesforce_sim/AuthorizationCodes.h"
#include "salesforce_sim/JwtBearerVerifier.h"
#include "salesforce_sim/SessionStore.h"
#include "salesforce_sim/SimReply.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {

class OAuthTokenEndpoint {
 public:
  OAuthTokenEndpoint(const SimOptions& options, SessionStore& sessions, AuthorizationCodes& codes);
  // The org and user Ids that make up the identity URL ("<baseUrl>/id/<org>/<user>").
  void setIdentity(const std::string& orgId, const std::string& userId);
  // `password` is the current password (without the security token).
  SimReply handle(Poco::Net::HTTPServerRequest& request, const std::string& baseUrl,
                  const std::string& password) const;

  // HMAC-SHA256 of `message` with `key`, base64-encoded (the token response's signature).
  static std::string hmacSha256Base64(const std::string& key, const std::string& message);

 private:
  // The 200 answer with a fresh session (and the refresh token for the password grant).
  SimReply tokenBody(const std::string& base, bool withRefreshToken) const;
  // grant_type=authorization_code: nullopt when the code, client, redirect_uri and verifier fit.
  std::optional<SimReply> refuseCode(const Poco::Net::NameValueCollection& form) const;

  const SimOptions options_;
  SessionStore& sessions_;
  AuthorizationCodes& codes_;
  std::string orgId_;
  std::string userId_;
  JwtBearerVerifier jwt_;
};

}  // namespace sfsync::sim
