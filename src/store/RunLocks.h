// RunLocks: whether the process that wrote an unfinished execution row ("Running", or waiting to
// retry) is still alive. Before a store first saves an execution as unfinished it takes an
// exclusive lock on <database>-runs/<execution id>.lock (platform::FileLock) and holds it until it
// saves the row as finished (then the file is removed) or the store is closed. The operating system
// drops the lock when the process dies - kill -9 included - so a row whose lock nobody holds was
// abandoned, and only such rows are marked interrupted (Store::failInterruptedExecutions).
//
// Ordering that makes the check race-free: the lock is taken BEFORE the row says unfinished and
// released only AFTER the row says finished, and the check runs inside a write transaction, so
// while it looks at a row no other process can change that row or its lock.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <map>
#include <string>

#include "sfsync/core/Platform.h"
#include "sfsync/core/Result.h"

namespace sfsync::store {

class RunLocks {
 public:
  // `databasePath`: the store's file; locks live in the directory "<databasePath>-runs".
  explicit RunLocks(const std::string& databasePath) : dir_(databasePath + "-runs") {}

  // Takes the lock of `executionId` unless this store holds it already. kUnavailable when another
  // store or process holds it; kIoError when the lock file cannot be created.
  Status hold(const std::string& executionId);
  // Releases the lock of `executionId` (if held here) and removes its file.
  void drop(const std::string& executionId);
  bool holds(const std::string& executionId) const { return held_.count(executionId) > 0; }

  // True while some live store (in this process or another) holds the execution's lock.
  Result<bool> isLive(const std::string& executionId) const;

 private:
  // The lock file of an execution; the id is escaped so that any id maps to one plain file name.
  std::string pathOf(const std::string& executionId) const;

  std::string dir_;
  std::map<std::string, platform::FileLock> held_;
};

}  // namespace sfsync::store
