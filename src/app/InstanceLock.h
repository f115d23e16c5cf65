// InstanceLock: one serving sfsyncd per configuration. The serving daemon holds an exclusive lock
// (platform::FileLock) on "<store.path>.daemon.lock" for as long as it serves, with its pid written
// in the file; a second daemon on the same store finds the lock held and refuses to start with a
// message naming the file and the holder's pid. The operating system drops the lock when the
// holder dies (kill -9 included), so a stale file never blocks a start. One-shot modes (--run-job,
// --run-chain, --activity, ...) do not take it: they may run beside a serving daemon.
//
// Thread-safety: stateless functions, safe from any thread; the returned FileLock belongs to the
// caller.
#pragma once

#include <string>

#include "sfsync/core/Platform.h"
#include "sfsync/core/Result.h"

namespace sfsync::app {

class InstanceLock {
 public:
  // "<storePath>.daemon.lock".
  static std::string pathFor(const std::string& storePath);

  // Takes the lock of the daemon serving `storePath` and records this process's pid in it.
  // kUnavailable when another daemon holds it ("another sfsyncd (pid N) is serving this
  // configuration: lock file F is held; stop it first"); kIoError when the file cannot be created.
  static Result<platform::FileLock> acquire(const std::string& storePath);

 private:
  // The pid recorded in `path` ("" when unreadable or not a number); reads at most 32 bytes.
  static std::string recordedPid(const std::string& path);
};

}  // namespace sfsync::app
