// AdminControl: the narrow, thread-safe interface the admin HTTP API uses to read the daemon's
// configuration and scheduler state and to act on it (run-now, pause/resume, disconnect, and the
// one-shot replication requests full-resync / allow-mass-delete, and reloading the configuration).
// Implemented in src/app over the Scheduler; tests implement it with a fake. Every method may be
// called from any HTTP worker thread concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/RealtimeStats.h"
#include "sfsync/core/Result.h"
#include "sfsync/scheduling/RunClaims.h"

namespace sfsync::admin {

// The largest maxRecords a dry run may be asked for (salesforce::kMaxDryRunRecords).
inline constexpr std::int64_t kMaxDryRunRecordsParameter = 1000000;

// What the admin page shows per job, chain or connection.
struct EntrySummary {
  std::string kind;  // "job", "chain" or "connection"
  std::string name;
  std::string connection;            // for jobs; chains list theirs in members
  std::string file;                  // configuration file, if any
  std::string schedule;              // human-readable schedule, "" when unscheduled / in a chain
  std::string chain;                 // for a job inside a chain: the chain that runs it
  std::vector<std::string> members;  // a chain's jobs, a connection's jobs
  bool paused = false;
  bool running = false;     // busy: an attempt runs, or the run waits to retry (run-now says 409)
  bool retrying = false;    // waiting for attempt `attempt` at nextAttempt
  int attempt = 0;          // while running: the current or next attempt (1, 2, ...), else 0
  std::string nextAttempt;  // ISO-8601 UTC while retrying, else ""
  bool disconnected = false;
  std::string nextRun;         // ISO-8601 UTC or ""
  std::string lastStatus;      // of the newest execution, or ""
  std::string lastRun;         // start of the newest execution, or ""
  std::string definitionJson;  // the job/chain file's JSON (secrets never included)
  // Jobs (issue 15): a metadata refresh found a mapped field gone or retyped; runs fail at once.
  bool invalid = false;
  std::string invalidReason;   // METADATA_FIELD_MISSING / METADATA_TYPE_CHANGED, or ""
  std::string invalidMessage;  // names the field, or ""
  // Connections (issue 17, the connections page); empty / -1 when unknown.
  std::string orgType;            // "production", "sandbox" or "custom"
  std::string loginUrl;           // the login host (custom domain included)
  std::string instanceUrl;        // from the last authorisation or login, "" before
  std::string username;           // the configured user, "" when the flow has none
  std::string apiVersion;         // "v62.0"
  std::string authFlow;           // "password", "refresh_token", "jwt_bearer", "web_server"
  bool authorized = true;         // false: web_server flow without a refresh token yet
  std::string authorizedAt;       // ISO-8601 UTC of the last authorisation, or ""
  std::string metadataFetchedAt;  // oldest cached describe's fetch time, or "" (none cached)
  std::int64_t apiUsed = -1;      // daily API requests used (the last /limits seen), or -1
  std::int64_t apiMax = -1;       // daily API maximum, or -1
  std::string apiCheckedAt;       // when apiUsed/apiMax were seen, or ""
  // Jobs (issue 18): the live numbers of a running real-time job as JSON (admin::RealtimeJson),
  // "" when the job has no real-time side running.
  std::string realtimeJson;
};

// The answer to a configuration reload (POST /api/reload, SIGHUP).
struct ReloadOutcome {
  bool applied = false;               // false: refused, the old configuration keeps running
  std::vector<std::string> problems;  // why it was refused: every problem, "file: path: message"
  std::vector<std::string> changes;   // what the reload changed ("job 'X' added", ...)
  // Changed settings that only a restart applies ("admin.port"); the rest was applied.
  std::vector<std::string> needsRestart;
};

class AdminControl {
 public:
  virtual ~AdminControl() = default;

  virtual std::vector<EntrySummary> connections() = 0;
  virtual std::vector<EntrySummary> jobs() = 0;
  virtual std::vector<EntrySummary> chains() = 0;

