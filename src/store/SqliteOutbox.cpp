#include "store/SqliteOutbox.h"

#include "store/SqlNames.h"

namespace sfsync::store {
namespace {

constexpr const char* kCreateOutbox =
    "CREATE TABLE IF NOT EXISTS sfsync_outbox("
    "seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, gsid TEXT NOT NULL,"
    "col TEXT NOT NULL, inserted INTEGER NOT NULL DEFAULT 0, old_value, new_value,"
    "changed_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);"
    "CREATE INDEX IF NOT EXISTS sfsync_outbox_row ON sfsync_outbox(tbl, gsid, col, seq);"
    // Connection-local: what this (sfsync's) connection's own writes captured is removed again.
    "CREATE TEMP TRIGGER IF NOT EXISTS sfsync_outbox_suppress AFTER INSERT ON main.sfsync_outbox "
    "BEGIN DELETE FROM sfsync_outbox WHERE seq = NEW.seq; END;";

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

std::string literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string triggerName(const char* kind, const std::string& table) {
  return quoteIdentifier(std::string("sfsync_outbox_") + kind + "_" + table);
}

std::string columnList(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ", ") + quoteIdentifier(c);
  return out;
}

Value readValue(const SqliteStatement& st, int col) {
  switch (sqlite3_column_type(st.get(), col)) {
    case SQLITE_NULL:
      return Value{};
    case SQLITE_INTEGER:
      return Value{static_cast<std::int64_t>(sqlite3_column_int64(st.get(), col))};
    case SQLITE_FLOAT:
      return Value{sqlite3_column_double(st.get(), col)};
    default:
      return Value{st.columnText(col)};
  }
}

}  // namespace

Status SqliteOutbox::initialize() {
  if (!readOnly_) {
    return connection_.withConnection([](SqliteDb& db) { return db.exec(kCreateOutbox); });
  }
  return connection_.withConnection([&](SqliteDb& db) {
    Result<SqliteStatement> st =
        db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sfsync_outbox'");
    if (!st.ok()) return st.status();
    const int rc = st->step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.ioError("outbox: look for the table");
    exists_ = rc == SQLITE_ROW;
    return Status::OK();
  });
}

std::string SqliteOutbox::captureSql(const OutboxTarget& target) {
  const std::string t = quoteIdentifier(target.table);
  std::string update = "DROP TRIGGER IF EXISTS main." + triggerName("u", target.table) + ";" +
                       "CREATE TRIGGER main." + triggerName("u", target.table) +
                       " AFTER UPDATE OF " + columnList(target.columns) + " ON " + t + " BEGIN ";
  std::string insert = "DROP TRIGGER IF EXISTS main." + triggerName("i", target.table) + ";";
  if (target.captureInserts) {
    insert += "CREATE TRIGGER main." + triggerName("i", target.table) + " AFTER INSERT ON " + t +
              " BEGIN ";
  }
  for (const std::string& c : target.columns) {
    const std::string q = quoteIdentifier(c);
    const std::string head =
        "INSERT INTO sfsync_outbox(tbl, gsid, col, inserted, old_value, "
        "new_value, changed_at) SELECT " +
        literal(target.table) + ", NEW.gsid, " + literal(c) + ", ";
    update += head + "0, OLD." + q + ", NEW." + q + ", " + kNow + " WHERE NEW." + q +
              " IS NOT OLD." + q + ";";
    if (target.captureInserts) {
      insert += head + "1, NULL, NEW." + q + ", " + kNow + " WHERE NEW." + q + " IS NOT NULL;";
    }
  }
  update += "END;";
  if (target.captureInserts) insert += "END;";
  return update + insert;
}

