// KeyPairJwt: the JWT of Snowflake's key-pair authentication: RS256, iss =
// ACCOUNT.USER.SHA256:<fingerprint>, sub = ACCOUNT.USER, iat = now, exp = now + 1 hour (Snowflake's
// maximum), where <fingerprint> is the base64 SHA-256 of the public key's DER
// (SubjectPublicKeyInfo), as `DESC USER` shows it in RSA_PUBLIC_KEY_FP. Signed with
// Poco::JWT::Signer; the private key is loaded through salesforce::JwtAssertion::loadPrivateKey
// (size cap, no passphrase prompt, key material never in a message).
//
// Thread-safety: static functions, safe from any thread.
#pragma once

#include <chrono>
#include <string>

#include <Poco/Crypto/RSAKey.h>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/snowflake/SnowflakeSettings.h"

namespace sfsync::snowflake {

class KeyPairJwt {
 public:
  static constexpr std::chrono::minutes kLifetime{60};

  // "SHA256:<base64>" of the key's public half.
  static Result<std::string> fingerprint(const Poco::Crypto::RSAKey& key);
  // The account identifier of the JWT: settings.account, else the first label of the account URL
  // host; upper-cased, and "." in it (region) cut off as Snowflake asks.
  static std::string accountIdentifier(const SnowflakeSettings& settings);
  // The signed token for `settings` at `now`.
  static Result<std::string> build(const SnowflakeSettings& settings, Clock::TimePoint now);
};

}  // namespace sfsync::snowflake
