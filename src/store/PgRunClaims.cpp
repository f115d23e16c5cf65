#include "store/PgRunClaims.h"

#include <Poco/Environment.h>
#include <Poco/Process.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "sfsync/store/PostgresRunClaims.h"

namespace sfsync::store {

namespace {

using P = std::optional<std::string>;

const char* const kTables =
    "CREATE TABLE IF NOT EXISTS sfsync_daemons ("
    " daemon_id text PRIMARY KEY, host text NOT NULL, pid bigint NOT NULL,"
    " started_at timestamptz NOT NULL, beat_at timestamptz NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sfsync_claims ("
    " slot_key text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, trigger text NOT NULL,"
    " slot timestamptz, locks text[] NOT NULL, daemon_id text NOT NULL,"
    " claimed_at timestamptz NOT NULL, lease_until timestamptz NOT NULL,"
    " finished_at timestamptz, status text, execution_id text, message text,"
    " adoptions integer NOT NULL DEFAULT 0, previous_daemon text);"
    "CREATE INDEX IF NOT EXISTS sfsync_claims_open ON sfsync_claims (lease_until)"
    " WHERE finished_at IS NULL;";

// ISO-8601 UTC text of a timestamptz column (the session's time zone is UTC).
std::string iso(const std::string& column) {
  return "to_char(" + column + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

std::string randomHex() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
  return buf;
}

// A PostgreSQL text[] literal: every element double-quoted, quotes and backslashes escaped.
std::string arrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string millisOf(Clock::TimePoint t) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

scheduling::RunKind kindOf(const std::string& text) {
  return text == "chain" ? scheduling::RunKind::kChain : scheduling::RunKind::kJob;
}

}  // namespace

PgRunClaims::PgRunClaims(PostgresSettings settings, int leaseSeconds)
    : settings_(std::move(settings)),
      leaseSeconds_(leaseSeconds),
      host_(Poco::Environment::nodeName()),
      pid_(static_cast<long>(Poco::Process::id())),
      id_(randomHex() + "@" + host_ + ":" + std::to_string(pid_)) {}

Result<std::unique_ptr<PgRunClaims>> PgRunClaims::open(const PostgresSettings& settings,
                                                       int leaseSeconds) {
  std::unique_ptr<PgRunClaims> claims(new PgRunClaims(settings, leaseSeconds));
  Status error = Status::OK();
  std::lock_guard<std::mutex> lock(claims->mu_);
  PgConnection* db = claims->connection(error);
  if (db == nullptr) return error;
  Result<PgResult> now = db->query("SELECT " + iso("now()"));
  if (!now.ok()) return now.status();
  claims->startedAt_ = now->text(0, 0);
  return claims;
}

PgRunClaims::~PgRunClaims() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_ || db_->connectionLost()) return;
  // Best effort: a row left behind only shows as a silent daemon until it ages out (a day).
  db_->query("DELETE FROM sfsync_daemons WHERE daemon_id = $1", {P(id_)}).status().ignoreError();
}

Status PgRunClaims::createTables(PgConnection& db) {
  // Several daemons starting at once: one CREATE at a time (as PostgresStore::open does).
  Status s = db.begin();
  if (s.ok()) {
    s = db.exec("SELECT pg_advisory_xact_lock(hashtext('sfsync claims ' || current_schema()))");
  }
  if (s.ok()) s = db.exec(kTables);
  // Finished claims older than 30 days decide nothing any more (their slots are long past).
  if (s.ok()) {
    s = db.exec("DELETE FROM sfsync_claims WHERE finished_at < now() - interval '30 days'");
  }
  if (s.ok()) return db.commit();
  db.rollback();
  return s;
}

PgConnection* PgRunClaims::connection(Status& error) {
  if (db_ && !db_->connectionLost()) return db_.get();
  db_.reset();
  Result<std::unique_ptr<PgConnection>> opened = PgConnection::open(settings_);
  if (!opened.ok()) {
    error = opened.status();
    return nullptr;
  }
  Status created = createTables(**opened);
  if (!created.ok()) {
    error = created;
    return nullptr;
  }
  // Claims are short statements: a claim that waits on a lock (the global claim lock, a row), or a
  // transaction left idle by a stalled daemon, must give up well within a third of the lease, so
  // the heartbeat that renews the leases is never held up long enough to let them expire.
  const std::string ms = std::to_string(std::max(1000, leaseSeconds_ * 1000 / 4));
  Status limited = (*opened)->exec("SET lock_timeout = " + ms + "; SET statement_timeout = " + ms +
                                   "; SET idle_in_transaction_session_timeout = " + ms);
  if (!limited.ok()) {
    error = limited;
    return nullptr;
  }
  db_ = std::move(opened).value();
  return db_.get();
}

