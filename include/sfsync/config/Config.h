// Configuration model: plain structs for the daemon settings (conf/sfsync.properties), connections,
// jobs (jobs/NAME.json) and chains (chains/NAME.json). Produced by ConfigLoader; consumed
// read-only.
//
// Thread-safety: plain value types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Value.h"
#include "sfsync/salesforce/ConnectionSettings.h"
#include "sfsync/snowflake/SnowflakeSettings.h"
#include "sfsync/store/Store.h"
#include "sfsync/store/TableSpec.h"

namespace sfsync::config {

struct ConnectionConfig {
  salesforce::ConnectionSettings settings;  // includes secrets resolved from env / credentials file
  std::string credentialsFile;  // where secrets came from (path only; never print secrets)
  std::string credentialsEnvPrefix;
  // "connection.<n>.type" (issue 14): salesforce (default) or snowflake. A Snowflake connection's
  // settings are in `snowflake` (secrets resolved like Salesforce's); `settings` then holds only
  // its name and credentials.
  bool isSnowflake = false;
  snowflake::SnowflakeSettings snowflake;
  // "connection.<n>.allowDeletes" (Snowflake): jobs may set onSourceDelete (hidden by default, so
  // participants are not deleted by accident).
  bool allowDeletes = false;
  // Issue 17, authFlow = web_server: connection.<n>.oauth.callbackUrl, the redirect_uri the
  // Connected App knows when the admin port is behind a proxy; "" = derived from the page's URL.
  std::string oauthCallbackUrl;
};

// Write-back (issue 13): which way a direct mapping's values travel. JSON "direction":
// "fromSalesforce" (default) | "toSalesforce" | "twoWay".
enum class Direction { kFromSalesforce, kToSalesforce, kTwoWay };

// One mapping of a target: a Salesforce field (direct), a constant, or the gsid of the row written
// for an earlier target of the same job for the same source record (fromTarget). Exactly one of
// source / constant / fromTarget is set.
struct MappingConfig {
  std::string source;                     // Salesforce field or relationship path; else empty
  std::string target;                     // target column
  std::optional<store::ColumnType> type;  // target column type; default from the Salesforce type
  bool upsertKey = false;                 // "Include in Identifiers"
  std::optional<Value> constant;          // a constant value instead of a source field
  std::string fromTarget;                 // an earlier target's object, spelt as that target's
                                          // "object"; the column receives that row's gsid (text)
  std::string jsonPath;                   // where it was defined, e.g. "targets[1].mappings[2]"
  // "realtime" (issue 18): false keeps this field on the schedule in a real-time job (its changes
  // wait for the next scheduled run). Ignored by jobs that are not real-time.
  bool realtime = true;
  Direction direction = Direction::kFromSalesforce;  // "direction" (issue 13; direct mappings only)

  bool writesBack() const { return direction != Direction::kFromSalesforce; }
};

// One (source field -> lookup object column) condition of a derived mapping.
struct MatchPair {
  std::string source;  // Salesforce field or relationship path of the job's source object
  std::string target;  // column of the lookup object
};

enum class MultipleMatchPolicy { kUseAny, kError };     // JSON "useAny" | "error"
enum class NoMatchPolicy { kNull, kReject, kDefault };  // JSON "null" | "reject" | "default"

// A derived mapping ("lookup"): finds the row of `lookupObject` whose columns equal the source
// record's fields (all pairs ANDed) and writes that row's gsid into `target`.
struct DerivedMappingConfig {
  std::string target;            // column of this target that receives the matched row's gsid
  std::string lookupObject;      // target object searched; equal to this target's object (compared
                                 // case-insensitively, then stored in its spelling) = self-lookup
  std::vector<MatchPair> match;  // 1..6 pairs, ANDed
  MultipleMatchPolicy onMultipleMatches = MultipleMatchPolicy::kError;
  NoMatchPolicy onNoMatch = NoMatchPolicy::kNull;
  Value defaultValue;      // for kDefault (required then; text); null otherwise
  bool upsertKey = false;  // derived values may be (part of) the upsert key
  std::string jsonPath;    // e.g. "derivedMappings[0]" or "targets[1].derivedMappings[0]"
};

// One target object a job writes. A job's targets are written in order for each source record,
// so a later target can reference an earlier one's row (MappingConfig::fromTarget).
struct TargetConfig {
  std::string object;                   // e.g. "Company Person"; unique within the job
  std::vector<MappingConfig> mappings;  // direct, constant, fromTarget
  std::vector<DerivedMappingConfig> derived;
  std::string jsonPath;  // "targets[1]", or "target" for the single-target form

