#include "store/PgConnection.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "store/SqlNames.h"

namespace sfsync::store {

namespace {

// libpq messages end with a newline; keep the first line (the detail lines may quote data).
std::string firstLine(const char* message) {
  std::string text = message == nullptr ? "" : message;
  const auto nl = text.find('\n');
  if (nl != std::string::npos) text.resize(nl);
  return text.empty() ? "unknown error" : text;
}

constexpr std::size_t kCopyChunk = 1 << 20;

// The client-side deadline is the server's statement_timeout plus this margin.
constexpr std::chrono::seconds kDeadlineMargin{30};
// After PQcancel, how long the server gets to answer with the cancellation.
constexpr std::chrono::seconds kCancelGrace{10};

bool isError(const PGresult* r) {
  const ExecStatusType st = PQresultStatus(r);
  return st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE || st == PGRES_NONFATAL_ERROR;
}

// Server notices (e.g. "there is no transaction in progress" after a failed COMMIT) are not
// errors; libpq's default prints them on stderr. Errors arrive as results instead.
void ignoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

Status validatePostgresUrl(const std::string& url) {
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) {
    return Status::InvalidArgument("expected a URL postgresql://user@host:port/database");
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    // libpq's message may quote the URL: keep it out, the URL could hold a password.
    if (error != nullptr) PQfreemem(error);
    return Status::InvalidArgument(
        "not a valid PostgreSQL URL (expected postgresql://user@host:port/database)");
  }
  bool password = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, "password") == 0 && o->val != nullptr && *o->val != '\0') {
      password = true;
    }
  }
  PQconninfoFree(options);
  if (password) {
    return Status::InvalidArgument(
        "must not contain a password: store it with sfsyncd --set-secret=store.password");
  }
  return Status::OK();
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const PostgresSettings& settings) {
  const std::string timeout = std::to_string(std::max(1, settings.connectTimeoutSeconds));
  // dbname first (expanded from the URL), then the keywords that override it.
  // TCP keepalives and a user timeout: a server or network that vanishes mid-query is noticed
  // within about a minute instead of leaving the call blocked until the OS gives up.
  std::vector<const char*> keys = {
      "dbname",          "connect_timeout",     "application_name", "client_encoding", "keepalives",
      "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout"};
  std::vector<const char*> values = {
      settings.url.c_str(), timeout.c_str(), "sfsync", "UTF8", "1", "30", "10", "3", "60000"};
  if (!settings.password.empty()) {
    keys.push_back("password");
    values.push_back(settings.password.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  if (conn == nullptr) return Status::IoError("cannot connect to " + settings.url + ": no memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = firstLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::IoError("cannot connect to PostgreSQL store " + settings.url + ": " + message);
  }
  PQsetNoticeProcessor(conn, ignoreNotice, nullptr);
  std::unique_ptr<PgConnection> db(new PgConnection(conn, settings));
  Status s = db->configure(settings);
  if (!s.ok()) return s;
  return db;
}

PgConnection::~PgConnection() {
  if (conn_ == nullptr) return;
  // The server drops a closed session's advisory locks (the run locks) only once its backend has
  // exited, after PQfinish returns: release them now, so another store sees the run as ended at
  // once rather than a moment later. Best effort: a broken connection has nothing to release.
  if (PQstatus(conn_) == CONNECTION_OK) {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
    PQclear(PQexec(conn_, "SELECT pg_advisory_unlock_all()"));
  }
  PQfinish(conn_);
}

Status PgConnection::configure(const PostgresSettings& settings) {
  if (PQserverVersion(conn_) < 150000) {
    return Status::IoError("PostgreSQL store " + url_ + ": server version " +
                           std::to_string(PQserverVersion(conn_)) + " is older than 15");
  }
  std::string sql = "SET TIME ZONE 'UTC'; SET statement_timeout = " +
                    std::to_string(std::max(1, settings.statementTimeoutSeconds) * 1000) +
                    "; SET client_min_messages = warning;"
                    // Write-back (issue 13, PgOutbox): this session's writes are sfsync's own,
                    // never captured as local changes.
                    " SET sfsync.inbound = 'on';";
  Status s = exec(sql);
  if (!s.ok()) return s;
  if (!settings.schema.empty()) {
    s = useSchema(settings.schema);
    if (!s.ok()) return s;
  }
  Result<PgResult> current = query("SELECT current_schema()");
  if (!current.ok()) return current.status();
  if (current->rows() != 1 || current->isNull(0, 0)) {
    return Status::IoError("PostgreSQL store " + url_ + ": no schema on the search_path");
  }
  schema_ = current->text(0, 0);
  return Status::OK();
}

Status PgConnection::useSchema(const std::string& schema) {
  // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists: ask
  // first.
  Result<PgResult> found =
      query("SELECT 1 FROM pg_namespace WHERE nspname = $1", {std::optional<std::string>(schema)});
  if (!found.ok()) return found.status();
  const std::string quoted = quoteIdentifier(schema);
  if (found->rows() == 0) {
    Status created = exec("CREATE SCHEMA IF NOT EXISTS " + quoted);
    if (!created.ok()) {
      // Several daemons starting at once: another one may have created it in the meantime.
      Result<PgResult> again = query("SELECT 1 FROM pg_namespace WHERE nspname = $1",
                                     {std::optional<std::string>(schema)});
      if (again.ok() && again->rows() == 1) return exec("SET search_path TO " + quoted);

      return Status::IoError("PostgreSQL store " + url_ + ": schema " + quoted +
                             " does not exist and cannot be created (its user needs the CREATE "
                             "privilege on the database, or create the schema for it): " +
                             created.message());
    }
  }
  return exec("SET search_path TO " + quoted);
}

Status PgConnection::failure(const std::string& context, const PGresult* result) {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  lastSqlState_ = state == nullptr ? "" : state;
  const char* message = result == nullptr ? PQerrorMessage(conn_) : PQresultErrorMessage(result);
  std::string text = firstLine(message);
  if (text.rfind("ERROR:  ", 0) == 0) text.erase(0, 8);
  if (PQstatus(conn_) != CONNECTION_OK) text += " (connection to " + url_ + " lost)";
  return Status::IoError(context + ": " + text);
}

bool PgConnection::lastFailureIsData() const {
  return lastSqlState_.rfind("22", 0) == 0 || lastSqlState_.rfind("23", 0) == 0;
}

Result<PgResult> PgConnection::check(const std::string& sql, PGresult* raw) {
  PgResult result(raw);
  const ExecStatusType st = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
    lastSqlState_.clear();
    return result;
  }
  // The statement's first words name it well enough; values travel as parameters, never here.
  return failure("PostgreSQL: " + sql.substr(0, std::min<std::size_t>(sql.size(), 60)), raw);
}

void PgConnection::cancelRunning() {
  PGcancel* cancel = PQgetCancel(conn_);
  if (cancel == nullptr) return;
  char error[256];
  // Best effort: if the cancel request cannot be sent, the grace period below closes the socket.
  PQcancel(cancel, error, sizeof error);
  PQfreeCancel(cancel);
}

PGresult* PgConnection::awaitResult(bool& timedOut) {
  using SteadyClock = std::chrono::steady_clock;
  auto end =
      SteadyClock::now() +
      (deadlineForTest_ ? *deadlineForTest_
                        : std::chrono::seconds(std::max(1, settings_.statementTimeoutSeconds)) +
                              kDeadlineMargin);
  bool cancelled = false;
  PGresult* kept = nullptr;
  while (true) {
    while (PQisBusy(conn_) != 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(end - SteadyClock::now());
      if (left.count() <= 0) {
        timedOut = true;
        if (cancelled) {
          // Not even the cancel was answered: give the connection up (the next call reconnects).
          ::shutdown(PQsocket(conn_), SHUT_RDWR);
          PQconsumeInput(conn_);
          break;
        }
        cancelRunning();
        cancelled = true;
        end = SteadyClock::now() + kCancelGrace;
        continue;
      }
      pollfd fd{PQsocket(conn_), POLLIN, 0};
      const int ready =
          ::poll(&fd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
      if (ready < 0 && errno != EINTR) {
        // The statement's state is unknown: give the connection up (the next call reconnects)
        // rather than leave a command in progress on a connection that reports OK.
        ::shutdown(PQsocket(conn_), SHUT_RDWR);
        PQconsumeInput(conn_);
        break;
      }
      if (PQconsumeInput(conn_) == 0) break;  // the connection broke: PQgetResult reports it
    }
    PGresult* next = PQisBusy(conn_) != 0 ? nullptr : PQgetResult(conn_);
    if (next == nullptr) break;
    if (PQresultStatus(next) == PGRES_COPY_IN) {  // COPY FROM STDIN started: libpq wants the data
      if (kept != nullptr) PQclear(kept);
      return next;
    }
    if (kept != nullptr && isError(kept)) {
      PQclear(next);  // PQexec's rule: the first error is the answer
    } else {
      if (kept != nullptr) PQclear(kept);
      kept = next;
    }
  }
  return kept;
}

Result<PgResult> PgConnection::query(const std::string& sql) {
  if (PQsendQuery(conn_, sql.c_str()) == 0) return check(sql, nullptr);
  bool timedOut = false;
  PGresult* raw = awaitResult(timedOut);
  // The server may have answered just as the deadline fired: a drained success is the answer.
  if (timedOut && (raw == nullptr || isError(raw))) return deadlineFailure(sql, raw);
  return check(sql, raw);
}

Result<PgResult> PgConnection::query(const std::string& sql,
                                     const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.size());
  for (const auto& p : params) {
    values.push_back(p ? p->c_str() : nullptr);
    lengths.push_back(p ? static_cast<int>(p->size()) : 0);
  }
  if (PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                        lengths.data(), nullptr, 0) == 0) {
    return check(sql, nullptr);
  }
  bool timedOut = false;
  PGresult* raw = awaitResult(timedOut);
  // The server may have answered just as the deadline fired: a drained success is the answer.
  if (timedOut && (raw == nullptr || isError(raw))) return deadlineFailure(sql, raw);
  return check(sql, raw);
}

