// JwtBearerVerifier: the simulator's check of an OAuth 2.0 JWT bearer assertion, answering like
// Salesforce (HTTP 400 {"error","error_description"}):
//   bad signature, not RS256, malformed, no "exp"   -> invalid_grant "invalid assertion"
//   "iss" is not the connected app's consumer key   -> invalid_client_id "client identifier
//   invalid" "aud" is not the login URL                      -> invalid_grant "audience is invalid"
//   "exp" + skew is in the past                     -> invalid_grant "expired authorization code"
//   "sub" is not the org's user                     -> invalid_grant "user hasn't approved this
//                                                      consumer"
// The key comes from SimOptions::jwtCertificatePem (a certificate or an RSA public key).
//
// Thread-safety: immutable after construction; verify() may run on many threads at once.
#pragma once

#include <optional>
#include <string>

#include <Poco/Crypto/RSAKey.h>
#include <Poco/SharedPtr.h>

#include "salesforce_sim/SimReply.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {

class JwtBearerVerifier {
 public:
  // Throws std::invalid_argument when options.jwtCertificatePem is set but unusable.
  explicit JwtBearerVerifier(const SimOptions& options);

  // std::nullopt when `assertion` is good for `audience` at `nowMs` (epoch milliseconds), else the
  // error answer.
  std::optional<SimReply> verify(const std::string& assertion, const std::string& audience,
                                 std::int64_t nowMs) const;

  static std::string oauthError(const std::string& error, const std::string& description);

 private:
  Poco::SharedPtr<Poco::Crypto::RSAKey> key_;  // null: no certificate configured
  std::string clientId_;
  std::string username_;
  std::string audience_;  // empty: the caller's
  int skewSeconds_;
};

}  // namespace sfsync::sim
