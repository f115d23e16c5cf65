// PgRunClaims: scheduling::RunClaims over PostgreSQL (see include/sfsync/store/PostgresRunClaims.h
// for the contract and the tables). Private to the store module; built by openPostgresRunClaims.
//
// Thread-safety: every public method takes mu_, which guards the connection only (claims are
// short statements; no caller's lock is held while they run).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "sfsync/scheduling/RunClaims.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PgRunClaims final : public scheduling::RunClaims {
 public:
  static Result<std::unique_ptr<PgRunClaims>> open(const PostgresSettings& settings,
                                                   int leaseSeconds);
  // A daemon that stops cleanly leaves the cluster view (its sfsync_daemons row is removed).
  ~PgRunClaims() override;

  bool clustered() const override { return true; }
  std::string daemonId() const override { return id_; }
  Result<scheduling::ClaimDecision> claim(const scheduling::ClaimRequest& request) override;
  Status finish(const std::string& key, const std::string& status,
                const std::string& executionId) override;
  Status release(const std::string& key) override;
  Status heartbeat() override;
  Result<std::vector<scheduling::AdoptedRun>> adoptExpired(int max) override;
  Result<scheduling::ClusterView> view() override;
  std::chrono::milliseconds beatInterval() const override;

 private:
  PgRunClaims(PostgresSettings settings, int leaseSeconds);
  // The connection, opened again when it was lost; nullptr with the reason in `error`.
  PgConnection* connection(Status& error);
  Status createTables(PgConnection& db);
  // Inside claim()'s transaction.
  Result<scheduling::ClaimDecision> decide(PgConnection& db,
                                           const scheduling::ClaimRequest& request,
                                           const std::string& key);
  // Ends this daemon's claim `key`; kUnavailable when it is no longer this daemon's.
  Status closeClaim(PgConnection& db, const std::string& key, const std::string& status,
                    const std::string& executionId);

  const PostgresSettings settings_;
  const int leaseSeconds_;
  const std::string host_;
  const long pid_;
  const std::string id_;
  std::mutex mu_;
  std::unique_ptr<PgConnection> db_;
  std::uint64_t runNowCounter_ = 0;
  std::string startedAt_;  // ISO-8601, the first heartbeat's server time
  // Under mu_: the claims this daemon holds (granted or adopted, not finished or released); only
  // these are renewed by heartbeat().
  std::set<std::string> mine_;
  // Under mu_: claims whose finish() failed (key -> status, execution id); retried every beat.
  std::map<std::string, std::pair<std::string, std::string>> unfinished_;
};

}  // namespace sfsync::store