  // Target columns of the upsert key: mappings then derived mappings with upsertKey, in file order.
  std::vector<std::string> upsertKeyTargets() const;
};

struct RetryConfig {
  int count = 0;                   // 0..10 further attempts after a failed run
  int initialBackoffSeconds = 60;  // >= 1
  int maxBackoffSeconds = 900;     // >= initialBackoffSeconds
};

// What happens when a job or chain is due while its previous run is still going.
enum class OverlapPolicy { kRefuse, kQueue };  // JSON "refuse" | "queue"

// Replication (issue 10).
// "source.mode": incremental reads only what changed since the job's cursor (SystemModstamp + Id);
// kAuto (absent) is incremental when the object has SystemModstamp (describe), full otherwise.
enum class SourceMode { kAuto, kIncremental, kFull };  // JSON "incremental" | "full"
// "source.api": kAuto asks SELECT COUNT() and uses Bulk API 2.0 above bulkThreshold.
enum class SourceApi { kAuto, kRest, kBulk };  // JSON "auto" | "rest" | "bulk"
// "onSourceDelete": what a record deleted in Salesforce does to its target rows.
enum class DeletePolicy { kIgnore, kMarkDeleted, kDelete };  // "ignore" | "markDeleted" | "delete"

struct JobConfig {
  std::string file;        // absolute path of the JSON file
  std::string name;        // unique job name
  std::string connection;  // connection name
  std::string sourceObject;
  std::vector<std::string> extraFields;     // "source.fields": selected beyond the mapped ones
  std::string filter;                       // SOQL WHERE expression (without WHERE), may be empty
  std::string dedupeBy = "SystemModstamp";  // "source.dedupeBy": "" disables deduplication
  std::vector<TargetConfig> targets;        // 1..5, written in this order
  bool updateOnly = false;                  // "operation": "update" (never create)
  std::vector<std::string> dependsOn;       // job names
  bool enabled = true;
  std::string scheduleJson;  // compact "schedule" object (valid for scheduling::Schedule::parse)
                             // or empty
  RetryConfig retries;
  OverlapPolicy overlap = OverlapPolicy::kRefuse;
  std::string notificationsJson;  // compact "notifications" object, or empty (parsed by notify)
  bool successFile = false;       // write a success CSV per run

  // Replication (issue 10); JSON names in the comments.
  SourceMode mode = SourceMode::kAuto;  // "source.mode"
  SourceApi api = SourceApi::kAuto;     // "source.api"
  // "bulkThreshold" (records); unset: the connection's (ConnectionSettings::bulkThreshold).
  std::optional<std::int64_t> bulkThreshold;
  // "dryRunMaxRecords" (issue 16): the most records a dry run reads; unset: the connection's
  // (ConnectionSettings::dryRunMaxRecords).
  std::optional<std::int64_t> dryRunMaxRecords;
  // "source.overlap" (duration "5m", "300s"): incremental runs re-read this far before the cursor,
  // so rows committed late with an older SystemModstamp are still found.
  std::int64_t overlapSeconds = 300;
  DeletePolicy onSourceDelete = DeletePolicy::kIgnore;  // "onSourceDelete"
  // "massDeletePercent": a run that would delete (or mark) more than this share of a target's rows
  // fails before deleting anything (override: --allow-mass-delete=NAME).
  double massDeletePercent = 10.0;
  // "refreshCalculatedEvery" (duration "7d"): formula / roll-up fields change without touching
  // SystemModstamp; an incremental job mapping one does a full pass this often. 0 = never.
  std::int64_t refreshCalculatedEverySeconds = 0;
  // "realtime" (issue 18): Change Data Capture events of the source object are applied as they
  // arrive (Pub/Sub API), besides the scheduled runs. At most one real-time job per object and
  // connection.
  bool realtime = false;

  // Snowflake source (issue 14): "source.table" (DB.SCHEMA.TABLE) or "source.query" (one
  // SELECT), "source.incrementalColumn", "source.identifier" (the identifier column, default
  // EMAIL; the "Id" of every record). sourceObject is then the table's last name part ("QUERY"
  // for a query); "fields" are the table's columns to read.
  std::string sourceTable;
  std::string sourceQuery;
  std::string incrementalColumn;
  std::string identifierColumn = "EMAIL";
  bool snowflakeSource() const { return !sourceTable.empty() || !sourceQuery.empty(); }

  // Write-back (issue 13). "createInSalesforce": a new local row (no Salesforce Id) creates a
  // Salesforce record only when true. "externalIdField": when set, rows are written by upsert on
  // this Salesforce external-id field (a mapping with this source must exist) instead of by Id.
  bool createInSalesforce = false;
  std::string externalIdField;
  // True when any mapping of any target is toSalesforce or twoWay.
  bool writesBack() const;