Status PgConnection::deadlineFailure(const std::string& sql, PGresult* raw) {
  PgResult owned(raw);
  lastSqlState_ = "57014";  // query_canceled
  return Status::IoError(
      "PostgreSQL: " + sql.substr(0, std::min<std::size_t>(sql.size(), 60)) +
      ": no answer within the client-side deadline (store.statementTimeoutSeconds "
      "+ " +
      std::to_string(kDeadlineMargin.count()) + " s); the statement was cancelled" +
      (PQstatus(conn_) != CONNECTION_OK ? " and the connection closed" : ""));
}

Status PgConnection::reconnect() {
  PQreset(conn_);
  depth_ = 0;
  outer_ = false;
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Status::IoError("cannot connect to PostgreSQL store " + url_ +
                           " again: " + firstLine(PQerrorMessage(conn_)));
  }
  return configure(settings_);
}

Status PgConnection::exec(const std::string& sql) {
  Result<PgResult> r = query(sql);
  return r.ok() ? Status::OK() : r.status();
}

Result<std::int64_t> PgConnection::copyIn(const std::string& copySql, const std::string& data) {
  // Start and end wait under the client-side deadline (awaitResult); the data itself is sent with
  // libpq's blocking PQputCopyData.
  if (PQsendQuery(conn_, copySql.c_str()) == 0) return check(copySql, nullptr).status();
  bool timedOut = false;
  PGresult* started = awaitResult(timedOut);
  if (started == nullptr || PQresultStatus(started) != PGRES_COPY_IN) {
    if (timedOut) return deadlineFailure(copySql, started);
    Result<PgResult> r = check(copySql, started);
    return r.ok() ? Status::Internal("COPY did not start: " + copySql.substr(0, 60)) : r.status();
  }
  PQclear(started);
  bool sent = true;
  for (std::size_t from = 0; from < data.size() && sent; from += kCopyChunk) {
    const std::size_t n = std::min(kCopyChunk, data.size() - from);
    sent = PQputCopyData(conn_, data.data() + from, static_cast<int>(n)) == 1;
  }
  sent = PQputCopyEnd(conn_, sent ? nullptr : "sfsync: sending COPY data failed") == 1 && sent;
  // awaitResult drains every result (libpq wants them all read before the next command).
  timedOut = false;
  PGresult* raw = awaitResult(timedOut);
  if (timedOut && (raw == nullptr || isError(raw))) return deadlineFailure(copySql, raw);
  PgResult end(raw);
  if (!sent || end.get() == nullptr || PQresultStatus(end.get()) != PGRES_COMMAND_OK) {
    return failure("PostgreSQL: " + copySql.substr(0, 60), end.get());
  }
  lastSqlState_.clear();
  return end.affected();
}

