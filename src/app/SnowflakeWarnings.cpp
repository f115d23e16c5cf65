#include "app/SnowflakeWarnings.h"

#include "sfsync/snowflake/RefreshTokenExpiry.h"

namespace sfsync::app {

std::vector<std::string> snowflakeTokenWarnings(const config::AppConfig& app,
                                                Clock::TimePoint now) {
  std::vector<std::string> out;
  for (const config::ConnectionConfig& c : app.connections) {
    if (!c.isSnowflake) continue;
    const std::string w = snowflake::refreshTokenExpiry(c.snowflake, now).warning(c.settings.name);
    if (!w.empty()) out.push_back(w);
  }
  return out;
}

}  // namespace sfsync::app
