// InstanceLock: one process running jobs per configuration. The serving daemon holds an exclusive
// lock (platform::FileLock) on "<store.path>.daemon.lock" for as long as it serves, and so does a
// one-shot run (--run-job, --run-chain, --rerun-failed) for as long as it runs, with its pid and
// what it does written in the file; a second one on the same store finds the lock held and refuses
// to start with a message naming the file, the holder's pid and what the holder does. So a job is
// never run by two processes at once. The operating system drops the lock when the holder dies
// (kill -9 included), so a stale file never blocks a start. Modes that run no job (--validate,
// --activity, --full-resync, controls sent to the daemon, ...) do not take it.
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

  // What the serving daemon records as its activity.
  static constexpr const char* kServing = "serving";

  // Takes the lock of `storePath` and records this process's pid and `activity` in it ("serving",
  // or e.g. "running --run-job=NAME"). kUnavailable when another process holds it ("another sfsyncd
  // (pid N) is serving this configuration: lock file F is held; stop it first", or "... is running
  // --run-job=NAME on this configuration: lock file F is held; wait for it to finish");
  // kIoError when the file cannot be created.
  static Result<platform::FileLock> acquire(const std::string& storePath,
                                            const std::string& activity = kServing);

 private:
  struct Holder {
    std::string pid;       // "" when unreadable or not a number
    std::string activity;  // "" when not recorded
  };
  // The holder recorded in `path`; reads at most 512 bytes.
  static Holder recordedHolder(const std::string& path);
};

}  // namespace sfsync::app
