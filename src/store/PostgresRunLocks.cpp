#include "store/PostgresRunLocks.h"

namespace sfsync::store {

std::string PostgresRunLocks::keyOf(const std::string& executionId) const {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over "<schema>/<id>"
  const std::string name = db_.schema() + "/" + executionId;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  return std::to_string(static_cast<std::int64_t>(h));
}

Status PostgresRunLocks::hold(const std::string& executionId) {
  if (holds(executionId)) return Status::OK();
  Result<PgResult> r = db_.query("SELECT pg_try_advisory_lock($1::bigint)", {keyOf(executionId)});
  if (!r.ok()) return r.status();
  if (r->text(0, 0) != "t") {
    return Status::Unavailable("execution " + executionId + " is held by another live store");
  }
  held_.insert(executionId);
  return Status::OK();
}

void PostgresRunLocks::drop(const std::string& executionId) {
  if (held_.erase(executionId) == 0) return;
  // Best effort: a lock that cannot be released now goes with the session.
  db_.exec("SELECT pg_advisory_unlock(" + keyOf(executionId) + "::bigint)").ignoreError();
}

Status PostgresRunLocks::reacquire() {
  for (const std::string& id : held_) {
    Result<PgResult> r = db_.query("SELECT pg_try_advisory_lock($1::bigint)", {keyOf(id)});
    if (!r.ok()) return r.status();
    if (r->text(0, 0) != "t") {
      return Status::Unavailable("execution " + id +
                                 " was taken by another store while the connection was lost");
    }
  }
  return Status::OK();
}

Result<bool> PostgresRunLocks::isLive(const std::string& executionId) {
  if (holds(executionId)) return true;
  const std::string key = keyOf(executionId);
  Result<PgResult> r = db_.query("SELECT pg_try_advisory_lock($1::bigint)", {key});
  if (!r.ok()) return r.status();
  if (r->text(0, 0) != "t") return true;
  Status s = db_.exec("SELECT pg_advisory_unlock(" + key + "::bigint)");
  if (!s.ok()) return s;
  return false;
}

}  // namespace sfsync::store
