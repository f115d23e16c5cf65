// Platform: the operating-system calls sfsync needs beyond Poco and the C++ library, in ONE place
// so a port (Windows: LockFileEx on a handle opened with CreateFile) has one file to implement. The
// POSIX implementation is src/core/Platform.cpp (flock(2), open(2) with O_CLOEXEC, kill(2) as a
// process probe, shutdown(2), sigwait(3)); no other source file includes a POSIX-only header.
//
// FileLock: an exclusive advisory lock on a file, held from a successful tryAcquire() until
// release() or destruction. The operating system drops it when the holding process dies (kill -9
// included), which is what makes it a liveness signal: "is the lock on <file> held?" answers "is
// the process that took it still alive?". A lock is per open file, not per process: a second
// tryAcquire() of the same path in the same process fails like any other. The descriptor is not
// inherited by programs the process starts (close-on-exec).
//
// Thread-safety: a FileLock object is used by one thread at a time; the free functions may be
// called from any thread.
//
// Termination signals (POSIX: sigwait on a mask every thread inherits): SIGINT, SIGTERM and SIGQUIT
// request a clean shutdown of the serving daemon (runs stop at a page boundary with their
// checkpoint); a second one during that shutdown exits at once (exitOnTerminationSignal). SIGHUP
// reloads the configuration (the daemon's onHangup callback) and does not stop it. Blocked in every
// thread and taken synchronously, so no thread is ever killed by one and no async-signal-safety
// rules apply.
#pragma once

#include <functional>
#include <string>

#include "sfsync/core/Result.h"

namespace sfsync::platform {

class FileLock {
 public:
  FileLock() = default;
  ~FileLock() { release(); }
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  // Creates `path` if missing (its directory must exist) and locks it without waiting.
  // kUnavailable when another open file (this process or another) holds the lock; kIoError when
  // the file cannot be created or locked.
  static Result<FileLock> tryAcquire(const std::string& path);

  bool held() const { return fd_ >= 0; }
  // Deletes the file (while still holding the lock, so no waiter locks a deleted file), then
  // unlocks. No-op when not held.
  void releaseAndRemove();
  // Unlocks and closes; the file stays. No-op when not held.
  void release();
  // Replaces the locked file's contents with `text` (e.g. the holder's pid, for the message of a
  // process that finds the lock held). kIoError when not held or the write fails.
  Status writeText(const std::string& text);

 private:
  explicit FileLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// True when some open file (in any process, this one included) holds the lock on `path`. False
// when the file does not exist or nobody holds its lock; in the latter case the stale file is
// removed. Never creates the file. kIoError when the file exists but cannot be opened or probed.
Result<bool> isFileLockHeld(const std::string& path);

// False only when no process with id `pid` exists (POSIX kill(pid, 0) fails with ESRCH); true when
// it runs, also under another user (then it cannot be signalled, but it exists).
bool processExists(long pid);

// Shuts down both directions of the connected socket `fd`, which wakes a thread blocked reading
// it; the caller still owns (and later closes) the descriptor. Errors are ignored (a socket the
// peer already closed needs no waking).
void shutdownSocket(int fd);

// Blocks SIGINT, SIGTERM, SIGQUIT and SIGHUP in the calling thread and so in every thread it starts
// afterwards. Call on the main thread before any other thread exists.
void blockTerminationSignals();
// Runs `start` with those signals blocked in the calling thread, then gives the thread its mask
// back: the threads `start` starts never take them, even when started before
// blockTerminationSignals() (a store opened early starts its checkpoint thread).
void withTerminationSignalsBlocked(const std::function<void()>& start);
// Waits (on the thread that blocked them) for SIGINT, SIGTERM or SIGQUIT and returns its name
// ("SIGTERM", ...). Each SIGHUP meanwhile calls onHangup, and waiting goes on.
std::string waitForTerminationSignal(const std::function<void()>& onHangup);
// After waitForTerminationSignal() returned: starts a thread that waits for the next SIGINT,
// SIGTERM or SIGQUIT and then ends the process at once with `exitCode` (std::_Exit: no destructor,
// no flush; the store's transactions keep it consistent). `onSignal` runs on that thread first
// (e.g. to log). Call once.
void exitOnTerminationSignal(int exitCode, const std::function<void(const std::string&)>& onSignal);

// Private files (secrets, keys). writePrivateFileAtomically writes `content` to a temporary file
// beside `path` created with mode 0600 (owner only, whatever the umask), syncs it to disk, renames
// it over `path` and syncs the directory: readers see the old or the new file, never a mix, and a
// crash leaves at most a stray "<path>.tmp-<pid>-<n>-<random>" (unique per call, created with
// O_EXCL, so threads writing the same file never share one). kIoError naming `path` on failure (the
// temporary file is removed). With `exclusive`, an existing `path` is kInvalidArgument and left
// alone.
Status writePrivateFileAtomically(const std::string& path, const std::string& content,
                                  bool exclusive = false);
// The permission bits of `path` (POSIX st_mode & 07777), or kIoError naming it.
Result<unsigned> filePermissions(const std::string& path);
// Whether standard input is a terminal, and switching its echo (for reading a secret).
bool stdinIsTerminal();
void setStdinEcho(bool on);

}  // namespace sfsync::platform