  // Actions on a job, chain or connection. Errors: kNotFound (unknown name), kInvalidArgument
  // (refused, e.g. "'Company Sync' is already running" -> HTTP 409). On success a short message
  // ("started", "queued", "paused", ...).
  virtual Result<std::string> runNow(const std::string& kind, const std::string& name,
                                     const std::string& actor) = 0;
  virtual Result<std::string> pause(const std::string& kind, const std::string& name,
                                    const std::string& actor) = 0;
  virtual Result<std::string> resume(const std::string& kind, const std::string& name,
                                     const std::string& actor) = 0;
  // Connections only.
  virtual Result<std::string> disconnect(const std::string& name, const std::string& actor) = 0;
  virtual Result<std::string> reconnect(const std::string& name, const std::string& actor) = 0;
  // Jobs only: one-shot replication requests for the job's next run (issue 10) - a full resync
  // (reads every record; nothing is dropped) and allowing a mass delete (may delete more than the
  // job's massDeletePercent). Accepted while the job runs (the next run picks them up); recorded as
  // update activity. kNotFound for an unknown job.
  virtual Result<std::string> fullResync(const std::string& job, const std::string& actor) = 0;
  virtual Result<std::string> allowMassDelete(const std::string& job, const std::string& actor) = 0;
  // Re-reads the configuration files (conf, jobs, chains) and applies them when valid (see
  // DaemonRuntime::reload). A refused reload is a ReloadOutcome with applied == false, not an
  // error; errors are for a daemon that cannot reload at all (kUnavailable, the default).
  virtual Result<ReloadOutcome> reload(const std::string& actor) {
    (void)actor;
    return Status::Unavailable("this daemon cannot reload its configuration");
  }
  // Connections only (issue 15): re-describes every object the connection's jobs use, updates the
  // describe cache and marks / unmarks jobs whose mapped fields changed. Runs synchronously (one
  // describe per object). kNotFound for an unknown connection; kUnavailable when Salesforce could
  // not be reached. On success a summary ("3 object(s) described, 1 job(s) invalid: ...").
  virtual Result<std::string> refreshMetadata(const std::string& connection,
                                              const std::string& actor) = 0;
  // Issue 16: re-runs only the records execution `executionId` failed (jobs::FailedRerun) as a new
  // execution of its job linked by rerunOf, started like run-now (queued behind a running run).
  // kNotFound: unknown execution, its error file gone, or its job no longer configured;
  // kInvalidArgument (HTTP 409): no error file / no failed record, a chain or unfinished execution.
  // On success a short message. The default: kUnavailable.
  virtual Result<std::string> rerunFailed(const std::string& executionId,
                                          const std::string& actor) {
    (void)executionId;
    (void)actor;
    return Status::Unavailable("this daemon cannot re-run failed records");
  }
  // Jobs only (issue 16): a dry run (jobs::DryRun) - extract, map, resolve and compare with the
  // store, writing nothing - synchronously; returns the report as JSON (jobs::dryRunJson).
  // `maxRecords` > 0 overrides the job's dryRunMaxRecords. kNotFound for an unknown job,
  // kInvalidArgument while the job runs (HTTP 409), kUnavailable when this daemon cannot dry-run
  // (the default), other codes when Salesforce or the store failed it.
  virtual Result<std::string> dryRun(const std::string& job, std::int64_t maxRecords,
                                     const std::string& actor) {
    (void)job;
    (void)maxRecords;
    (void)actor;
    return Status::Unavailable("this daemon cannot dry-run jobs");
  }

  // ---- Issue 17: connections page, OAuth web-server flow with PKCE ----
  // The redirect_uri of a connection with authFlow = web_server: connection.<n>.oauth.callbackUrl
  // when set, else `defaultRedirectUri` (the admin port's /oauth/callback as the page reached it).
  // kNotFound unknown connection; kInvalidArgument (HTTP 409) another auth flow.
  virtual Result<std::string> oauthRedirectUri(const std::string& connection,
                                               const std::string& defaultRedirectUri) {
    (void)connection;
    (void)defaultRedirectUri;
    return Status::Unavailable("this daemon cannot authorise connections");
  }
  // The login host's authorize URL (response_type=code, client_id, redirect_uri, S256
  // code_challenge, state). Errors as oauthRedirectUri.
  virtual Result<std::string> authorizeUrl(const std::string& connection,
                                           const std::string& redirectUri, const std::string& state,
                                           const std::string& codeChallenge) {
    (void)connection;
    (void)redirectUri;
    (void)state;
    (void)codeChallenge;
    return Status::Unavailable("this daemon cannot authorise connections");
  }
  // Exchanges the callback's code (with the PKCE verifier and the same redirect_uri), stores the
  // refresh token in the encrypted credentials store, records the authorisation (update activity
  // and ConnectionAuthorizer: the OOB jobs on the first one) and reloads. On success a short
  // message. kUnauthenticated when the token endpoint refused the code.
  virtual Result<std::string> completeAuthorization(const std::string& connection,
                                                    const std::string& code,
                                                    const std::string& codeVerifier,
                                                    const std::string& redirectUri,
                                                    const std::string& actor) {
    (void)connection;
    (void)code;
    (void)codeVerifier;
    (void)redirectUri;
    (void)actor;
    return Status::Unavailable("this daemon cannot authorise connections");
  }
  // Logs in and reads /limits; on success a JSON object {"ok":true,"latencyMs","apiUsed",
  // "apiMax","instanceUrl"}; a failed login or call is also an answer ({"ok":false,"error"}).
  // kNotFound unknown connection.
  virtual Result<std::string> testConnection(const std::string& connection,
                                             const std::string& actor) {
    (void)connection;
    (void)actor;
    return Status::Unavailable("this daemon cannot test connections");
  }

  // ---- Issue 18: the live numbers of the real-time jobs running now (one per enabled job with
  // "realtime": true), in configuration order. The default: none.
  virtual std::vector<RealtimeStats> realtime() { return {}; }

  // Issue 12: the daemons sharing the store (heartbeats) and which daemon runs what
  // (GET /api/cluster). Default: kUnavailable (a control without a daemon runtime).
  virtual Result<scheduling::ClusterView> cluster() {
    return Status::Unavailable("this daemon has no cluster view");
  }
};

}  // namespace sfsync::admin
