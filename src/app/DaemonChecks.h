// DaemonChecks: configuration checks that need modules the loader does not depend on - the
// scheduling catalog (chain plans, schedules shared by chains), each job's and chain's
// "notifications" object and the notify.* properties (SMTP / webhook settings). Problems use the
// loader's format (file: json.path: message) so --validate lists them with the rest.
//
// Thread-safety: pure function over its arguments (reads the properties file).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/notify/NotificationSettings.h"

namespace sfsync::app {

std::vector<config::ConfigProblem> checkDaemonConfig(
    const config::LoadedConfig& config, const std::map<std::string, std::string>& overrides,
    notify::NotificationSettings* notifications);

}  // namespace sfsync::app