std::string SqliteOutbox::keepSql(const OutboxTarget& target) {
  const std::string t = quoteIdentifier(target.table);
  const std::string name = triggerName("keep", target.table);
  const std::string ofRow =
      "FROM sfsync_outbox WHERE tbl = " + literal(target.table) + " AND gsid = NEW.gsid";
  std::string sql = "DROP TRIGGER IF EXISTS temp." + name + ";CREATE TEMP TRIGGER " + name +
                    " AFTER UPDATE OF " + columnList(target.columns) + " ON main." + t +
                    " WHEN EXISTS (SELECT 1 " + ofRow + ") BEGIN ";
  for (const std::string& c : target.columns) {
    const std::string ofCol = ofRow + " AND col = " + literal(c);
    sql += "UPDATE " + t + " SET " + quoteIdentifier(c) + " = (SELECT new_value " + ofCol +
           " ORDER BY seq DESC LIMIT 1) WHERE gsid = NEW.gsid AND EXISTS (SELECT 1 " + ofCol + ");";
  }
  sql += "END;";
  const std::string ro = triggerName("local", target.table);
  sql += "DROP TRIGGER IF EXISTS temp." + ro + ";";
  if (target.keepLocal.empty()) return sql;
  sql += "CREATE TEMP TRIGGER " + ro + " AFTER UPDATE OF " + columnList(target.keepLocal) +
         " ON main." + t + " BEGIN UPDATE " + t + " SET ";
  for (std::size_t i = 0; i < target.keepLocal.size(); ++i) {
    const std::string q = quoteIdentifier(target.keepLocal[i]);
    sql += (i > 0 ? ", " : "") + q + " = OLD." + q;
  }
  return sql + " WHERE gsid = NEW.gsid; END;";
}

Status SqliteOutbox::columnsExist(SqliteDb& db, const OutboxTarget& target) {
  Result<SqliteStatement> st = db.prepare("SELECT name FROM pragma_table_info(?1)");
  if (!st.ok()) return st.status();
  if (st->bindText(1, target.table) != SQLITE_OK) return db.ioError("outbox: table_info");
  std::vector<std::string> have;
  while (st->step() == SQLITE_ROW) have.push_back(st->columnText(0));
  if (have.empty()) return Status::InvalidArgument("outbox: no table '" + target.table + "'");
  for (const std::string& c : target.columns) {
    bool found = false;
    for (const std::string& h : have) found = found || equalsIgnoreCase(h, c);
    if (!found) {
      return Status::InvalidArgument("outbox: table '" + target.table + "' has no column '" + c +
                                     "'");
    }
  }
  return Status::OK();
}

Status SqliteOutbox::install(const OutboxTarget& target) {
  if (readOnly_) return Status::InvalidArgument("outbox: opened read-only");
  if (target.columns.empty()) return Status::InvalidArgument("outbox: no write-back columns");
  return connection_.withConnection([&](SqliteDb& db) {
    Status s = columnsExist(db, target);
    if (!s.ok()) return s;
    s = db.begin();
    if (!s.ok()) return s;
    s = db.exec(captureSql(target));
    if (s.ok()) s = db.exec(keepSql(target));
    if (!s.ok()) {
      db.rollback();
      return s;
    }
    return db.commit();
  });
}

Result<std::vector<OutboxEntry>> SqliteOutbox::pending(const std::string& table,
                                                       std::int64_t afterSeq, std::size_t limit) {
  std::vector<OutboxEntry> out;
  if (!exists_) return out;
  Status s = connection_.withConnection([&](SqliteDb& db) {
    Result<SqliteStatement> st = db.prepare(
        "SELECT seq, tbl, gsid, col, inserted, old_value, new_value, changed_at, attempts, "
        "coalesce(last_error, '') FROM sfsync_outbox WHERE tbl = ?1 AND seq > ?2 "
        "ORDER BY seq LIMIT ?3");
    if (!st.ok()) return st.status();
    if (st->bindText(1, table) != SQLITE_OK || st->bindInt64(2, afterSeq) != SQLITE_OK ||
        st->bindInt64(3, static_cast<std::int64_t>(limit)) != SQLITE_OK) {
      return db.ioError("outbox: bind");
    }
    int rc = SQLITE_ROW;
    while ((rc = st->step()) == SQLITE_ROW) {
      OutboxEntry e;
      e.seq = st->columnInt64(0);
      e.table = st->columnText(1);
      e.gsid = st->columnText(2);
      e.column = st->columnText(3);
      e.inserted = st->columnInt64(4) != 0;
      e.oldValue = readValue(*st, 5);
      e.newValue = readValue(*st, 6);
      e.changedAt = st->columnText(7);
      e.attempts = st->columnInt64(8);
      e.lastError = st->columnText(9);
      out.push_back(std::move(e));
    }
    return rc == SQLITE_DONE ? Status::OK() : db.ioError("outbox: read pending entries");
  });
  if (!s.ok()) return s;
  return out;
}

