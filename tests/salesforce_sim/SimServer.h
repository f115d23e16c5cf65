// SimServer: an in-process fake Salesforce org behind a real Poco HTTPServer on a loopback port 0
// socket. It speaks the same REST shapes as Salesforce (see ../shared/notes/salesforce-api.md):
//   POST /services/oauth2/token               (grant_type=password | refresh_token | JWT bearer |
//                                              authorization_code with PKCE)
//   GET/POST /services/oauth2/authorize       (web-server flow: login form, consent, redirect)
//   GET  /services/data/                      (versions)
//   GET  /services/data/vNN.N/sobjects/{Obj}/describe
//   GET  /services/data/vNN.N/query?q=SOQL     (+ queryAll) and the nextRecordsUrl pages
//   GET  /services/data/vNN.N/limits
//   POST/PATCH/DELETE /services/data/vNN.N/sobjects/{Obj}[/{Id}]   (record writes)
//   /services/data/vNN.N/jobs/query...         (Bulk API 2.0 query jobs, CSV results)
//   POST /sim/...                              (test-only mutations for out-of-process use)
// with Salesforce's error bodies ([{"message","errorCode"}]) and the Sforce-Limit-Info header.
// Seeded from an org directory of JSON files; fault switches let tests provoke expired sessions,
// 500s, malformed pages and CSV sets, connection resets, stuck or failed Bulk jobs and slow
// answers.
//
// Thread-safety: all public methods may be called from any thread while the server runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "salesforce_sim/RecordChange.h"

namespace sfsync::sim {

struct SimOptions {
  std::string orgDir;   // directory of the org's JSON files; empty: SFSYNC_SAMPLE_ORG_DIR
  bool loadOrg = true;  // false: start with the org's describes but no records
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  int batchSize = 2000;    // default page size (Sforce-Query-Options can lower it, 200..2000)
  // Accepted credentials (the password grant expects password + securityToken concatenated).
  std::string clientId = "sfsync-sample-client";
  std::string clientSecret = "sample-secret";
  std::string username = "admin@sample.sfsync";
  std::string password = "sample-password";
  std::string securityToken = "SAMPLETOKEN";
  std::string refreshToken = "sample-refresh-token";
  // The connected app's callback URL: an authorize request's redirect_uri must equal it. Empty:
  // any redirect_uri is accepted (tests whose callback port is only known later).
  std::string oauthCallbackUrl;
  bool multiCurrency = true;  // false: no CurrencyType object, no CurrencyIsoCode fields
  // JWT bearer grants (grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer): the connected
  // app's certificate or RSA public key, PEM text. Empty: every assertion is refused
  // (invalid_grant "invalid assertion"). Throws std::invalid_argument at construction when set but
  // not a PEM certificate or RSA public key.
  std::string jwtCertificatePem;
  // The accepted "aud"; empty: the simulator's base URL (the login URL of a custom-domain
  // connection pointed at it).
  std::string jwtAudience;
  // How far past its "exp" an assertion is still accepted.
  int jwtClockSkewSeconds = 30;
};

class SimServer {
 public:
  explicit SimServer(SimOptions options = {});
  ~SimServer();  // stops the server
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  void start();
  void stop();
  std::uint16_t port() const;
  std::string baseUrl() const;  // "http://127.0.0.1:PORT"; use as login and instance URL

  // ---- data ----
  // Inserts or replaces (by "Id") a record given as a JSON object text, e.g.
  // R"({"Id":"001...","Name":"Acme","NumberOfEmployees":5})". Reference fields hold Ids;
  // relationship paths (Account.Name) are resolved by the simulator through
  // referenceTo/relationshipName.
  void upsertRecord(const std::string& object, const std::string& jsonRecord);
  // Sets one field of one record to a JSON value text ("null", "42", "\"abc\"").
  void setField(const std::string& object, const std::string& id, const std::string& field,
                const std::string& jsonValue);
  void deleteRecord(const std::string& object, const std::string& id);
  // Removes every record of an object.
  void clearObject(const std::string& object);
  // Generates n synthetic Accounts (18-char Ids, Name, NumberOfEmployees, Industry, AnnualRevenue,
  // Phone, Website, BillingCity, BillingCountry, CreatedDate, SystemModstamp).
  void generateAccounts(std::size_t n);
  // Generates n synthetic Contacts spread over the existing Accounts (AccountId, FirstName,
  // LastName, Email, ReportsToId within the same account, ...).
  void generateContacts(std::size_t n, std::size_t duplicateEmailEvery = 0);
  std::size_t recordCount(const std::string& object) const;
  // Like upsertRecord, but returns the record's 18-character Id (a fresh one when the JSON has no
  // "Id"). Missing CreatedDate/LastModifiedDate/SystemModstamp are set to "now", IsDeleted to
  // false.
  std::string insertRecord(const std::string& object, const std::string& jsonRecord);
  // Restores a soft-deleted record (IsDeleted false, LastModifiedDate/SystemModstamp now). Throws
  // std::invalid_argument for unknown records and records not in the recycle bin.
  void undeleteRecord(const std::string& object, const std::string& id);
  // Inserts (no or unknown "Id") or updates (the given fields merged into the row) a record whose
  // LastModifiedDate and SystemModstamp become `stampIso` (CreatedDate too for an insert without
  // one): a transaction that committed late with an older stamp. Returns the record's Id.
  std::string commitLate(const std::string& object, const std::string& jsonRecord,
                         const std::string& stampIso);
  // Removes the row for good (the recycle bin was emptied): gone from query, queryAll and
  // sobjects/{Object}/deleted. Throws std::invalid_argument for unknown records.
  void hardDeleteRecord(const std::string& object, const std::string& id);
  // The earliestDateAvailable of sobjects/{Object}/deleted (older deletions are not listed); an
  // empty string returns to the default, now - 15 days.
  void setEarliestDateAvailable(const std::string& isoDatetime);
  // Adds (or replaces) an sObject from a describe-shaped JSON text (see README.md, org format).
  void addObject(const std::string& describeJson);
  // Fixes the clock used for stamps written by the data methods ("2025-03-01T12:00:00Z"); an empty
  // string returns to the real clock.
  void setNowForTest(const std::string& isoDatetime);

