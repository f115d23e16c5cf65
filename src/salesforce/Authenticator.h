// Authenticator: obtains an OAuth 2.0 access token from the org's token endpoint
// (POST {loginUrl}/services/oauth2/token, form-encoded) with the connection's flow:
//   - password:      grant_type=password, client_id, client_secret, username,
//   password+securityToken
//   - refresh token: grant_type=refresh_token, client_id, client_secret, refresh_token
//   - JWT bearer:    grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, assertion (an RS256
//                    JWT signed with the connected app's private key, see JwtAssertion)
// and returns the access token plus the instance_url every later call must use.
// The request body holds secrets: it is built here, handed to the transport, and never copied into
// a Status message or log. Error messages come only from the token endpoint's answer.
//
// Thread-safety: NOT thread-safe; owned by one client.
#pragma once

#include <string>

#include "salesforce/HttpTransport.h"
#include "salesforce/RetryRecorder.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ConnectionSettings.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {

struct AccessToken {
  std::string accessToken;
  std::string instanceUrl;  // without trailing slash
  std::string identityUrl;  // "id": .../id/<orgId>/<userId> (the org Id is the Pub/Sub tenantid)
};

class Authenticator {
 public:
  // `settings`, `transport` and `clock` must outlive the authenticator.
  Authenticator(const ConnectionSettings& settings, HttpTransport& transport, Clock& clock)
      : settings_(settings), transport_(transport), clock_(clock) {}

  // Requests a token. Every HTTP request to the token endpoint counts in usage.authentications.
  //   kInvalidArgument - credentials missing for the flow, or the login/instance URL is refused by
  //                      the transport policy (nothing sent);
  //   kUnauthenticated - the endpoint rejected the request (remoteCode() = OAuth "error", e.g.
  //                      invalid_grant; message = error_description; for JWT bearer with a hint
  //                      for the known answers: consumer not approved, invalid assertion,
  //                      expired, audience);
  //   kUnavailable     - 5xx / network failures persisted through settings.maxRetries retries;
  //   kDataError       - a 200 answer without access_token / instance_url.
  // Retries of the token request are counted and logged by `retries` when given.
  Result<AccessToken> requestToken(ApiUsage& usage, RetryRecorder* retries = nullptr);

  // The token request's form body, or kInvalidArgument naming the missing setting (or, for JWT
  // bearer, what is wrong with the key file). Contains secrets. `now` dates a JWT assertion; the
  // one-argument form uses the system clock.
  static Result<std::string> tokenRequestBody(const ConnectionSettings& settings,
                                              Clock::TimePoint now);
  static Result<std::string> tokenRequestBody(const ConnectionSettings& settings);
  // {loginUrl}/services/oauth2/token
  static std::string tokenUrl(const ConnectionSettings& settings);

 private:
  Result<AccessToken> parseTokenResponse(const std::string& body) const;

  const ConnectionSettings& settings_;
  HttpTransport& transport_;
  Clock& clock_;
};

}  // namespace sfsync::salesforce