Status SqliteOutbox::changeEntries(const std::string& sql, const std::string& table,
                                   const std::string& gsid, const std::string& column,
                                   std::int64_t upToSeq, const std::string& extra) {
  if (readOnly_) return Status::InvalidArgument("outbox: opened read-only");
  return connection_.withConnection([&](SqliteDb& db) {
    Result<SqliteStatement> st = db.prepare(sql);
    if (!st.ok()) return st.status();
    const bool bound = st->bindText(1, table) == SQLITE_OK && st->bindText(2, gsid) == SQLITE_OK &&
                       st->bindText(3, column) == SQLITE_OK &&
                       st->bindInt64(4, upToSeq) == SQLITE_OK &&
                       (extra.empty() || st->bindText(5, extra) == SQLITE_OK);
    if (!bound) return db.ioError("outbox: bind");
    return st->step() == SQLITE_DONE ? Status::OK() : db.ioError("outbox: update entries");
  });
}

Status SqliteOutbox::acknowledge(const std::string& table, const std::string& gsid,
                                 const std::string& column, std::int64_t upToSeq) {
  return changeEntries(
      "DELETE FROM sfsync_outbox WHERE tbl = ?1 AND gsid = ?2 AND col = ?3 AND seq <= ?4", table,
      gsid, column, upToSeq, "");
}

Status SqliteOutbox::noteFailure(const std::string& table, const std::string& gsid,
                                 const std::string& column, std::int64_t upToSeq,
                                 const std::string& error) {
  return changeEntries(
      "UPDATE sfsync_outbox SET attempts = attempts + 1, last_error = ?5 WHERE tbl = ?1 AND "
      "gsid = ?2 AND col = ?3 AND seq <= ?4",
      table, gsid, column, upToSeq, error.empty() ? std::string("failed") : error);
}

Result<std::int64_t> SqliteOutbox::size(const std::string& table) {
  std::int64_t n = 0;
  if (!exists_) return n;
  Status s = connection_.withConnection([&](SqliteDb& db) {
    Result<SqliteStatement> st =
        db.prepare("SELECT count(*) FROM sfsync_outbox WHERE ?1 = '' OR tbl = ?1");
    if (!st.ok()) return st.status();
    if (st->bindText(1, table) != SQLITE_OK) return db.ioError("outbox: bind");
    if (st->step() != SQLITE_ROW) return db.ioError("outbox: count");
    n = st->columnInt64(0);
    return Status::OK();
  });
  if (!s.ok()) return s;
  return n;
}

Result<OutboxPtr> openSqliteOutbox(Store& store, bool readOnly) {
  auto* access = dynamic_cast<SqliteConnectionAccess*>(&store);
  if (access == nullptr) {
    return Status::InvalidArgument(
        "write-back (direction toSalesforce / twoWay) is not built yet for this store: it needs "
        "the SQLite store");
  }
  auto outbox = std::make_unique<SqliteOutbox>(*access, readOnly);
  Status s = outbox->initialize();
  if (!s.ok()) return s;
  return OutboxPtr(std::move(outbox));
}

}  // namespace sfsync::store