  // Every field to SELECT, deduplicated case-insensitively: "Id" first, then extraFields, then
  // per target (in order) its mapping sources and derived match sources, then dedupeBy if set.
  std::vector<std::string> sourceFields() const;
};

// One edge of a chain: `job` starts only after `after` has finished with `condition`.
struct ChainDependency {
  enum class Condition {
    kSuccess,           // JSON "success"
    kSuccessOrPartial,  // JSON "successOrPartial" (some records failed)
    kAlways,            // JSON "always" (even after a failed run)
  };
  std::string job;
  std::string after;
  Condition condition = Condition::kSuccessOrPartial;
  std::string jsonPath;  // "dependencies[2]"; empty for edges derived from the jobs' dependsOn
};

struct ChainConfig {
  std::string file;
  std::string name;
  std::vector<std::string> jobs;  // the chain's jobs; the order breaks ties between ready jobs
  // Always filled: the file's "dependencies", or (when the file has none) each chain job's
  // dependsOn restricted to the chain's jobs, condition kSuccessOrPartial, in jobs/dependsOn
  // order. Derived edges are filled by loadConfig (parseChain alone cannot see the jobs).
  std::vector<ChainDependency> dependencies;
  bool explicitDependencies = false;  // true: "dependencies" came from the file (possibly [])
  std::string scheduleJson;           // compact "schedule" object (valid); may be empty
  int maxParallel = 2;                // 1..16 jobs of this chain at once
  bool pipelined = true;
  OverlapPolicy overlap = OverlapPolicy::kRefuse;
  std::string notificationsJson;  // compact "notifications" object, or empty
  bool enabled = true;
};

// A named bearer token of the admin API; only its SHA-256 digest is configured.
struct AdminToken {
  std::string name;
  std::string sha256Hex;  // 64 lower-case hex digits
  // "admin.token.<name>.role" (issue 17): "viewer", "operator" or "admin" (the default).
  std::string role = "admin";
};

struct AppConfig {
  std::string file;     // absolute path of the .properties file
  std::string baseDir;  // relative paths below are resolved against this (startup directory)
  std::vector<ConnectionConfig> connections;
  std::string storePath;  // absolute; SQLite file (postgresql: base of the daemon's local files)
  // "store.type": "sqlite" (default) or "postgresql"; with postgresql, storePostgres holds
  // store.url, store.schema, store.connectTimeoutSeconds (1..300, 10),
  // store.statementTimeoutSeconds (0..86400, 600; 0 = none) and the password from the credentials
  // store (entry "store.password"; secret, never logged).
  std::string storeType = "sqlite";
  store::PostgresSettings storePostgres;
  // "store.cacheMb", 1..4096: the SQLite page cache of the store's connection - with the fixed
  // scratch caches, what the store's memory is bounded by however large its tables grow.
  int storeCacheMb = store::kDefaultCacheMb;
  std::string adminHost = "127.0.0.1";
  int adminPort = 8085;  // 0 = any free port (the daemon logs and reports the one it bound)
  int adminThreads = 8;  // "admin.threads", 1..64
  int adminMaxConnections = 256;       // "admin.maxConnections", 1..10000
  int adminRequestTimeoutSeconds = 5;  // "admin.requestTimeoutSeconds", 1..300
  int adminKeepAliveSeconds = 2;       // "admin.keepAliveSeconds", 0..300 (0: no keep-alive)
  // Live event streams (issue 16): "admin.eventStreams" 0..64, "admin.eventKeepAliveSeconds"
  // 1..300, "admin.eventStreamMaxSeconds" 10..86400.
  int adminEventStreams = 4;
  int adminEventKeepAliveSeconds = 15;
  int adminEventStreamMaxSeconds = 900;
  std::string jobsDir;
  std::string chainsDir;
  std::string errorDir;
  std::string logFile;                  // empty: console
  std::vector<AdminToken> adminTokens;  // "admin.tokens" + "admin.token.<name>.sha256"
  std::string tlsCertificateFile;       // "admin.tls.certificateFile"; absolute, or empty
  std::string tlsPrivateKeyFile;        // "admin.tls.privateKeyFile"; set exactly when the above is
  int retentionDays = 90;               // "retention.days", 1..3650
  int schedulerMaxParallel = 2;         // "scheduler.maxParallelRuns", 1..16
  int schedulerTickSeconds = 1;         // "scheduler.tickSeconds", 1..60
  int clusterLeaseSeconds = 30;         // "cluster.leaseSeconds", 2..3600 (issue 12, PostgreSQL)
  // The encrypted credentials store (issue 15): "secrets.file" (default <store dir>/credentials.enc
  // when secrets.keyFile is set) and "secrets.keyFile"; both absolute, or empty when not used.
  std::string secretsFile;
  std::string secretsKeyFile;
  // Every "notify.*" property (after --define), unchecked: the notify module validates them.
  std::map<std::string, std::string> notifyProperties;
  // Every "log.*" and "logging.*" property (after --define), unchecked: the app validates them
  // (src/app/LogSettings).
  std::map<std::string, std::string> logProperties;
  // The property keys a --define override replaced (ConfigAuditor does not record what they change
  // as a configuration-file edit).
  std::vector<std::string> overriddenKeys;

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
