// PgConnection: one libpq connection to the PostgreSQL store, configured for sfsync - a connect
// deadline (connect_timeout), a statement deadline (statement_timeout), UTC session time zone,
// the store's schema first on the search_path - plus helpers that turn libpq failures into
// Status values (IoError carrying PostgreSQL's message and SQLSTATE). Nothing here throws. The
// password is passed to libpq as a separate parameter: it is never part of a URL or a message.
//
// Transactions: begin() opens BEGIN at depth 0 and a SAVEPOINT inside an open transaction, so a
// failed statement inside Store::transaction() is undone by rollback() without aborting the whole
// outer transaction (PostgreSQL otherwise refuses every later statement). The outer transaction
// (Store::transaction) is beginOuter()/commitOuter()/rollbackOuter().
//
// Thread-safety: none; the owning store serialises every use behind its own mutex.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"
#include "store/PgResult.h"

namespace sfsync::store {

class PgConnection {
 public:
  // Connects (URL + password + deadlines) and makes `settings.schema` (created if missing) the
  // first schema of the search_path. IoError naming the URL (never the password) on failure.
  static Result<std::unique_ptr<PgConnection>> open(const PostgresSettings& settings);

  // After connectionLost(): connects again with the same settings (PQreset) and configures the
  // new session like open() did; any open transaction is gone (depth 0). Session state - temporary
  // tables, advisory locks - is NOT restored: the caller does that. IoError when the server still
  // cannot be reached.
  Status reconnect();
  // Tests: the client-side deadline of the next queries instead of statement timeout + margin.
  void setDeadlineForTest(std::chrono::milliseconds deadline) { deadlineForTest_ = deadline; }

  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // One statement (or several, without parameters) with results; IoError on failure.
  Result<PgResult> query(const std::string& sql);
  // One statement with text parameters ($1, $2, ...); a nullopt parameter is NULL.
  Result<PgResult> query(const std::string& sql,
                         const std::vector<std::optional<std::string>>& params);
  // Like query() but discards the result.
  Status exec(const std::string& sql);
  // COPY ... FROM STDIN with `data` in COPY text format; returns the rows copied.
  Result<std::int64_t> copyIn(const std::string& copySql, const std::string& data);

  // SQLSTATE of the most recent failure ("" when none or not from the server).
  const std::string& lastSqlState() const { return lastSqlState_; }
  // True for SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the
  // data did not fit, the store itself is fine.
  bool lastFailureIsData() const;

  Status begin();
  Status commit();
  void rollback();
  bool inTransaction() const { return depth_ > 0; }

  Status beginOuter();
  Status commitOuter();
  void rollbackOuter();
  bool inOuterTransaction() const { return outer_; }

  // The schema the store's tables live in (settings.schema, or the server's current_schema()).
  const std::string& schema() const { return schema_; }
  // True while the open transaction is aborted (a statement failed; only ROLLBACK helps).
  bool transactionAborted() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }
  const std::string& url() const { return url_; }
  // True once the connection to the server is gone (server restart, network): only a new
  // connection helps.
  bool connectionLost() const { return PQstatus(conn_) != CONNECTION_OK; }

 private:
  PgConnection(PGconn* conn, const PostgresSettings& settings)
      : conn_(conn), url_(settings.url), settings_(settings) {}
  // Client-side deadline of every query (issue 12): waits for the answer of the command just sent
  // at most statementTimeoutSeconds + kDeadlineMargin (the server's statement_timeout normally
  // answers first; this catches a server or network that stops answering). On expiry the command
  // is cancelled (PQcancel) and, when even the cancel gets no answer, the connection is closed.
  // Returns what PQexec would: the last result, or the first error; nullptr when none came.
  PGresult* awaitResult(bool& timedOut);
  void cancelRunning();
  Status configure(const PostgresSettings& settings);
  // Creates `schema` when it is missing (only then is database-level CREATE needed) and selects it.
  Status useSchema(const std::string& schema);
  // IoError("<context>: <server message>") and remembers the SQLSTATE.
  Status failure(const std::string& context, const PGresult* result);
  Result<PgResult> check(const std::string& sql, PGresult* raw);
  // The deadline passed: IoError naming the statement's first words (takes `raw`).
  Status deadlineFailure(const std::string& sql, PGresult* raw);

  PGconn* conn_;
  std::string url_;
  PostgresSettings settings_;  // for reconnect() (the password stays in memory, never in a text)
  std::string schema_;
  std::string lastSqlState_;
  std::optional<std::chrono::milliseconds> deadlineForTest_;
  int depth_ = 0;  // open BEGIN (1) plus savepoints
  bool outer_ = false;
};

}  // namespace sfsync::store