Status PgConnection::begin() {
  Status s =
      exec(depth_ == 0 ? std::string("BEGIN") : "SAVEPOINT sfsync_sp" + std::to_string(depth_));
  if (s.ok()) ++depth_;
  return s;
}

Status PgConnection::commit() {
  if (depth_ == 0) return Status::Internal("commit without a transaction");
  --depth_;
  if (depth_ > 0) return exec("RELEASE SAVEPOINT sfsync_sp" + std::to_string(depth_));
  Result<PgResult> done = query("COMMIT");
  if (!done.ok()) {
    exec("ROLLBACK").ignoreError();  // best effort: the COMMIT already failed
    return done.status();
  }
  // In an aborted transaction PostgreSQL answers COMMIT with the tag ROLLBACK and no error.
  const char* tag = PQcmdStatus(done->get());
  if (tag == nullptr || std::string(tag) != "COMMIT") {
    return Status::IoError("PostgreSQL store " + url_ + ": COMMIT was answered with " +
                           (tag == nullptr ? std::string("nothing") : std::string(tag)) +
                           " (an earlier statement of the transaction failed); nothing was saved");
  }
  return Status::OK();
}

void PgConnection::rollback() {
  if (depth_ == 0) return;
  --depth_;
  if (depth_ > 0) {
    const std::string sp = "sfsync_sp" + std::to_string(depth_);
    // Best effort: rollback() never fails; a broken connection reports on the next call.
    exec("ROLLBACK TO SAVEPOINT " + sp + "; RELEASE SAVEPOINT " + sp).ignoreError();
  } else {
    exec("ROLLBACK").ignoreError();  // best effort, as above
  }
}

Status PgConnection::beginOuter() {
  if (outer_ || depth_ != 0) return Status::Internal("outer transaction inside a transaction");
  Status s = begin();
  if (s.ok()) outer_ = true;
  return s;
}

Status PgConnection::commitOuter() {
  outer_ = false;
  if (depth_ != 1) {
    while (depth_ > 0) rollback();
    return Status::Internal("outer transaction ended with open savepoints");
  }
  return commit();
}

void PgConnection::rollbackOuter() {
  outer_ = false;
  while (depth_ > 0) rollback();
}

}  // namespace sfsync::store
