#include "store/PostgresStateTable.h"

namespace sfsync::store {

Status PostgresStateTable::initialize() {
  Status s = db_.exec(
      "CREATE TABLE IF NOT EXISTS sfsync_state (key text COLLATE \"C\" NOT NULL PRIMARY KEY, "
      "value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
  if (!s.ok()) return Status::IoError("cannot create the state table: " + s.message());
  return s;
}

Status PostgresStateTable::put(const std::string& key, const std::string& value) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<PgResult> r = db_.query(
      "INSERT INTO sfsync_state (key, value, updated_at) VALUES ($1, $2, now()) "
      "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
      {key, value});
  if (!r.ok()) return Status::IoError("cannot save state '" + key + "': " + r.status().message());
  return Status::OK();
}

Result<std::optional<std::string>> PostgresStateTable::get(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<PgResult> r = db_.query("SELECT value FROM sfsync_state WHERE key = $1", {key});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r->text(0, 0));
}

Status PostgresStateTable::erase(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<PgResult> r = db_.query("DELETE FROM sfsync_state WHERE key = $1", {key});
  return r.ok() ? Status::OK() : r.status();
}

Result<std::vector<std::pair<std::string, std::string>>> PostgresStateTable::list(
    const std::string& prefix) {
  // starts_with() is byte-wise; the "C" collation orders byte-wise.
  Result<PgResult> r = db_.query(
      "SELECT key, value FROM sfsync_state WHERE starts_with(key, $1) ORDER BY key", {prefix});
  if (!r.ok()) return r.status();
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < r->rows(); ++i) out.emplace_back(r->text(i, 0), r->text(i, 1));
  return out;
}

}  // namespace sfsync::store
