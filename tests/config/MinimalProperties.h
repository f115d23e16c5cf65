// MinimalProperties: writes a minimal valid configuration into a temporary directory (sqlite store,
// empty jobs and chains folders, one custom-domain connection "sample" with a credentials file),
// with `extra` properties added or overriding, and loads it - for tests of single properties.
//
// Thread-safety: test helper; one directory per test.
#pragma once

#include <map>
#include <string>

#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config::test_support {

inline LoadedConfig loadMinimalProperties(sfsync::testing::TempDir& dir,
                                          const std::map<std::string, std::string>& extra) {
  const char* propsFile = "conf/sfsync.properties";
  std::map<std::string, std::string> props = {
      {"store.type", "sqlite"},
      {"store.path", "var/sfsync.db"},
      {"paths.jobs", "jobs"},
      {"paths.chains", "chains"},
      {"paths.errors", "errors"},
      {"connections", "sample"},
      {"connection.sample.orgType", "custom"},
      {"connection.sample.customDomainUrl", "http://127.0.0.1:8086/"},
      {"connection.sample.credentialsFile", "conf/sample.credentials"}};
  for (const auto& [key, value] : extra) props[key] = value;
  std::string text;
  for (const auto& [key, value] : props) text += key + " = " + value + "\n";
  dir.write(propsFile, text);
  dir.write("conf/sample.credentials",
            "clientId = c\nclientSecret = s\nusername = u@example.com\npassword = p\n");
  dir.write("jobs/.keep", "");
  dir.write("chains/.keep", "");
  return loadConfig(propsFile, dir.path(), {});
}

}  // namespace sfsync::config::test_support
