#include "sfsync/snowflake/SnowflakeLogin.h"

#include "snowflake/SqlApiClient.h"

namespace sfsync::snowflake {

Status login(const SnowflakeSettings& settings, Clock& clock) {
  SqlApiClient client(settings, clock);
  return client.authenticate();
}

}  // namespace sfsync::snowflake