Result<scheduling::ClaimDecision> PgRunClaims::claim(const scheduling::ClaimRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  Status error = Status::OK();
  PgConnection* db = connection(error);
  if (db == nullptr) return error;
  const std::string key =
      request.name + "@" +
      (request.slot ? formatIso8601(*request.slot)
                    : "run-now/" + id_ + "/" + std::to_string(++runNowCounter_));
  Status s = db->begin();
  if (!s.ok()) return s;
  Result<scheduling::ClaimDecision> decision = decide(*db, request, key);
  if (!decision.ok()) {
    db->rollback();
    return decision;
  }
  s = db->commit();
  if (!s.ok()) return s;
  if (decision->granted) mine_.insert(key);
  return decision;
}

Result<scheduling::ClaimDecision> PgRunClaims::decide(PgConnection& db,
                                                      const scheduling::ClaimRequest& request,
                                                      const std::string& key) {
  scheduling::ClaimDecision d;
  d.key = key;
  Status s = db.exec("SELECT pg_advisory_xact_lock(hashtext('sfsync claim ' || current_schema()))");
  if (!s.ok()) return s;
  Result<PgResult> existing = db.query(
      "SELECT daemon_id, coalesce(status, '') FROM sfsync_claims WHERE slot_key = $1", {P(key)});
  if (!existing.ok()) return existing.status();
  if (existing->rows() > 0) {
    d.holder = existing->text(0, 0);
    const std::string status = existing->text(0, 1);
    d.reason = "slot " + key + " " +
               (status.empty() ? "claimed by daemon " + d.holder
                               : "handled by daemon " + d.holder + " (" + status + ")");
    return d;
  }
  const std::string locks = arrayLiteral(request.locks);
  Result<PgResult> busy = db.query(
      // This daemon's own open claims are not looked at: its Scheduler already keeps its own runs
      // apart (queue / skip), and a run that just ended here may not have finished its claim yet
      // (the claim ends after the run's end is delivered), so a queued run would be skipped.
      "SELECT name, daemon_id FROM sfsync_claims WHERE finished_at IS NULL AND locks && "
      "$1::text[] AND daemon_id <> $2 ORDER BY claimed_at LIMIT 1",
      {P(locks), P(id_)});
  if (!busy.ok()) return busy.status();
  const std::string slot = request.slot ? millisOf(*request.slot) : "";
  const P slotParam = request.slot ? P(slot) : std::nullopt;
  const std::string insert =
      "INSERT INTO sfsync_claims (slot_key, name, kind, trigger, slot, locks, daemon_id, "
      "claimed_at, lease_until, finished_at, status, message) VALUES ($1, $2, $3, $4, "
      "to_timestamp($5::bigint / 1000.0), $6::text[], $7, now(), now() + make_interval(secs => "
      "$8::int), $9::timestamptz, $10, $11) ON CONFLICT (slot_key) DO NOTHING";
  const std::string kind = scheduling::runKindName(request.kind);
  if (busy->rows() > 0) {
    d.holder = busy->text(0, 1);
    d.reason = "'" + busy->text(0, 0) + "' is running on daemon " + d.holder;
    if (!request.slot) return d;  // a refused run-now leaves no row
    // The slot is decided once for the whole cluster: skipped.
    Result<PgResult> skipped =
        db.query(insert + " RETURNING 1",
                 {P(key), P(request.name), P(kind), P(request.trigger), slotParam, P(locks), P(id_),
                  P(std::to_string(leaseSeconds_)), P("now"), P("Skipped"), P(d.reason)});
    if (!skipped.ok()) return skipped.status();
    return d;
  }
  Result<PgResult> inserted =
      db.query(insert + " RETURNING 1",
               {P(key), P(request.name), P(kind), P(request.trigger), slotParam, P(locks), P(id_),
                P(std::to_string(leaseSeconds_)), std::nullopt, std::nullopt, std::nullopt});
  if (!inserted.ok()) return inserted.status();
  d.granted = inserted->rows() == 1;
  if (!d.granted) d.reason = "slot " + key + " claimed by another daemon";
  return d;
}

