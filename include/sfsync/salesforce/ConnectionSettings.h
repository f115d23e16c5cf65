// ConnectionSettings: everything the Salesforce client needs to reach and authenticate against one
// org. Plain data filled by the config loader; secrets are held in memory only and never logged or
// printed.
//
// Thread-safety: plain value type.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sfsync::salesforce {

// Upper bound of dryRunMaxRecords (connection and job keys, CLI and API overrides).
inline constexpr std::int64_t kMaxDryRunRecords = 1000000;

enum class OrgType {
  kProduction,    // https://login.salesforce.com
  kSandbox,       // https://test.salesforce.com
  kCustomDomain,  // customDomainUrl, e.g. https://acme.my.salesforce.com (or the simulator on
                  // loopback)
};

enum class AuthFlow {
  kPassword,      // grant_type=password; password + security token appended
  kRefreshToken,  // grant_type=refresh_token
  kJwtBearer,     // grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, RS256 assertion signed
                  // with jwtPrivateKeyFile (iss clientId, sub username, aud loginUrl(), exp +3 min)
  kWebServer,     // issue 17: the refresh token comes from the OAuth web-server flow with PKCE run
                  // on the admin page (WebServerFlow); runs use grant_type=refresh_token. No
                  // refresh token yet = the connection is not authorised (runs fail clearly).
};

// "password", "refresh_token", "jwt_bearer" or "web_server" (the connection.<n>.authFlow spelling).
const char* authFlowName(AuthFlow flow);

struct ConnectionSettings {
  std::string name;
  OrgType orgType = OrgType::kProduction;
  std::string customDomainUrl;  // only for kCustomDomain; scheme + host (+ port)
  AuthFlow authFlow = AuthFlow::kPassword;
  std::string clientId;
  std::string clientSecret;
  std::string username;
  std::string password;
  std::string securityToken;
  std::string refreshToken;
  // kJwtBearer: absolute path of the connected app's PEM RSA private key (read at every token
  // request, so a rotated key is picked up without a restart). connection.<n>.jwt.privateKeyFile
  std::string jwtPrivateKeyFile;
  std::string apiVersion = "v62.0";

  // Transport policy.
  std::chrono::milliseconds timeout{60000};  // per HTTP request
  int maxRetries = 4;                        // for 5xx / network / malformed page
  std::chrono::milliseconds initialBackoff{500};
  std::chrono::milliseconds maxBackoff{30000};
  int queryBatchSize = 2000;  // Sforce-Query-Options: batchSize=N (200..2000)
  std::string caFile;         // optional extra CA bundle for HTTPS
  bool verifyCertificates = true;

  // Limits against a hostile or broken server (issue 9).
  // Largest response body after gzip inflation (and largest compressed body read), in bytes.
  std::int64_t maxResponseBytes = 64ll << 20;  // connection.<n>.maxResponseBytes
  // A streamed Bulk result set (never held whole: memory is a page and a read-ahead window): its
  // bytes, read and inflated. One CSV record is still capped at maxResponseBytes.
  std::int64_t maxStreamedResponseBytes = 4ll << 30;  // connection.<n>.maxStreamedResponseBytes
  // HTTP requests to the instance one query() may make (pages and retries included).
  std::int64_t maxCallsPerRun = 100000;  // connection.<n>.maxCallsPerRun
  // Whole-response deadline: from sending a request to the last body byte.
  std::chrono::seconds responseDeadline{300};  // connection.<n>.responseDeadlineSeconds

  // Real-time sync (issue 18): the Pub/Sub API endpoint (host:port) of the org's Change Data
  // Capture events; TLS unless the host is loopback (the simulator). connection.<n>.pubsubEndpoint
  std::string pubsubEndpoint = "api.pubsub.salesforce.com:7443";

  // Replication (issue 10).
  // Above this many records (SELECT COUNT()), a job with "source.api": "auto" extracts through
  // Bulk API 2.0 instead of REST paging. connection.<n>.bulkThreshold; a job's own
  // "bulkThreshold" wins.
  std::int64_t bulkThreshold = 10000;
  // Dry runs (issue 16): the most records a dry run of this connection's jobs reads, unless the
  // job's own "dryRunMaxRecords" or the request says otherwise. connection.<n>.dryRunMaxRecords.
  std::int64_t dryRunMaxRecords = 10000;
  // The share of the org's daily API maximum (Sforce-Limit-Info / limits) this connection never
  // takes usage past; a call that would is not sent (kApiBudgetExhausted) and the run ends
  // Deferred. connection.<n>.apiBudgetPercent, 1..100.
  int apiBudgetPercent = 90;
  // A Bulk query job still UploadComplete/InProgress after this long is aborted and the run fails.
  // connection.<n>.bulkPollTimeoutSeconds.
  std::chrono::seconds bulkPollTimeout{1800};
  // maxRecords per Bulk result set request. connection.<n>.bulkMaxRecords.
  std::int64_t bulkMaxRecords = 100000;
  // Metadata (issue 15): a cached describe older than this many days is fetched again (at run time
  // and by the daemon's daily housekeeping). connection.<n>.metadataRefreshDays, 1..365.
  int metadataRefreshDays = 7;

  // The login host URL for the token endpoint, derived from orgType / customDomainUrl.
  std::string loginUrl() const;
};

}  // namespace sfsync::salesforce
