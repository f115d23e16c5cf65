// ConfigLoader: reads conf/sfsync.properties, every jobs/*.json and chains/*.json, and returns the model
// plus EVERY problem found (it never stops at the first): unreadable files, JSON syntax errors (with
// line/column), missing or mistyped keys, unknown connections, duplicate names, jobs without an upsert
// key, chains naming unknown jobs, missing credentials. A non-empty problem list means the daemon must not
// start. Secrets are read from environment variables or the credentials file and never echoed.
//
// LoadedConfig::jobs and ::chains hold only the files that have no problem of their own. Problems are
// grouped by file: the properties and credentials files first, then jobs and chains by file name.
// Unknown keys are problems everywhere (they catch typos) except outside the property sections the
// loader owns (store, admin, paths, log, connection(s)), e.g. "logging.*" for Poco's logging setup.
//
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <map>
#include <string>

#include "sfsync/config/Config.h"

namespace sfsync::config {

// `propertiesFile` may be relative to `baseDir`; `overrides` replace properties (from --define k=v).
LoadedConfig loadConfig(const std::string& propertiesFile, const std::string& baseDir,
                        const std::map<std::string, std::string>& overrides = {});

// Parses one job file's text (exposed for tests); problems are appended. Checks only what the file
// itself can show (not connections, other jobs or name uniqueness); nullopt if it has any problem.
std::optional<JobConfig> parseJob(const std::string& file, const std::string& text,
                                  std::vector<ConfigProblem>& problems);
std::optional<ChainConfig> parseChain(const std::string& file, const std::string& text,
                                      std::vector<ConfigProblem>& problems);

}  // namespace sfsync::config
