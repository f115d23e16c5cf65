// SimService: the simulator's state and request handling, independent of the socket plumbing:
// the org data (behind a reader/writer lock), OAuth sessions, open query cursors, fault switches
// and counters, and the routing of every REST endpoint (token, versions, describeGlobal, describe,
// record by Id, getDeleted, query/queryAll and their nextRecordsUrl pages, limits, record writes,
// Bulk API 2.0 query jobs through BulkQueryEndpoint, the test-only /sim/* mutations). SimServer
// owns one and feeds it the requests of its Poco HTTPServer.
//
// Thread-safety: all public methods may be called from any thread concurrently.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "salesforce_sim/AuthorizationCodes.h"
#include "salesforce_sim/BulkQueryEndpoint.h"
#include "salesforce_sim/CollectionsEndpoint.h"
#include "salesforce_sim/CursorStore.h"
#include "salesforce_sim/OAuthAuthorizeEndpoint.h"
#include "salesforce_sim/OAuthTokenEndpoint.h"
#include "salesforce_sim/OrgData.h"
#include "salesforce_sim/RecordChange.h"
#include "salesforce_sim/SessionStore.h"
#include "salesforce_sim/SimReply.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {

class SimService {
 public:
  static constexpr std::size_t kMaxBodyBytes = 8 * 1024 * 1024;  // larger request bodies: 413

  // Loads the org described by `options` (throws std::runtime_error on a bad org directory).
  explicit SimService(const SimOptions& options);

  void setBaseUrl(const std::string& baseUrl);
  std::string baseUrl() const;

  // Answers one HTTP request (never throws).
  void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  // ---- data (write lock) ----
  std::string upsertRecord(const std::string& object, const std::string& jsonRecord);
  void setField(const std::string& object, const std::string& id, const std::string& field,
                const std::string& jsonValue);
  void deleteRecord(const std::string& object, const std::string& id);
  void clearObject(const std::string& object);
  void undeleteRecord(const std::string& object, const std::string& id);
  std::string commitLate(const std::string& object, const std::string& jsonRecord,
                         std::int64_t stampMs);
  void hardDeleteRecord(const std::string& object, const std::string& id);
  void setEarliestDateAvailable(std::int64_t epochMs) { earliestForTest_ = epochMs; }  // 0: default
  void generateAccounts(std::size_t n);
  void generateContacts(std::size_t n, std::size_t duplicateEmailEvery = 0);
  void addObject(const std::string& describeJson);
  std::size_t recordCount(const std::string& object) const;
  void setNowForTest(std::int64_t epochMs);  // 0: real clock

  // ---- faults ----
  void expireSessionOnce() { expireOnce_ = true; }
  void revokeAllSessions() { sessions_.revokeAll(); }
  void setPassword(const std::string& password);
  void fail500(int times) { fail500_ = times; }
  void malformedPageOnce() { malformedOnce_ = true; }
  void setLatencyMs(int ms) { latencyMs_ = ms; }
  void setBatchSize(int n) { batchSize_ = n; }
  void setApiLimit(std::int64_t max, std::int64_t used);
  void expireQueryLocators() { cursors_.clear(); }
  void expireQueryLocatorsAfterPages(int pages) { expireAfterPages_ = pages; }
  void claimTotalSize(std::int64_t totalSize) { claimedTotalSize_ = totalSize; }
  void rewritePages(const std::string& from, const std::string& to);
  void resetNextResponses(int n) { resetNext_ = n; }
  // The next sObject Collections request is carried out, then answered by a closed connection.
  void dropCollectionsAnswerOnce() { dropCollectionsAnswer_ = true; }
  void oversizeCollectionsAnswerOnce(std::size_t bytes) { oversizeCollectionsAnswer_ = bytes; }
  void stallNextResponses(int n, int ms) {
    stallMs_ = ms;
    stallNext_ = n;
  }
  void holdNextPage(int n);
  void releaseHeldPage();
  bool holdingPage() const;
  BulkQueryEndpoint& bulk() { return bulk_; }
  // sObject Collections writes and their faults (validation rule, locked row).
  CollectionsEndpoint& collections() { return collections_; }

  // ---- observation ----
  std::int64_t tokenRequests() const { return tokenRequests_; }
  std::int64_t dataRequests() const { return dataRequests_; }
  std::int64_t queryRequests() const { return queryRequests_; }
  std::int64_t apiUsage() const { return apiUsed_; }
  std::size_t openCursors() const { return cursors_.size(); }

