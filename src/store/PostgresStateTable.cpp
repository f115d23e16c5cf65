#include "store/PostgresStateTable.h"

#include "store/PostgresValues.h"

namespace sfsync::store {

namespace {

using pgvalue::fromHex;
using pgvalue::toHex;

// The smallest byte string greater than every string starting with `prefix` ("" = no bound).
std::string prefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) {
    prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  }
  return prefix;
}

}  // namespace

// Keys and values are bytea: state may hold any bytes (NUL included), and keys order byte-wise.
Status PostgresStateTable::initialize() {
  Status s = db_.exec(
      "CREATE TABLE IF NOT EXISTS sfsync_state (key bytea NOT NULL PRIMARY KEY, "
      "value bytea NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
  if (!s.ok()) return Status::IoError("cannot create the state table: " + s.message());
  return s;
}

Status PostgresStateTable::put(const std::string& key, const std::string& value) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<PgResult> r = db_.query(
      "INSERT INTO sfsync_state (key, value, updated_at) "
      "VALUES (decode($1, 'hex'), decode($2, 'hex'), now()) "
      "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
      {toHex(key), toHex(value)});
  if (!r.ok()) return Status::IoError("cannot save state '" + key + "': " + r.status().message());
  return Status::OK();
}

Result<std::optional<std::string>> PostgresStateTable::get(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<PgResult> r = db_.query(
      "SELECT encode(value, 'hex') FROM sfsync_state WHERE key = decode($1, 'hex')", {toHex(key)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<std::string>();
  std::string value;
  if (!fromHex(r->text(0, 0), &value)) return Status::DataError("state '" + key + "' is corrupt");
  return std::optional<std::string>(std::move(value));
}

Status PostgresStateTable::erase(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<PgResult> r =
      db_.query("DELETE FROM sfsync_state WHERE key = decode($1, 'hex')", {toHex(key)});
  return r.ok() ? Status::OK() : r.status();
}

Result<std::vector<std::pair<std::string, std::string>>> PostgresStateTable::list(
    const std::string& prefix) {
  const std::string end = prefixEnd(prefix);
  std::string sql =
      "SELECT encode(key, 'hex'), encode(value, 'hex') FROM sfsync_state "
      "WHERE key >= decode($1, 'hex')";
  std::vector<std::optional<std::string>> params{toHex(prefix)};
  if (!end.empty()) {
    sql += " AND key < decode($2, 'hex')";
    params.emplace_back(toHex(end));
  }
  Result<PgResult> r = db_.query(sql + " ORDER BY key", params);
  if (!r.ok()) return r.status();
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < r->rows(); ++i) {
    std::string key, value;
    if (!fromHex(r->text(i, 0), &key) || !fromHex(r->text(i, 1), &value)) {
      return Status::DataError("state table holds a corrupt entry");
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace sfsync::store
