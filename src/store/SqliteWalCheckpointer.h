// SqliteWalCheckpointer: keeps a store's WAL short without making the loading thread copy it
// (issue 11).
//
// SQLite's automatic checkpoint runs inside COMMIT on the committing connection: during a load the
// loading thread stalls while the WAL (64 MiB by then) is copied into the database file and both
// are synced - 0.3-0.45 s of a 200k-contact Company Person Sync, whose per-page commits write
// 565 MB of WAL for a 143 MB database (its Email index takes random inserts). Instead:
// - The writer's commit hook (sqlite3_wal_hook, which replaces the automatic checkpoint) wakes a
//   thread of this class once the WAL holds `frames` frames. The thread runs a PASSIVE checkpoint
//   on a connection of its own: it copies what is committed while the writer goes on writing.
// - A passive checkpoint cannot make the WAL start over while the writer keeps appending. So when
//   a pass has left at most frames/8 frames uncopied, the writer's next commit copies that short
//   tail itself (a PASSIVE checkpoint on the writer's connection). Its next transaction then
//   restarts the WAL from the beginning, as after an automatic checkpoint.
// - A bound whatever the thread's speed: a commit that finds 4 x `frames` frames in the WAL waits
//   for a running pass, then copies the rest itself (what the automatic checkpoint always does).
// If the thread's connection cannot be opened, start() fails and the caller keeps SQLite's
// automatic checkpoint. SQLITE_BUSY (another connection checkpoints) is not an error: the next
// commit asks again; other failures of a pass are counted (Counts::failedPasses; the store's
// next write meets the same I/O error). An attached database in WAL mode (none today) gets
// SQLite's default behaviour from the hook: a checkpoint in the commit at `frames` frames.
//
// Thread-safety: onCommit runs on the writer's thread, inside its COMMIT (after the write lock is
// released); the checkpoint thread uses only its own connection. They share a mutex for a few
// counters, never held during a checkpoint. The destructor unhooks the writer and joins the
// thread; the writer connection must outlive this object.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sfsync/core/Result.h"

namespace sfsync::store {

class SqliteWalCheckpointer {
 public:
  // The cap, in thresholds; and the largest threshold accepted (so that the cap fits an int).
  static constexpr int kCapFactor = 4;
  static constexpr int kMaxFrames = 1 << 24;

  // Opens its own connection to `path` (which `writer` has open in WAL mode), hooks `writer`'s
  // commits and starts the thread. `frames`: the WAL size (in pages) that starts a pass.
  static Result<std::unique_ptr<SqliteWalCheckpointer>> start(const std::string& path,
                                                              sqlite3* writer, int frames);
  ~SqliteWalCheckpointer();
  SqliteWalCheckpointer(const SqliteWalCheckpointer&) = delete;
  SqliteWalCheckpointer& operator=(const SqliteWalCheckpointer&) = delete;

  // What happened so far (tests and benchmarks): passes run by the thread (and those that failed
  // with anything but SQLITE_BUSY), the tails and the copies at the cap run by the writer, and the
  // most frames the writer saw in the WAL after a commit.
  struct Counts {
    std::int64_t backgroundPasses = 0;
    std::int64_t failedPasses = 0;
    std::int64_t tailCopies = 0;
    std::int64_t capCopies = 0;
    std::int64_t mostFrames = 0;
  };
  Counts counts() const;
  // Waits until no pass is asked for or under way (tests: makes the next commit see its result).
  void waitUntilIdle() const;

 private:
  SqliteWalCheckpointer(sqlite3* own, sqlite3* writer, int frames);
  static int onCommitHook(void* self, sqlite3* db, const char* schema, int frames) noexcept;
  void onCommit(int frames);
  // The writer's own PASSIVE checkpoint (the tail, or everything at the cap).
  void copyOnWriter(std::int64_t Counts::*kind);
  void run();

  sqlite3* const own_;     // used by the thread only
  sqlite3* const writer_;  // the store's connection; used here only inside its commit hook
  const int frames_;
  const int tailFrames_;
  const int capFrames_;

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  bool wanted_ = false;          // a pass was asked for
  bool running_ = false;         // a pass is asked for or under way
  bool passed_ = false;          // a pass finished since the WAL last started over
  std::int64_t copiedTo_ = 0;    // the frame that pass copied up to
  std::int64_t passLog_ = 0;     // the WAL's frames then (fewer later: the WAL started over)
  std::int64_t lastFrames_ = 0;  // the WAL's frames after the writer's latest commit
  bool stop_ = false;
  Counts counts_;
  std::thread thread_;
};

}  // namespace sfsync::store