Status PgRunClaims::finish(const std::string& key, const std::string& status,
                           const std::string& executionId) {
  std::lock_guard<std::mutex> lock(mu_);
  Status error = Status::OK();
  PgConnection* db = connection(error);
  Status closed = db == nullptr ? error : closeClaim(*db, key, status, executionId);
  if (!closed.ok() && closed.code() != StatusCode::kUnavailable && mine_.count(key) > 0) {
    // Kept (and its lease renewed) until a later heartbeat() closes it.
    unfinished_[key] = {status, executionId};
  }
  return closed;
}

Status PgRunClaims::closeClaim(PgConnection& db, const std::string& key, const std::string& status,
                               const std::string& executionId) {
  Result<PgResult> done = db.query(
      "UPDATE sfsync_claims SET finished_at = now(), status = $3, execution_id = $4 "
      "WHERE slot_key = $1 AND daemon_id = $2 AND finished_at IS NULL RETURNING 1",
      {P(key), P(id_), P(status), executionId.empty() ? std::nullopt : P(executionId)});
  if (!done.ok()) return done.status();
  mine_.erase(key);
  unfinished_.erase(key);
  if (done->rows() == 0) {
    return Status::Unavailable("claim " + key +
                               " is no longer this daemon's (its lease expired and another "
                               "daemon took it over)");
  }
  return Status::OK();
}

Status PgRunClaims::release(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  Status error = Status::OK();
  PgConnection* db = connection(error);
  if (db == nullptr) return error;
  // The claim belongs to nobody until adopted: no heartbeat of this daemon renews it again.
  Status s = db->query(
                   "UPDATE sfsync_claims SET lease_until = now() - interval '1 second', "
                   "daemon_id = '', previous_daemon = daemon_id "
                   "WHERE slot_key = $1 AND daemon_id = $2 AND finished_at IS NULL",
                   {P(key), P(id_)})
                 .status();
  if (s.ok()) {
    mine_.erase(key);
    unfinished_.erase(key);
  }
  return s;
}

Status PgRunClaims::heartbeat() {
  std::lock_guard<std::mutex> lock(mu_);
  Status error = Status::OK();
  PgConnection* db = connection(error);
  if (db == nullptr) return error;
  Result<PgResult> beat = db->query(
      "INSERT INTO sfsync_daemons (daemon_id, host, pid, started_at, beat_at) VALUES ($1, $2, "
      "$3::bigint, $4::timestamptz, now()) ON CONFLICT (daemon_id) DO UPDATE SET beat_at = now()",
      {P(id_), P(host_), P(std::to_string(pid_)), P(startedAt_)});
  if (!beat.ok()) return beat.status();
  // Claims whose finish() failed earlier: close them now (they stay renewed until then).
  // A failure here is reported after the leases are renewed (the claim is retried next beat).
  Status retried = Status::OK();
  const auto retry = unfinished_;
  for (const auto& [key, result] : retry) {
    Status closed = closeClaim(*db, key, result.first, result.second);
    if (!closed.ok() && closed.code() != StatusCode::kUnavailable && retried.ok()) {
      retried = closed;
    }
  }
  // Only the claims this daemon really runs (granted or adopted here, not finished or released).
  const std::vector<std::string> keys(mine_.begin(), mine_.end());
  Result<PgResult> renewed = db->query(
      "UPDATE sfsync_claims SET lease_until = now() + make_interval(secs => $2::int) "
      "WHERE daemon_id = $1 AND finished_at IS NULL AND slot_key = ANY($3::text[])",
      {P(id_), P(std::to_string(leaseSeconds_)), P(arrayLiteral(keys))});
  if (!renewed.ok()) return renewed.status();
  // Daemons silent for a day are gone; their row would only clutter the view.
  Status pruned = db->exec("DELETE FROM sfsync_daemons WHERE beat_at < now() - interval '1 day'");
  return retried.ok() ? pruned : retried;
}