  // ---- faults (each "once" switch fires on the next matching request, then resets) ----
  void expireSessionOnce();  // next data call answers 401 INVALID_SESSION_ID; token is revoked
  void revokeAllSessions();  // every current token becomes invalid (password changed)
  void setPasswordForTest(const std::string& password);  // later password grants need the new one
  void fail500Once(int times = 1);                       // next `times` data calls answer 500
  void malformedPageOnce();   // next query page (first or next) returns truncated JSON
  void setLatencyMs(int ms);  // every answer is delayed this long
  void setBatchSize(int n);
  // Sets the daily API allowance and the calls already used; once used exceeds max, data calls
  // answer 403 REQUEST_LIMIT_EXCEEDED ("TotalRequests Limit exceeded.").
  void setApiLimit(std::int64_t max, std::int64_t used = 0);
  // Releases every open query cursor: later nextRecordsUrl calls answer 400 INVALID_QUERY_LOCATOR.
  void expireQueryLocators();
  // Once `pages` more query pages (first or next) have been answered, releases every open cursor
  // like expireQueryLocators(): a query fails mid-extract on its next page with 400
  // INVALID_QUERY_LOCATOR. Fires once.
  void expireQueryLocatorsAfterPages(int pages);
  // Hostile-server faults (stay on until changed):
  // every query page claims this totalSize (-1: the true count);
  void claimTotalSize(std::int64_t totalSize);
  // every query page has each occurrence of `from` replaced by `to`, byte for byte (e.g. a value
  // turned into an object or into invalid UTF-8); an empty `from` turns it off.
  void rewritePages(const std::string& from, const std::string& to);
  // The next `n` data answers (REST and Bulk, anything under /services/data) are never sent: the
  // connection is closed with a TCP reset instead. They are not counted as API usage.
  void resetNextResponses(int n);
  // The next n data answers are held `ms` before they are answered (a slow or stalled server).
  void stallNextResponses(int n, int ms);
  // The `n`th next-page request (GET of a nextRecordsUrl) from now waits, before it is answered,
  // until releaseHeldPage() (at most 60 s). holdingPage(): such a request is waiting now.
  void holdNextPage(int n);
  void releaseHeldPage();
  bool holdingPage() const;

  // ---- Bulk API 2.0 query jobs ----
  // Status polls (GET /jobs/query/{id}) until a job is JobComplete: 2 by default
  // (UploadComplete -> InProgress -> JobComplete); 0: complete at once. Applies to new jobs.
  void setBulkPollsToComplete(int n);
  // true: unfinished jobs stay InProgress on every poll (a stuck job) until released.
  void holdBulkJobs(bool hold);
  // The next created job turns Failed (errorMessage `message`) on its first status poll.
  void failNextBulkJob(const std::string& message);
  // The next results answer is cut inside a quoted field, with HTTP 200 and headers
  // (Sforce-NumberOfRecords, Sforce-Locator) promising the full set.
  void malformedBulkResultOnce();

  // ---- observation ----
  std::int64_t tokenRequests() const;
  std::int64_t dataRequests() const;   // every non-token request
  std::int64_t queryRequests() const;  // query + nextRecordsUrl pages
  std::int64_t apiUsage() const;       // the USED of Sforce-Limit-Info (authenticated data calls)

  // ---- change capture (issue 18; tests/pubsub_sim publishes these as CDC events) ----
  // See SimService::setChangeListener: record writes are reported after they commit; empty: off.
  void setChangeListener(ChangeListener listener);
  // True when `token` is a live OAuth access token of this org (the Pub/Sub API's accesstoken).
  bool validAccessToken(const std::string& token) const;
  std::string orgId() const;  // the org's 18-character Id (the Pub/Sub API's tenantid)
  // A copy of an object's schema (describe), nullptr for an unknown object.
  std::shared_ptr<const ObjectSchema> objectSchema(const std::string& object) const;
  // ---- sObject Collections writes (issue 13) ----
  // A write setting `field` of `object` to the JSON value `jsonValue` ("\"Bad\"", "42") fails
  // with FIELD_CUSTOM_VALIDATION_EXCEPTION and `message`.
  void addValidationRule(const std::string& object, const std::string& field,
                         const std::string& jsonValue, const std::string& message);
  // The next write of record `id` (18 characters) fails with UNABLE_TO_LOCK_ROW, once.
  void lockRowOnce(const std::string& id);
  std::int64_t collectionCalls() const;             // sObject Collections requests received
  std::vector<std::string> bulkJobQueries() const;  // the SOQL of each Bulk query job, in order
  // The next sObject Collections request is carried out (records written) and then the connection
  // is closed without an answer, once: a create whose answer was lost (issue 13).
  void dropCollectionsAnswerOnce();
  // The next sObject Collections write is carried out and its answer padded to over `bytes` bytes
  // (a client with a smaller maxResponseBytes cannot read it).
  void oversizeCollectionsAnswerOnce(std::size_t bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sfsync::sim
