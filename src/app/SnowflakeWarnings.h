// SnowflakeWarnings: the warnings `/health` lists (issue 14): one per Snowflake connection whose
// OAuth refresh token is within 14 days of its expiry or past it (snowflake::refreshTokenExpiry).
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"

namespace sfsync::app {

std::vector<std::string> snowflakeTokenWarnings(const config::AppConfig& app, Clock::TimePoint now);

}  // namespace sfsync::app
