// WebServerFlow: the OAuth 2.0 web-server (authorization code) flow with PKCE (RFC 7636, S256)
// against a connection's login host - login.salesforce.com, test.salesforce.com or its custom
// domain (ConnectionSettings::loginUrl()). The admin page sends the browser to authorizeUrl();
// Salesforce redirects back with a one-time code, which exchangeCode() trades (with the
// code_verifier) for a refresh token. One token request, not retried (a code is one-time).
// Secrets (code, verifier, tokens, client secret) never reach a Status message.
//
// Thread-safety: stateless; every call builds its own transport.
#pragma once

#include <string>

#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ConnectionSettings.h"

namespace sfsync::salesforce {

struct WebServerGrant {
  std::string refreshToken;  // secret: goes to the credentials store only
  std::string instanceUrl;
};

class WebServerFlow {
 public:
  // {loginUrl}/services/oauth2/authorize?response_type=code&client_id&redirect_uri
  // &code_challenge&code_challenge_method=S256&state&scope=api refresh_token
  static std::string authorizeUrl(const ConnectionSettings& settings,
                                  const std::string& redirectUri, const std::string& state,
                                  const std::string& codeChallenge);
  // POST {loginUrl}/services/oauth2/token grant_type=authorization_code. kUnauthenticated with
  // the endpoint's error (e.g. invalid_grant "invalid code verifier"); kUnavailable when it could
  // not be reached; kDataError for a 200 without refresh_token / instance_url (the Connected App
  // lacks the refresh_token scope).
  static Result<WebServerGrant> exchangeCode(const ConnectionSettings& settings,
                                             const std::string& code,
                                             const std::string& codeVerifier,
                                             const std::string& redirectUri);
};

}  // namespace sfsync::salesforce
