#include "StoreFloor.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "sfsync/store/Store.h"

namespace sfsync::bench {

namespace {

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

// `text` between `mark`s, a mark inside doubled: an SQL identifier ('"') or literal ('\'').
std::string quoted(const std::string& text, char mark = '"') {
  std::string out(1, mark);
  for (char c : text) out += c == mark ? std::string(2, c) : std::string(1, c);
  return out + mark;
}

// Runs `sql`; false with `note` set on failure.
bool exec(sqlite3* db, const std::string& sql, std::string& note) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return true;
  note = sql.substr(0, 80) + ": " + (error != nullptr ? error : "failed");
  sqlite3_free(error);
  return false;
}

// The CREATE statements of `table` and its indexes in the attached run file, in that order.
bool schemaOf(sqlite3* db, const std::string& table, std::vector<std::string>& out,
              std::string& note) {
  sqlite3_stmt* stmt = nullptr;
  const char* sql =
      "SELECT sql FROM run.sqlite_master WHERE tbl_name = ?1 AND sql IS NOT NULL "
      "AND type IN ('table', 'index') ORDER BY type = 'index', name";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    note = sqlite3_errmsg(db);
    return false;
  }
  sqlite3_bind_text(stmt, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  if (out.empty()) note = "no table " + table + " in the run's file";
  return !out.empty();
}

// A fresh file at `path` set up as SqliteDb sets up a store (16 KiB pages, WAL,
// synchronous=NORMAL, secure_delete off, the default cache, no memory statistics, no connection
// mutex), except that nothing checkpoints until it closes, outside the timed copy: a run's
// checkpoints happen on the store's own thread.
Db openLikeAStore(const std::string& path, std::string& note) {
  static const int config = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // before any open
  (void)config;  // SQLITE_MISUSE if SQLite was initialised already: statistics stay on, slower
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Db conn(raw, &sqlite3_close);
  if (rc != SQLITE_OK) {
    note = "cannot open " + path + ": " + (raw != nullptr ? sqlite3_errmsg(raw) : "out of memory");
    conn.reset();
    return conn;
  }
  const std::string pragmas =
      "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
      "PRAGMA secure_delete=OFF; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=0; "
      "PRAGMA cache_size=-" +
      std::to_string(store::kDefaultCacheMb * 1024) + ";";
  if (!exec(conn.get(), pragmas, note)) conn.reset();
  return conn;
}

// The one integer `sql` answers; false with `note` set on failure.
bool countOf(sqlite3* db, const std::string& sql, long long& count, std::string& note) {
  sqlite3_stmt* stmt = nullptr;
  bool ok = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW;
  if (ok) count = sqlite3_column_int64(stmt, 0);
  if (!ok) note = sql.substr(0, 80) + ": " + sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  return ok;
}

// SELECT count(*) of the copied rows of table `t` with no null in their upsert key.
std::string keyedSql(const FloorTable& table, std::size_t t) {
  std::string where;
  for (const std::string& column : table.key) {
    where += (where.empty() ? "" : " AND ") + quoted(column) + " IS NOT NULL";
  }
  return "SELECT count(*) FROM temp.src" + std::to_string(t) + " WHERE " + where;
}

// SELECT count(*) of the copied rows of table `t` whose upsert key is found in the filled table.
std::string searchSql(const FloorTable& table, std::size_t t) {
  std::string where;
  for (const std::string& column : table.key) {
    where += (where.empty() ? "" : " AND ") + ("t." + quoted(column)) + " = s." + quoted(column);
  }
  return "SELECT count(*) FROM temp.src" + std::to_string(t) +
         " AS s WHERE EXISTS (SELECT 1 FROM main." + quoted(table.name) + " AS t WHERE " + where +
         ")";
}

}  // namespace

StoreFloor storeFloor(const std::string& db, const std::vector<FloorTable>& tables) {
  StoreFloor floor;
  const std::string copy = db + ".floor";
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((copy + suffix).c_str());
  Db conn = openLikeAStore(copy, floor.note);
  bool ok = conn && exec(conn.get(), "ATTACH " + quoted(db, '\'') + " AS run", floor.note);
  for (std::size_t t = 0; ok && t < tables.size(); ++t) {
    std::vector<std::string> creates;
    ok = schemaOf(conn.get(), tables[t].name, creates, floor.note);
    for (std::size_t c = 0; ok && c < creates.size(); ++c) {
      ok = exec(conn.get(), creates[c], floor.note);  // unqualified names: the fresh file
    }
    // The rows in memory first, in write order, so the timed copy reads nothing from disk.
    ok = ok && exec(conn.get(),
                    "CREATE TEMP TABLE src" + std::to_string(t) + " AS SELECT * FROM run." +
                        quoted(tables[t].name) + " ORDER BY rowid",
                    floor.note);
  }
  const auto start = std::chrono::steady_clock::now();
  ok = ok && exec(conn.get(), "BEGIN", floor.note);
  for (std::size_t t = 0; ok && t < tables.size(); ++t) {
    const std::string name = quoted(tables[t].name);
    ok = exec(conn.get(),
              "INSERT INTO main." + name + " SELECT * FROM temp.src" + std::to_string(t) +
                  " ORDER BY rowid",
              floor.note);
    if (ok) floor.rows += sqlite3_changes64(conn.get());
  }
  ok = ok && exec(conn.get(), "COMMIT", floor.note);
  floor.secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto searched = std::chrono::steady_clock::now();
  long long found = 0;
  for (std::size_t t = 0; ok && t < tables.size(); ++t) {
    long long count = 0;
    ok = countOf(conn.get(), searchSql(tables[t], t), count, floor.note);
    found += count;
  }
  floor.searchSecs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - searched).count();
  // Every row's key must have been found, or the search time stands for less work than a run's
  // (a null key column compares unequal: such rows are not searched by a run either).
  long long searchable = 0;
  for (std::size_t t = 0; ok && t < tables.size(); ++t) {
    long long count = 0;
    ok = countOf(conn.get(), keyedSql(tables[t], t), count, floor.note);
    searchable += count;
  }
  if (ok && found != searchable) {
    floor.note = "the key search found " + std::to_string(found) + " of " +
                 std::to_string(searchable) + " rows with a key";
    ok = false;
  }
  floor.ok = ok;
  conn.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((copy + suffix).c_str());
  return floor;
}

}  // namespace sfsync::bench