  // ---- change capture (issue 18: the Pub/Sub simulator) ----
  // Every record write after this call (REST writes, upsertRecord, setField, deleteRecord,
  // undeleteRecord, commitLate, hardDeleteRecord; not the generators or clearObject) is reported to
  // `listener` after the org lock is released. Empty: off.
  void setChangeListener(ChangeListener listener);
  bool validAccessToken(const std::string& token) const { return sessions_.valid(token); }
  const std::string& orgId() const { return orgId_; }
  // A copy of an object's schema (nullptr for an unknown object).
  std::shared_ptr<const ObjectSchema> schemaOf(const std::string& object) const;

 private:
  SimReply dispatch(Poco::Net::HTTPServerRequest& request);
  SimReply data(Poco::Net::HTTPServerRequest& request, const std::string& path,
                const std::string& rawQuery, const std::string& body);
  SimReply query(Poco::Net::HTTPServerRequest& request, const std::string& version,
                 const std::string& rawQuery, bool queryAll);
  SimReply nextPage(const std::string& version, const std::string& locatorAndOffset);
  SimReply write(const std::string& method, const std::vector<std::string>& rest,
                 const std::string& body);
  SimReply simEndpoint(Poco::Net::HTTPServerRequest& request, const std::string& path,
                       const std::string& rawQuery);
  SimReply sobjects(const std::string& version, const std::vector<std::string>& rest,
                    const std::string& rawQuery);
  SimReply deleted(const RecordTable& table, const std::string& rawQuery) const;
  SimReply limits() const;
  std::string pageOf(const std::shared_ptr<const QueryCursor>& cursor, std::size_t from,
                     const std::string& version, const std::string& locator);
  std::size_t pageSizeFor(const Poco::Net::HTTPServerRequest& request) const;
  std::int64_t now() const;
  // Change capture helpers (caller holds the org write lock for rowFor/capture): the current row of
  // a record (null when absent, the Id is malformed, or nobody listens).
  RowPtr rowFor(const std::string& object, const std::string& id) const;
  void capture(const std::string& object, const std::string& id, RowPtr before,
               std::vector<RecordChange>& out) const;
  void publish(const std::vector<RecordChange>& changes) const;

  SimOptions options_;
  std::string orgId_;
  std::string userId_;

  mutable std::shared_mutex orgMutex_;
  OrgData org_;

  SessionStore sessions_;
  AuthorizationCodes authorizationCodes_;
  OAuthTokenEndpoint tokenEndpoint_;
  OAuthAuthorizeEndpoint authorizeEndpoint_;
  CursorStore cursors_;
  BulkQueryEndpoint bulk_;
  CollectionsEndpoint collections_;

  mutable std::mutex configMutex_;  // guards baseUrl_, password_, rewriteFrom_, rewriteTo_
  std::string baseUrl_;
  std::string password_;
  std::string rewriteFrom_;
  std::string rewriteTo_;

  std::atomic<bool> expireOnce_{false};
  std::atomic<int> fail500_{0};
  std::atomic<bool> malformedOnce_{false};
  std::atomic<int> resetNext_{0};
  std::atomic<bool> dropCollectionsAnswer_{false};
  std::atomic<std::size_t> oversizeCollectionsAnswer_{0};
  std::atomic<int> stallNext_{0};
  std::atomic<int> stallMs_{0};
  // holdNextPage: the countdown to the held next-page request, how many are held now, and the
  // holds armed and released so far (all guarded by holdMutex_).
  mutable std::mutex holdMutex_;
  std::condition_variable holdReleased_;
  int holdCountdown_ = 0;
  int holding_ = 0;
  std::uint64_t holdsArmed_ = 0;
  std::uint64_t holdsReleased_ = 0;
  void waitIfHeld();
  std::atomic<int> expireAfterPages_{0};
  std::atomic<std::int64_t> claimedTotalSize_{-1};
  std::atomic<int> latencyMs_{0};
  std::atomic<int> batchSize_;
  std::atomic<std::int64_t> nowForTest_{0};
  std::atomic<std::int64_t> earliestForTest_{0};
  std::atomic<std::int64_t> apiMax_{15000};
  std::atomic<std::int64_t> apiUsed_{0};
  std::atomic<std::int64_t> tokenRequests_{0};
  std::atomic<std::int64_t> dataRequests_{0};
  std::atomic<std::int64_t> queryRequests_{0};

  mutable std::mutex listenerMutex_;  // guards changeListener_
  ChangeListener changeListener_;
  std::atomic<bool> capturing_{false};
};

}  // namespace sfsync::sim
