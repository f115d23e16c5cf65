// PostgresRunLocks: the liveness locks of unfinished executions (see RunLocks) for the PostgreSQL
// store, as session-level advisory locks keyed by a 64-bit hash of (schema, execution id). The
// server drops them when the holding session ends - the process exited, was killed (-9 included)
// or lost its connection - so failInterruptedExecutions marks Failed only rows whose lock no live
// session holds, whichever machine wrote them. Advisory locks do not follow transactions: a
// rolled-back save keeps its lock until drop().
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "sfsync/core/Result.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PostgresRunLocks {
 public:
  explicit PostgresRunLocks(PgConnection& db) : db_(db) {}

  // Takes the lock of `executionId` unless held here already; kUnavailable when another session
  // holds it.
  Status hold(const std::string& executionId);
  // Releases it (if held here); best effort.
  void drop(const std::string& executionId);
  bool holds(const std::string& executionId) const { return held_.count(executionId) > 0; }
  // After a reconnect (the old session's locks are gone): takes every lock held here again.
  // Every id is tried; kUnavailable (naming them) when another session took some meanwhile: those
  // are no longer held here.
  Status reacquire();
  // True while some live session (this one included) holds the execution's lock.
  Result<bool> isLive(const std::string& executionId);

 private:
  std::string keyOf(const std::string& executionId) const;

  PgConnection& db_;
  std::set<std::string> held_;
};

}  // namespace sfsync::store
