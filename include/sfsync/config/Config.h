// Configuration model: plain structs for the daemon settings (conf/sfsync.properties), connections,
// jobs (jobs/NAME.json) and chains (chains/NAME.json). Produced by ConfigLoader; consumed read-only.
//
// Thread-safety: plain value types.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Value.h"
#include "sfsync/salesforce/ConnectionSettings.h"
#include "sfsync/store/TableSpec.h"

namespace sfsync::config {

struct ConnectionConfig {
  salesforce::ConnectionSettings settings;  // includes secrets resolved from env / credentials file
  std::string credentialsFile;              // where secrets came from (path only; never print secrets)
  std::string credentialsEnvPrefix;
};

// One direct (source -> target) or constant mapping.
struct MappingConfig {
  std::string source;                         // Salesforce field or relationship path; empty for constant
  std::string target;                         // target column
  std::optional<store::ColumnType> type;      // target column type; default from the Salesforce type
  bool upsertKey = false;                     // "Include in Identifiers"
  std::optional<Value> constant;              // a constant value instead of a source field
  std::string jsonPath;                       // where it was defined, e.g. "mappings[2]"
};

struct JobConfig {
  std::string file;        // absolute path of the JSON file
  std::string name;        // unique job name
  std::string connection;  // connection name
  std::string sourceObject;
  std::vector<std::string> extraFields;  // "source.fields": selected beyond the mapped ones
  std::string filter;                    // SOQL WHERE expression (without WHERE), may be empty
  std::string targetObject;
  std::vector<MappingConfig> mappings;
  bool updateOnly = false;               // "operation": "update" (never create)
  std::vector<std::string> dependsOn;    // job names
  bool enabled = true;
  std::string scheduleJson;              // raw "schedule" object, interpreted by the scheduler; may be empty

  // Every field to SELECT: extraFields then mapping sources, deduplicated case-insensitively, "Id" first.
  std::vector<std::string> sourceFields() const;
  std::vector<std::string> upsertKeyTargets() const;
};

struct ChainConfig {
  std::string file;
  std::string name;
  std::vector<std::string> jobs;  // in run order
  std::string scheduleJson;       // raw "schedule" object; may be empty
};

struct AppConfig {
  std::string file;        // absolute path of the .properties file
  std::string baseDir;     // relative paths below are resolved against this (startup directory)
  std::vector<ConnectionConfig> connections;
  std::string storePath;   // absolute; SQLite file
  std::string adminHost = "127.0.0.1";
  int adminPort = 8085;
  std::string jobsDir;
  std::string chainsDir;
  std::string errorDir;
  std::string logFile;     // empty: console

  const ConnectionConfig* findConnection(const std::string& name) const;
};

// One configuration problem: "<file>: <json.path>: <message>".
struct ConfigProblem {
  std::string file;
  std::string path;
  std::string message;
  std::string toString() const { return file + ": " + path + ": " + message; }
};

struct LoadedConfig {
  AppConfig app;
  std::vector<JobConfig> jobs;
  std::vector<ChainConfig> chains;
  std::vector<ConfigProblem> problems;  // empty means valid

  const JobConfig* findJob(const std::string& nameOrFileStem) const;
  const ChainConfig* findChain(const std::string& nameOrFileStem) const;
};

}  // namespace sfsync::config
