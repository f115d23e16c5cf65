// OtherProgram: writes to a store's database the way another program would (issue 13's write-back
// capture): plain SQL on a connection of its own - an SQLite file opened with sqlite3, or a libpq
// session on the test PostgreSQL cluster with the store's schema on its search_path. Quote
// identifiers ("Company"): PostgreSQL folds unquoted names to lower case.
//
// Thread-safety: pure functions; each call opens and closes its own connection.
#pragma once

#include <libpq-fe.h>
#include <sqlite3.h>

#include <string>

#include "fakes/PgTestCluster.h"

namespace sfsync::testing {

// The database of a store opened with store::testing::openBackend(backend, dir), as execAsOther()
// names it: the SQLite file, or "pg:<schema>".
inline std::string otherProgramTarget(const std::string& backend, const std::string& dir) {
  return backend == "sqlite" ? dir + "/data/sfsync.db" : "pg:" + pgTestSchema(dir);
}

// Runs `sql` (one or more statements, autocommit) on a connection of its own to `db`; "" on
// success, else the error. `pgSetup` runs first on PostgreSQL (e.g. "SET TIME ZONE ...").
inline std::string execAsOther(const std::string& db, const std::string& sql,
                               const std::string& pgSetup = "") {
  if (db.rfind("pg:", 0) == 0) {
    PGconn* c = PQconnectdb(pgTestUrl().c_str());
    std::string error;
    if (PQstatus(c) != CONNECTION_OK) {
      error = PQerrorMessage(c);
    } else {
      const std::string full = "SET search_path TO \"" + db.substr(3) + "\"; " + pgSetup + sql;
      PGresult* r = PQexec(c, full.c_str());
      const ExecStatusType st = PQresultStatus(r);
      if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) error = PQresultErrorMessage(r);
      PQclear(r);
    }
    PQfinish(c);
    return error;
  }
  sqlite3* h = nullptr;
  if (sqlite3_open(db.c_str(), &h) != SQLITE_OK) {
    sqlite3_close(h);
    return "cannot open " + db;
  }
  sqlite3_busy_timeout(h, 10000);
  char* err = nullptr;
  const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
  const std::string message = err ? err : "failed";
  sqlite3_free(err);
  sqlite3_close(h);
  return rc == SQLITE_OK ? "" : message;
}

}  // namespace sfsync::testing
