#include "store/SqliteWalCheckpointer.h"

#include <algorithm>
#include <cstring>
#include <exception>

#include "sfsync/core/Platform.h"

namespace sfsync::store {

Result<std::unique_ptr<SqliteWalCheckpointer>> SqliteWalCheckpointer::start(const std::string& path,
                                                                            sqlite3* writer,
                                                                            int frames) {
  if (writer == nullptr || frames <= 0) {
    return Status::InvalidArgument("WAL checkpointer: no writer or no frame threshold");
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
      capFrames_(frames * 4) {}

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

int SqliteWalCheckpointer::onCommitHook(void* self, sqlite3*, const char* schema, int frames) {
  // Only the store's own database: an attached scratch file is not in WAL mode anyway.
  if (schema != nullptr && std::strcmp(schema, "main") == 0) {
    static_cast<SqliteWalCheckpointer*>(self)->onCommit(frames);
  }
  return SQLITE_OK;  // a checkpoint that could not run is not the commit's failure
}

void SqliteWalCheckpointer::onCommit(int frames) {
  std::unique_lock<std::mutex> lock(mu_);
  counts_.mostFrames = std::max<std::int64_t>(counts_.mostFrames, frames);
  bool copyHere = false;
  if (frames >= capFrames_) {  // the thread fell behind: bound the WAL as SQLite itself would
    changed_.wait(lock, [&] { return !running_ || stop_; });
    copyHere = true;
  } else if (running_) {
    return;
  } else if (passed_ && frames - copiedTo_ <= tailFrames_) {
    copyHere = true;  // the short tail: after it the next transaction starts the WAL over
  }
  passed_ = false;
  if (copyHere) {
    ++counts_.writerCopies;
    lock.unlock();
    // The result is deliberately ignored: BUSY (another connection checkpoints) is retried by a
    // later commit, and an I/O error here will surface on the writer's next write.
    (void)sqlite3_wal_checkpoint_v2(writer_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return;
  }
  if (frames >= frames_) {
    running_ = true;
    wanted_ = true;
    lock.unlock();
    changed_.notify_all();
  }
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
      passed_ = true;
      copiedTo_ = copied;
    }
    lock.unlock();
    changed_.notify_all();  // a writer may wait for this pass (onCommit, at the cap)
    lock.lock();
  }
}

}  // namespace sfsync::store
