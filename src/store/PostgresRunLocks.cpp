#include "store/PostgresRunLocks.h"

#include <vector>

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
  // Every id is tried: one lost lock must not leave the others unlocked. Lost ones leave held_.
  std::vector<std::string> lost;
  for (auto it = held_.begin(); it != held_.end();) {
    Result<PgResult> r = db_.query("SELECT pg_try_advisory_lock($1::bigint)", {keyOf(*it)});
    if (!r.ok()) return r.status();  // the connection again: the next reconnect tries them all
    if (r->text(0, 0) == "t") {
      ++it;
      continue;
    }
    lost.push_back(*it);
    it = held_.erase(it);
  }
  if (lost.empty()) return Status::OK();
  std::string ids;
  for (const std::string& id : lost) ids += (ids.empty() ? "" : ", ") + id;
  return Status::Unavailable("execution(s) " + ids +
                             " taken by another store while the connection was lost");
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
