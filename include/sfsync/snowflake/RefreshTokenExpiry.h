// RefreshTokenExpiry: where an OAuth connection's refresh token stands against its expiry
// (issued + refreshTokenValidityDays; Snowflake's default validity is 90 days). A token within
// kExpiryWarningDays of its expiry is kExpiring: the run says so in its activity message (and so
// in the job's notifications), and `sfsyncd --reconnect` with a new token resets it.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "sfsync/core/Clock.h"
#include "sfsync/snowflake/SnowflakeSettings.h"

namespace sfsync::snowflake {

enum class TokenState { kUntracked, kValid, kExpiring, kExpired };

// Part of every kExpiring warning (how a run's message is recognised as carrying one).
inline constexpr const char* kExpiringMarker = "the OAuth refresh token expires on";

struct TokenExpiry {
  TokenState state = TokenState::kUntracked;
  Clock::TimePoint expiresAt{};
  int daysLeft = 0;  // whole days until expiresAt (0 on the last day, negative once expired)

  // "" for kUntracked / kValid; else the warning, naming the connection, the expiry date and how
  // to renew (never the token).
  std::string warning(const std::string& connection) const;
};

// The state at `now` of `settings`' refresh token; kUntracked for key-pair auth or when the
// issue date is not configured.
TokenExpiry refreshTokenExpiry(const SnowflakeSettings& settings, Clock::TimePoint now);

}  // namespace sfsync::snowflake
