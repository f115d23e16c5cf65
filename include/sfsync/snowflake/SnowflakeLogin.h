// SnowflakeLogin: re-authorises a Snowflake connection without running a statement (what
// `sfsyncd --reconnect=<n>` does for a Snowflake connection): key-pair - loads the private key and
// signs a JWT; OAuth - exchanges the refresh token for an access token (an expired one:
// kUnauthenticated, remote code SNOWFLAKE_REFRESH_TOKEN_EXPIRED).
//
// Thread-safety: safe from any thread (its own transport per call).
#pragma once

#include "sfsync/core/Clock.h"
#include "sfsync/core/Status.h"
#include "sfsync/snowflake/SnowflakeSettings.h"

namespace sfsync::snowflake {

Status login(const SnowflakeSettings& settings, Clock& clock);

}  // namespace sfsync::snowflake
