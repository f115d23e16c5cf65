// SnowflakeSettings: one Snowflake connection (connection.<n>.type = snowflake): where the account
// is, the session context every statement runs in (warehouse, database, schema, role), how sfsync
// authenticates (key-pair JWT or OAuth refresh token) and the limits of every exchange.
// Secrets (clientSecret, refreshToken) are held here but never printed.
//
// Thread-safety: plain value type.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "sfsync/core/Clock.h"

namespace sfsync::snowflake {

enum class SnowflakeAuth { kKeyPair, kOAuth };

struct SnowflakeSettings {
  std::string name;        // connection name, used in messages
  std::string accountUrl;  // https://<account>.snowflakecomputing.com (http only to loopback)
  // Account identifier as used in the JWT (e.g. MYORG-MYACCOUNT); default: the first label of the
  // account URL's host. Upper-cased when the JWT is built.
  std::string account;
  std::string user;  // login name (key-pair)
  std::string warehouse;
  std::string database;
  std::string schema;
  std::string role;

  SnowflakeAuth auth = SnowflakeAuth::kKeyPair;
  std::string privateKeyFile;  // key-pair: PEM RSA private key, unencrypted, chmod 600
  std::string clientId;        // OAuth security integration's client id
  std::string clientSecret;    // secret
  std::string refreshToken;    // secret
  // When the refresh token was issued (authorised); with refreshTokenValidityDays it gives the
  // expiry that is tracked and warned about (kExpiryWarningDays before).
  std::optional<Clock::TimePoint> refreshTokenIssued;
  int refreshTokenValidityDays = 90;

  std::string caFile;              // extra trusted CA certificates (PEM), optional
  bool verifyCertificates = true;  // TLS server verification

  std::chrono::milliseconds timeout{60000};            // connect / send / receive
  std::chrono::milliseconds responseDeadline{300000};  // one response, head to last byte
  std::int64_t maxPartitionBytes = 256ll << 20;        // one response (decoded) at most
  std::chrono::milliseconds pollInterval{1000};        // between polls of a 202 statement
  std::chrono::seconds statementTimeout{3600};         // Snowflake's own limit + our poll limit
};

// Warn this many days before the refresh token expires.
inline constexpr int kExpiryWarningDays = 14;

}  // namespace sfsync::snowflake
