#include "sfsync/snowflake/RefreshTokenExpiry.h"

namespace sfsync::snowflake {

TokenExpiry refreshTokenExpiry(const SnowflakeSettings& settings, Clock::TimePoint now) {
  TokenExpiry expiry;
  if (settings.auth != SnowflakeAuth::kOAuth || !settings.refreshTokenIssued) return expiry;
  using Days = std::chrono::duration<std::int64_t, std::ratio<86400>>;
  expiry.expiresAt = *settings.refreshTokenIssued + Days(settings.refreshTokenValidityDays);
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(expiry.expiresAt - now);
  // Whole days, rounded towards minus infinity: 13.5 days left is 13.
  const std::int64_t seconds = left.count();
  expiry.daysLeft =
      static_cast<int>(seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400));
  if (seconds <= 0) {
    expiry.state = TokenState::kExpired;
  } else if (left <= Days(kExpiryWarningDays)) {
    expiry.state = TokenState::kExpiring;
  } else {
    expiry.state = TokenState::kValid;
  }
  return expiry;
}

std::string TokenExpiry::warning(const std::string& connection) const {
  if (state != TokenState::kExpiring && state != TokenState::kExpired) return "";
  const std::string date = formatIso8601(expiresAt).substr(0, 10);
  const std::string renew =
      "authorise sfsync again, store the new refresh token with its refreshTokenIssued date and "
      "run `sfsyncd --reconnect=" +
      connection + "` (jobs stay as they are)";
  if (state == TokenState::kExpired) {
    return "Snowflake connection '" + connection + "': the OAuth refresh token expired on " + date +
           "; " + renew;
  }
  return "Snowflake connection '" + connection + "': " + kExpiringMarker + " " + date + " (in " +
         std::to_string(daysLeft) + " day(s)); " + renew;
}

}  // namespace sfsync::snowflake
