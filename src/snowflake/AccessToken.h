// AccessToken: the bearer token of a Snowflake connection and its token type header.
//   key-pair: a KeyPairJwt, rebuilt when it is within 5 minutes of its expiry;
//   OAuth:    an access token from POST <accountUrl>/oauth/token-request (grant_type=refresh_token,
//             client id/secret as HTTP Basic), renewed when it expires or a statement answers 401.
// An OAuth refresh answered with invalid_grant (the refresh token expired or was revoked) is
// kUnauthenticated with remote code kRefreshTokenExpired and a message saying how to renew it; the
// token itself is never in a message.
//
// Thread-safety: not thread-safe; one per client.
#pragma once

#include <string>

#include "salesforce/HttpTransport.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/snowflake/SnowflakeSettings.h"

namespace sfsync::snowflake {

// Status::remoteCode() of a refused OAuth refresh token.
inline constexpr const char* kRefreshTokenExpired = "SNOWFLAKE_REFRESH_TOKEN_EXPIRED";

class AccessToken {
 public:
  AccessToken(const SnowflakeSettings& settings, Clock& clock, salesforce::HttpTransport& http);

  // The current token (fetched or built when needed).
  Result<std::string> get();
  // "KEYPAIR_JWT" or "OAUTH".
  const char* tokenType() const;
  // Forget the current token (the server refused it); the next get() renews it.
  void invalidate() { token_.clear(); }

 private:
  Result<std::string> refreshOAuth();

  const SnowflakeSettings& settings_;
  Clock& clock_;
  salesforce::HttpTransport& http_;
  std::string token_;
  Clock::TimePoint renewAt_{};
};

}  // namespace sfsync::snowflake
