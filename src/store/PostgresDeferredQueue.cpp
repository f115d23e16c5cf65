#include "store/PostgresDeferredQueue.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "sfsync/core/ValueCodec.h"
#include "store/PostgresStage.h"
#include "store/PostgresValues.h"

namespace sfsync::store {

using pgvalue::fromHex;
using pgvalue::toHex;

Status PostgresDeferredQueue::initialize() {
  return db_.exec(
      "CREATE TABLE IF NOT EXISTS sfsync_deferred (owner text COLLATE \"C\" NOT NULL, "
      "seq bigint NOT NULL, row bytea NOT NULL, PRIMARY KEY (owner, seq))");
}

Status PostgresDeferredQueue::append(const std::string& owner, const std::vector<Row>& rows) {
  if (owner.empty()) return Status::InvalidArgument("deferred rows: empty owner");
  if (rows.empty()) return Status::OK();
  PostgresStage stage(db_);
  stage.start(1);
  std::vector<std::optional<std::string>> field(1);
  std::string encoded;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    encoded.clear();
    appendRow(rows[i], encoded);
    field[0] = toHex(encoded);
    stage.add(static_cast<std::int64_t>(i + 1), field);
  }
  Status s = stage.load();
  if (!s.ok()) return s;
  Result<PgResult> r = db_.query(
      "INSERT INTO sfsync_deferred (owner, seq, row) SELECT $1, "
      "(SELECT COALESCE(MAX(seq), 0) FROM sfsync_deferred WHERE owner = $1) + s.i, "
      "decode(s.c0, 'hex') FROM " +
          PostgresStage::name(1) + " AS s",
      {owner});
  if (!r.ok()) {
    return Status::IoError("store deferred rows of " + owner + ": " + r.status().message());
  }
  return Status::OK();
}

Result<std::vector<std::pair<std::int64_t, Row>>> PostgresDeferredQueue::read(
    const std::string& owner, std::int64_t after, std::size_t limit) {
  Result<PgResult> r = db_.query(
      "SELECT seq, encode(row, 'hex') FROM sfsync_deferred WHERE owner = $1 AND seq > $2 "
      "ORDER BY seq LIMIT $3",
      {owner, std::to_string(after),
       std::to_string(std::min<std::size_t>(limit, std::size_t{1} << 62))});
  if (!r.ok()) return r.status();
  std::vector<std::pair<std::int64_t, Row>> out;
  std::string bytes;
  for (int i = 0; i < r->rows(); ++i) {
    std::pair<std::int64_t, Row>& entry = out.emplace_back(r->int64(i, 0), Row{});
    std::size_t pos = 0;
    if (!fromHex(r->text(i, 1), &bytes) || !readRow(std::string_view(bytes), pos, entry.second) ||
        pos != bytes.size()) {
      return Status::DataError("deferred row " + std::to_string(entry.first) + " of " + owner +
                               " is corrupt");
    }
  }
  return out;
}

Status PostgresDeferredQueue::clear(const std::string& owner) {
  Result<PgResult> r = db_.query("DELETE FROM sfsync_deferred WHERE owner = $1", {owner});
  return r.ok() ? Status::OK() : r.status();
}

}  // namespace sfsync::store