Result<std::vector<scheduling::AdoptedRun>> PgRunClaims::adoptExpired(int max) {
  std::lock_guard<std::mutex> lock(mu_);
  Status error = Status::OK();
  PgConnection* db = connection(error);
  if (db == nullptr) return error;
  Result<PgResult> taken = db->query(
      "UPDATE sfsync_claims c SET daemon_id = $1, "
      "previous_daemon = coalesce(nullif(c.daemon_id, ''), c.previous_daemon), "
      "adoptions = c.adoptions + 1, lease_until = now() + make_interval(secs => $2::int) "
      "WHERE c.slot_key IN (SELECT slot_key FROM sfsync_claims WHERE finished_at IS NULL AND "
      "lease_until < now() ORDER BY claimed_at LIMIT $3::int FOR UPDATE SKIP LOCKED) "
      "RETURNING c.slot_key, c.name, c.kind, c.trigger, "
      "(extract(epoch FROM c.slot) * 1000)::bigint, c.previous_daemon",
      {P(id_), P(std::to_string(leaseSeconds_)), P(std::to_string(max))});
  if (!taken.ok()) return taken.status();
  std::vector<scheduling::AdoptedRun> runs;
  for (int r = 0; r < taken->rows(); ++r) {
    scheduling::AdoptedRun run;
    run.key = taken->text(r, 0);
    run.name = taken->text(r, 1);
    run.kind = kindOf(taken->text(r, 2));
    run.trigger = taken->text(r, 3);
    if (!taken->isNull(r, 4)) {
      run.slot = Clock::TimePoint(std::chrono::milliseconds(taken->int64(r, 4)));
    }
    run.previousDaemon = taken->text(r, 5);
    mine_.insert(run.key);
    runs.push_back(std::move(run));
  }
  return runs;
}

Result<scheduling::ClusterView> PgRunClaims::view() {
  std::lock_guard<std::mutex> lock(mu_);
  Status error = Status::OK();
  PgConnection* db = connection(error);
  if (db == nullptr) return error;
  scheduling::ClusterView v;
  v.clustered = true;
  v.leaseSeconds = leaseSeconds_;
  Result<PgResult> daemons = db->query(
      "SELECT daemon_id, host, pid, " + iso("started_at") + ", " + iso("beat_at") +
      ", extract(epoch FROM now() - beat_at)::float8 FROM sfsync_daemons ORDER BY started_at");
  if (!daemons.ok()) return daemons.status();
  for (int r = 0; r < daemons->rows(); ++r) {
    scheduling::ClusterDaemon d;
    d.id = daemons->text(r, 0);
    d.host = daemons->text(r, 1);
    d.pid = daemons->int64(r, 2);
    d.startedAt = daemons->text(r, 3);
    d.heartbeatAt = daemons->text(r, 4);
    d.heartbeatAgeSeconds = std::strtod(daemons->text(r, 5).c_str(), nullptr);
    d.self = d.id == id_;
    v.daemons.push_back(std::move(d));
  }
  Result<PgResult> runs =
      db->query("SELECT slot_key, name, kind, trigger, coalesce(" + iso("slot") +
                ", ''), daemon_id, " + iso("claimed_at") + ", " + iso("lease_until") +
                ", lease_until < now(), adoptions FROM sfsync_claims WHERE finished_at IS NULL "
                "ORDER BY claimed_at");
  if (!runs.ok()) return runs.status();
  for (int r = 0; r < runs->rows(); ++r) {
    scheduling::ClusterRun run{runs->text(r, 0),        runs->text(r, 1),
                               runs->text(r, 2),        runs->text(r, 3),
                               runs->text(r, 4),        runs->text(r, 5),
                               runs->text(r, 6),        runs->text(r, 7),
                               runs->text(r, 8) == "t", static_cast<int>(runs->int64(r, 9))};
    v.running.push_back(std::move(run));
  }
  return v;
}

std::chrono::milliseconds PgRunClaims::beatInterval() const {
  return std::chrono::milliseconds(leaseSeconds_ * 1000 / 3);
}

Result<scheduling::RunClaimsPtr> openPostgresRunClaims(const PostgresSettings& settings,
                                                       int leaseSeconds) {
  try {
    Result<std::unique_ptr<PgRunClaims>> claims = PgRunClaims::open(settings, leaseSeconds);
    if (!claims.ok()) return claims.status();
    return scheduling::RunClaimsPtr(std::move(claims).value());
  } catch (const std::exception& e) {
    return Status::Internal("cannot open the cluster claims on " + settings.url + ": " + e.what());
  }
}

}  // namespace sfsync::store
