#include "store/PgOutbox.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <cstdlib>

#include "store/SqlNames.h"

namespace sfsync::store {
namespace {

constexpr const char* kCreateOutbox =
    "CREATE TABLE IF NOT EXISTS sfsync_outbox("
    "seq bigserial PRIMARY KEY, tbl text NOT NULL, gsid text NOT NULL, col text NOT NULL,"
    "kind text NOT NULL DEFAULT 't', inserted boolean NOT NULL DEFAULT false, old_value text,"
    "new_value text, changed_at text NOT NULL, attempts bigint NOT NULL DEFAULT 0,"
    "last_error text);"
    "CREATE INDEX IF NOT EXISTS sfsync_outbox_row ON sfsync_outbox(tbl, gsid, col, seq);";

constexpr const char* kNow =
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

std::string literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// The kind letter kept with a value: how pending() turns its text back into a Value.
char kindOf(const std::string& type) {
  if (type == "bigint" || type == "integer" || type == "smallint") return 'i';
  if (type == "numeric" || type == "real" || type == "double precision") return 'r';
  if (type == "boolean") return 'b';
  return 't';
}

// `expr` as text in the store's reading format (dates and times ISO-8601, UTC).
std::string asText(const std::string& expr, const std::string& type) {
  if (type == "date") return "to_char(" + expr + ", 'YYYY-MM-DD')";
  if (type == "timestamp with time zone") {
    return "to_char(" + expr + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
  }
  if (type == "timestamp without time zone") {
    return "to_char(" + expr + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.MS')";
  }
  return expr + "::text";
}

Value fromText(const PgResult& r, int row, int col, char kind) {
  if (r.isNull(row, col)) return Value{};
  const std::string text = r.text(row, col);
  switch (kind) {
    case 'i':
      return Value{static_cast<std::int64_t>(std::strtoll(text.c_str(), nullptr, 10))};
    case 'r':
      return Value{std::strtod(text.c_str(), nullptr)};
    case 'b':
      return Value{text == "true"};
    default:
      return Value{text};
  }
}

std::string sha1(const std::string& text) {
  Poco::SHA1Engine engine;
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

// The names of a table's trigger and trigger function: a hash of schema and table, so long names
// (cut to 63 bytes by PostgreSQL) and names with quotes or spaces never collide or break.
std::string nameOf(const char* prefix, const std::string& schema, const std::string& table) {
  return prefix + sha1(schema + '\0' + table).substr(0, 20);
}

}  // namespace

Status PgOutbox::initialize() {
  return connection_.withPgConnection([&](PgConnection& db) -> Status {
    if (!readOnly_) return db.exec(kCreateOutbox);
    Result<PgResult> found = db.query("SELECT to_regclass('sfsync_outbox') IS NOT NULL");
    if (!found.ok()) return found.status();
    exists_ = found->rows() == 1 && found->text(0, 0) == "t";
    return Status::OK();
  });
}

Result<std::vector<PgOutbox::Column>> PgOutbox::columnsOf(PgConnection& db,
                                                          const OutboxTarget& target) {
  // format_type: enum, array and domain columns cast as themselves (not USER-DEFINED / ARRAY).
  Result<PgResult> r = db.query(
      "SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a WHERE a.attrelid = "
      "to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
      {std::optional<std::string>(quoteIdentifier(db.schema()) + "." +
                                  quoteIdentifier(target.table))});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::InvalidArgument("outbox: no table '" + target.table + "'");
  std::vector<Column> out;
  for (const std::string& c : target.columns) {
    bool found = false;
    for (int i = 0; i < r->rows() && !found; ++i) {
      if (!equalsIgnoreCase(r->text(i, 0), c)) continue;
      found = true;
      Column column{r->text(i, 0), r->text(i, 1), false};
      for (const std::string& k : target.keepLocal) column.keepLocal |= equalsIgnoreCase(k, c);
      out.push_back(std::move(column));
    }
    if (!found) {
      return Status::InvalidArgument("outbox: table '" + target.table + "' has no column '" + c +
                                     "'");
    }
  }
  return out;
}

std::string PgOutbox::captureSql(const std::string& schema, const OutboxTarget& target,
                                 const std::vector<Column>& columns) {
  const std::string s = quoteIdentifier(schema);
  const std::string outbox = s + ".sfsync_outbox";
  const std::string t = s + "." + quoteIdentifier(target.table);
  const std::string fn =
      s + "." + quoteIdentifier(nameOf("sfsync_outbox_fn_", schema, target.table));
  const std::string trigger = quoteIdentifier(nameOf("sfsync_outbox_", schema, target.table));
  const std::string ofRow =
      "FROM " + outbox + " WHERE tbl = " + literal(target.table) + " AND gsid = NEW.gsid";
  std::string inbound, update, insert, list;
  for (const Column& c : columns) {
    const std::string q = quoteIdentifier(c.name);
    const std::string ofCol = ofRow + " AND col = " + literal(c.name);
    list += (list.empty() ? "" : ", ") + q;
    inbound += "IF EXISTS (SELECT 1 " + ofCol + ") THEN NEW." + q + " := (SELECT new_value " +
               ofCol + " ORDER BY seq DESC LIMIT 1)::" + c.type + "; END IF; ";
    if (c.keepLocal) inbound += "NEW." + q + " := OLD." + q + "; ";
    const std::string head = "INSERT INTO " + outbox +
                             "(tbl, gsid, col, kind, inserted, old_value, new_value, changed_at) "
                             "SELECT " +
                             literal(target.table) + ", NEW.gsid, " + literal(c.name) + ", " +
                             literal(std::string(1, kindOf(c.type))) + ", ";
    update += head + "false, " + asText("OLD." + q, c.type) + ", " + asText("NEW." + q, c.type) +
              ", " + kNow + " WHERE NEW." + q + " IS DISTINCT FROM OLD." + q + "; ";
    insert += head + "true, NULL, " + asText("NEW." + q, c.type) + ", " + kNow + " WHERE NEW." + q +
              " IS NOT NULL; ";
  }
  if (!target.captureInserts) insert = "NULL; ";
  const std::string body =
      " BEGIN IF coalesce(current_setting('sfsync.inbound', true), '') = 'on' THEN "
      "IF TG_OP = 'UPDATE' THEN " +
      inbound + "END IF; RETURN NEW; END IF; IF TG_OP = 'UPDATE' THEN " + update + "ELSE " +
      insert + "END IF; RETURN NEW; END ";
  std::string tag = "$sfsync$";  // a dollar-quote tag that does not occur in the body
  for (int n = 1; body.find(tag) != std::string::npos; ++n)
    tag = "$sfsync" + std::to_string(n) + "$";
  // The trigger of earlier versions (named after the table) is dropped; its function is left (it
  // may serve another table's old trigger when PostgreSQL cut both names to the same 63 bytes).
  return "CREATE OR REPLACE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS " + tag +
         body + tag + "; DROP TRIGGER IF EXISTS " +
         quoteIdentifier("sfsync_outbox_" + target.table) + " ON " + t +
         "; DROP TRIGGER IF EXISTS " + trigger + " ON " + t + "; CREATE TRIGGER " + trigger +
         " BEFORE INSERT OR UPDATE OF " + list + " ON " + t + " FOR EACH ROW EXECUTE FUNCTION " +
         fn + "();";
}

// Re-creates the capture only when it is missing or its definition changed (the SHA-1 of the SQL,
// kept as the function's comment): DROP / CREATE TRIGGER lock the user's table exclusively, and
// concurrent CREATE OR REPLACE FUNCTION fails. Daemons sharing the store serialise on an advisory
// lock held to the end of the transaction.
Status PgOutbox::installIfChanged(PgConnection& db, const OutboxTarget& target,
                                  const std::string& sql) {
  const std::string version = sha1(sql);
  const std::string fn = quoteIdentifier(db.schema()) + "." +
                         quoteIdentifier(nameOf("sfsync_outbox_fn_", db.schema(), target.table));
  const std::string table = quoteIdentifier(db.schema()) + "." + quoteIdentifier(target.table);
  const std::string trigger = nameOf("sfsync_outbox_", db.schema(), target.table);
  Result<PgResult> lock =
      db.query("SELECT pg_advisory_xact_lock(hashtext('sfsync_outbox_install'))");
  if (!lock.ok()) return lock.status();
  Result<PgResult> current = db.query(
      "SELECT coalesce(obj_description(to_regprocedure($1), 'pg_proc') = $2, false) AND EXISTS("
      "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass($3) AND tgname = $4)",
      {std::optional<std::string>(fn + "()"), std::optional<std::string>(version),
       std::optional<std::string>(table), std::optional<std::string>(trigger)});
  if (!current.ok()) return current.status();
  if (current->rows() == 1 && current->text(0, 0) == "t") return Status::OK();
  return db.exec(sql + " COMMENT ON FUNCTION " + fn + "() IS " + literal(version) + ";");
}

Status PgOutbox::install(const OutboxTarget& target) {
  if (readOnly_) return Status::InvalidArgument("outbox: opened read-only");
  if (target.columns.empty()) return Status::InvalidArgument("outbox: no write-back columns");
  return connection_.withPgConnection([&](PgConnection& db) -> Status {
    Result<std::vector<Column>> columns = columnsOf(db, target);
    if (!columns.ok()) return columns.status();
    const std::string sql = captureSql(db.schema(), target, *columns);
    if (Status s = db.begin(); !s.ok()) return s;
    Status s = installIfChanged(db, target, sql);
    if (!s.ok()) {
      db.rollback();
      return s;
    }
    return db.commit();
  });
}

Result<std::vector<OutboxEntry>> PgOutbox::pending(const std::string& table, std::int64_t afterSeq,
                                                   std::size_t limit) {
  std::vector<OutboxEntry> out;
  if (!exists_) return out;
  Status s = connection_.withPgConnection([&](PgConnection& db) -> Status {
    Result<PgResult> r = db.query(
        "SELECT seq, tbl, gsid, col, kind, inserted, old_value, new_value, changed_at, attempts, "
        "coalesce(last_error, '') FROM sfsync_outbox WHERE tbl = $1 AND seq > $2 "
        "ORDER BY seq LIMIT $3",
        {table, std::to_string(afterSeq), std::to_string(limit)});
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) {
      OutboxEntry e;
      e.seq = r->int64(i, 0);
      e.table = r->text(i, 1);
      e.gsid = r->text(i, 2);
      e.column = r->text(i, 3);
      const std::string kind = r->text(i, 4);
      e.inserted = r->text(i, 5) == "t";
      e.oldValue = fromText(*r, i, 6, kind.empty() ? 't' : kind[0]);
      e.newValue = fromText(*r, i, 7, kind.empty() ? 't' : kind[0]);
      e.changedAt = r->text(i, 8);
      e.attempts = r->int64(i, 9);
      e.lastError = r->text(i, 10);
      out.push_back(std::move(e));
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

Status PgOutbox::acknowledge(const std::string& table, const std::string& gsid,
                             const std::string& column, std::int64_t upToSeq) {
  if (readOnly_) return Status::InvalidArgument("outbox: opened read-only");
  return connection_.withPgConnection([&](PgConnection& db) -> Status {
    Result<PgResult> r = db.query(
        "DELETE FROM sfsync_outbox WHERE tbl = $1 AND gsid = $2 AND col = $3 AND seq <= $4",
        {table, gsid, column, std::to_string(upToSeq)});
    return r.status();
  });
}

Status PgOutbox::noteFailure(const std::string& table, const std::string& gsid,
                             const std::string& column, std::int64_t upToSeq,
                             const std::string& error) {
  if (readOnly_) return Status::InvalidArgument("outbox: opened read-only");
  return connection_.withPgConnection([&](PgConnection& db) -> Status {
    Result<PgResult> r = db.query(
        "UPDATE sfsync_outbox SET attempts = attempts + 1, last_error = $5 WHERE tbl = $1 AND "
        "gsid = $2 AND col = $3 AND seq <= $4",
        {table, gsid, column, std::to_string(upToSeq),
         error.empty() ? std::string("failed") : error});
    return r.status();
  });
}

Result<std::int64_t> PgOutbox::size(const std::string& table) {
  std::int64_t n = 0;
  if (!exists_) return n;
  Status s = connection_.withPgConnection([&](PgConnection& db) -> Status {
    Result<PgResult> r =
        db.query("SELECT count(*) FROM sfsync_outbox WHERE $1 = '' OR tbl = $1", {table});
    if (!r.ok()) return r.status();
    n = r->int64(0, 0);
    return Status::OK();
  });
  if (!s.ok()) return s;
  return n;
}

}  // namespace sfsync::store
