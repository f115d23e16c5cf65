#include "store/SqliteWalCheckpointer.h"

#include <algorithm>
#include <cstring>
#include <exception>

#include "sfsync/core/Platform.h"

namespace sfsync::store {

Result<std::unique_ptr<SqliteWalCheckpointer>> SqliteWalCheckpointer::start(const std::string& path,
                                                                            sqlite3* writer,
                                                                            int frames) {
  if (writer == nullptr || frames <= 0 || frames > kMaxFrames) {
    return Status::InvalidArgument(
        "WAL checkpointer: no writer, or a frame threshold out of range");
  }
  sqlite3* own = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = own != nullptr ? sqlite3_errmsg(own) : sqlite3_errstr(rc);
    sqlite3_close_v2(own);
    return Status::IoError("cannot open a checkpoint connection to " + path + ": " + message);
  }
  // The checkpoint syncs like the writer's would (synchronous=NORMAL: the WAL before copying, the
  // database after). It reads frames straight from the WAL: no page cache worth having.
  char* err = nullptr;
  if (sqlite3_exec(own, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-256", nullptr, nullptr,
                   &err) != SQLITE_OK) {
    std::string message = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    sqlite3_close_v2(own);
    return Status::IoError("cannot configure the checkpoint connection to " + path + ": " +
                           message);
  }
  std::unique_ptr<SqliteWalCheckpointer> checkpointer(
      new SqliteWalCheckpointer(own, writer, frames));
  try {  // the thread never takes the daemon's termination signals (sigwait on the main thread)
    platform::withTerminationSignalsBlocked(
        [&] { checkpointer->thread_ = std::thread([c = checkpointer.get()] { c->run(); }); });
  } catch (const std::exception& e) {  // std::system_error: no thread to be had
    return Status::Unavailable(std::string("cannot start the WAL checkpoint thread: ") + e.what());
  }
  sqlite3_wal_hook(writer, &SqliteWalCheckpointer::onCommitHook, checkpointer.get());
  return checkpointer;
}

SqliteWalCheckpointer::SqliteWalCheckpointer(sqlite3* own, sqlite3* writer, int frames)
    : own_(own),
      writer_(writer),
      frames_(frames),
      tailFrames_(std::max(1, frames / 8)),
      capFrames_(frames * kCapFactor) {}

SqliteWalCheckpointer::~SqliteWalCheckpointer() {
  if (thread_.joinable()) {
    sqlite3_wal_hook(writer_, nullptr, nullptr);  // no commit reaches this object any more
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  sqlite3_close_v2(own_);
}

SqliteWalCheckpointer::Counts SqliteWalCheckpointer::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

int SqliteWalCheckpointer::onCommitHook(void* self, sqlite3* db, const char* schema,
                                        int frames) noexcept {
  auto* checkpointer = static_cast<SqliteWalCheckpointer*>(self);
  try {  // called from SQLite's C code: nothing may escape
    if (schema != nullptr && std::strcmp(schema, "main") == 0) {
      checkpointer->onCommit(frames);
    } else if (frames >= checkpointer->frames_) {  // an attached WAL database: SQLite's default
      (void)sqlite3_wal_checkpoint(db, schema);
    }
  } catch (const std::exception&) {  // std::system_error from the mutex: skip this commit's turn
  }
  return SQLITE_OK;  // a checkpoint that could not run is not the commit's failure
}

void SqliteWalCheckpointer::onCommit(int frames) {
  std::unique_lock<std::mutex> lock(mu_);
  counts_.mostFrames = std::max<std::int64_t>(counts_.mostFrames, frames);
  lastFrames_ = frames;
  if (frames < passLog_) passed_ = false;  // the WAL started over since that pass: it is moot
  if (frames >= capFrames_) {  // the thread fell behind: bound the WAL as SQLite itself would
    changed_.wait(lock, [&] { return !running_ || stop_; });
    passed_ = false;
    lock.unlock();
    copyOnWriter(&Counts::capCopies);
    return;
  }
  if (running_) return;
  if (passed_ && frames - copiedTo_ <= tailFrames_) {
    passed_ = false;  // the short tail: after it the next transaction starts the WAL over
    lock.unlock();
    copyOnWriter(&Counts::tailCopies);
    return;
  }
  passed_ = false;
  if (frames >= frames_) {
    running_ = true;
    wanted_ = true;
    lock.unlock();
    changed_.notify_all();
  }
}

void SqliteWalCheckpointer::copyOnWriter(std::int64_t Counts::*kind) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++(counts_.*kind);
  }
  // The result is deliberately ignored: BUSY (another connection checkpoints) is retried by a
  // later commit, and an I/O error here will surface on the writer's next write.
  (void)sqlite3_wal_checkpoint_v2(writer_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

void SqliteWalCheckpointer::waitUntilIdle() const {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return !running_ || stop_; });
}

void SqliteWalCheckpointer::run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return wanted_ || stop_; });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    int logFrames = -1;
    int copied = -1;
    const int rc =
        sqlite3_wal_checkpoint_v2(own_, "main", SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied);
    lock.lock();
    running_ = false;
    ++counts_.backgroundPasses;
    if (rc == SQLITE_OK && copied >= 0) {
      // Copied through the writer's last commit: its next transaction starts the WAL over by
      // itself, and a tail copy could only copy that transaction, inside its commit.
      passed_ = !(copied == logFrames && lastFrames_ <= logFrames);
      copiedTo_ = copied;
      passLog_ = logFrames;
    } else if (rc != SQLITE_BUSY) {
      ++counts_.failedPasses;
    }
    lock.unlock();
    changed_.notify_all();  // a writer may wait for this pass (onCommit, at the cap)
    lock.lock();
  }
}

}  // namespace sfsync::store
