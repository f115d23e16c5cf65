// ConfigLoader: reads conf/sfsync.properties, every jobs/*.json and chains/*.json, and returns the
// model plus EVERY problem found (it never stops at the first): unreadable files, JSON syntax
// errors (with line/column), missing or mistyped keys, unknown connections, duplicate names,
// targets without an upsert key, invalid derived mappings and schedules, chains naming unknown jobs
// or with dependency cycles, a job in two chains with different schedules, missing credentials or
// admin token digests. A non-empty problem list means the daemon must not start. Secrets are read
// from environment variables or the credentials file and never echoed.
//
// LoadedConfig::jobs and ::chains hold only the files that have no problem of their own; every
// chain's dependencies are filled (explicit, or derived from its jobs' dependsOn). Problems are
// grouped by file: the properties and credentials files first, then jobs and chains by file name.
// Unknown keys are problems everywhere (they catch typos), with a "did you mean" suggestion, except
// two property families: "notify.*" (handed over in AppConfig::notifyProperties; the notify module
// validates them) and "log.*" / "logging.*" (in AppConfig::logProperties; the app checks them).
// Properties and credentials files are parsed strictly (see src/config/PropertiesParser.h):
// malformed keys, lines without '=', duplicate keys, control bytes and invalid UTF-8 are problems
// at "line N". A "*.json" in the jobs or chains folder that is a dangling symlink or not a regular
// file is a problem, as is invalid UTF-8 in a job or chain file (with line and column).
//
// Job file (one target; "targets" replaces "target" + "mappings" + "derivedMappings" for several):
//   {"name", "connection", "enabled", "operation": "upsert"|"update", "dependsOn": [...],
//    "source": {"object", "fields", "filter", "dedupeBy": "SystemModstamp"|""},
//    "target": {"object"}, "mappings": [...], "derivedMappings": [...],
//    "targets": [{"object", "mappings", "derivedMappings"}, ...],   // 1..5, written in order
//    "schedule": {...}, "retries": {"count", "initialBackoffSeconds", "maxBackoffSeconds"},
//    "overlap": "refuse"|"queue", "notifications": {...}, "successFile": false}
//   mapping: {"target", "source" | "constant" | "fromTarget", "type", "upsertKey"}
//   derived mapping: {"target", "lookup", "match": [{"source", "target"}], "onMultipleMatches":
//     "useAny"|"error", "onNoMatch": "null"|"reject"|"default", "default", "upsertKey"}
// Chain file:
//   {"name", "jobs": [...], "dependencies": [{"job", "after", "condition": "success"|
//    "successOrPartial"|"always"}], "schedule", "maxParallel": 1..16, "pipelined", "overlap",
//    "notifications", "enabled"}
//
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "sfsync/config/Config.h"

namespace sfsync::config {

// `propertiesFile` may be relative to `baseDir`; `overrides` replace properties (--define k=v).
LoadedConfig loadConfig(const std::string& propertiesFile, const std::string& baseDir,
                        const std::map<std::string, std::string>& overrides = {});

// Issue 17 (the admin page's editor): the same load, with some job / chain files replaced in
// memory. Keys are absolute paths of "*.json" files directly in the jobs or chains folder; a
// value is the text the file is read as (an added file when it does not exist), std::nullopt
// leaves the file out as if deleted. Nothing on disk is touched.
using FileOverlay = std::map<std::string, std::optional<std::string>>;
LoadedConfig loadConfig(const std::string& propertiesFile, const std::string& baseDir,
                        const std::map<std::string, std::string>& overrides,
                        const FileOverlay& overlay);

// Parses one job file's text (exposed for tests); problems are appended. Checks only what the file
// itself can show (not connections, other jobs or name uniqueness); nullopt if it has any problem.
// parseChain cannot derive dependencies from the jobs: without "dependencies" in the file the
// result has explicitDependencies == false and no dependencies.
std::optional<JobConfig> parseJob(const std::string& file, const std::string& text,
                                  std::vector<ConfigProblem>& problems);
std::optional<ChainConfig> parseChain(const std::string& file, const std::string& text,
                                      std::vector<ConfigProblem>& problems);

}  // namespace sfsync::config
