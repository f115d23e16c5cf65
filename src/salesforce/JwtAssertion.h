// JwtAssertion: the RS256 assertion of Salesforce's OAuth 2.0 JWT bearer flow: header
// {"alg":"RS256"}, claims iss = the connected app's consumer key (clientId), sub = the username,
// aud = the login host (https://login.salesforce.com, https://test.salesforce.com or the custom
// domain URL), exp = now + 3 minutes, signed with the connected app's RSA private key through
// Poco::JWT::Signer and Poco::Crypto::RSAKey. The private key is read from its file for every
// assertion (a rotated key needs no restart); the file is read with a size cap and key material
// never reaches a Status message.
//
// Thread-safety: the static functions are safe from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <Poco/Crypto/RSAKey.h>
#include <Poco/SharedPtr.h>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ConnectionSettings.h"

namespace sfsync::salesforce {

class JwtAssertion {
 public:
  // How long an assertion is valid (Salesforce accepts at most 3 minutes plus its own skew).
  static constexpr std::chrono::minutes kLifetime{3};
  // Larger "key files" are refused unread (an RSA-8192 PEM is about 6.5 KB).
  static constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

  // The key in `path`, or kInvalidArgument naming the file and what is wrong with it.
  static Result<Poco::SharedPtr<Poco::Crypto::RSAKey>> loadPrivateKey(const std::string& path);

  // The signed, serialised assertion for `settings` at `now`. kInvalidArgument when clientId,
  // username or jwtPrivateKeyFile is not set, or the key cannot be loaded.
  static Result<std::string> build(const ConnectionSettings& settings, Clock::TimePoint now);

  // `status` (a failed answer of the token endpoint to a JWT bearer request) with a hint for the
  // errors Salesforce gives this flow; other statuses are returned unchanged.
  static Status explainTokenError(const Status& status);
};

}  // namespace sfsync::salesforce
