// POSIX implementation of sfsync/core/Platform.h (Linux, the BSDs, macOS).
#include "sfsync/core/Platform.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>
#include <utility>

namespace sfsync::platform {

namespace {

std::string errnoText(int error) { return std::strerror(error); }

// open(2) retried on EINTR.
int openRetrying(const std::string& path, int flags) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// flock(LOCK_EX | LOCK_NB) retried on EINTR: 0 locked, EWOULDBLOCK held elsewhere, else errno.
int tryLock(int fd) {
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  return rc == 0 ? 0 : errno;
}

// True when `fd` is still the file named `path` (not unlinked or replaced since it was opened).
bool sameFile(int fd, const std::string& path) {
  struct stat opened {};
  struct stat named {};
  if (::fstat(fd, &opened) != 0 || ::stat(path.c_str(), &named) != 0) return false;
  return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}

}  // namespace

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

Result<FileLock> FileLock::tryAcquire(const std::string& path) {
  // A lock taken on a file another process removed meanwhile guards nothing: lock, then check that
  // the path still names the locked file, else start over (bounded: removal needs the lock).
  for (int round = 0; round < 8; ++round) {
    const int fd = openRetrying(path, O_RDWR | O_CREAT);
    if (fd < 0) return Status::IoError("cannot create lock file " + path + ": " + errnoText(errno));
    const int error = tryLock(fd);
    if (error != 0) {
      ::close(fd);
      if (error == EWOULDBLOCK) return Status::Unavailable("lock file " + path + " is held");
      return Status::IoError("cannot lock " + path + ": " + errnoText(error));
    }
    if (sameFile(fd, path)) return FileLock(fd, path);
    ::close(fd);
  }
  return Status::IoError("cannot lock " + path + ": the file keeps being replaced");
}

void FileLock::releaseAndRemove() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());
  release();
}

void FileLock::release() {
  if (fd_ < 0) return;
  ::close(fd_);  // closing the only descriptor of the open file drops its lock
  fd_ = -1;
}

Status FileLock::writeText(const std::string& text) {
  if (fd_ < 0) return Status::IoError("cannot write lock file " + path_ + ": not held");
  int rc;
  do {
    rc = ::ftruncate(fd_, 0);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return Status::IoError("cannot write lock file " + path_ + ": " + errnoText(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::pwrite(fd_, text.data() + done, text.size() - done, done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IoError("cannot write lock file " + path_ + ": " + errnoText(errno));
    done += static_cast<std::size_t>(n);
  }
  return Status::OK();
}

Result<bool> isFileLockHeld(const std::string& path) {
  const int fd = openRetrying(path, O_RDONLY);
  if (fd < 0) {
    if (errno == ENOENT) return false;
    return Status::IoError("cannot open lock file " + path + ": " + errnoText(errno));
  }
  const int error = tryLock(fd);
  if (error == EWOULDBLOCK) {
    ::close(fd);
    return true;
  }
  if (error != 0) {
    ::close(fd);
    return Status::IoError("cannot probe lock file " + path + ": " + errnoText(error));
  }
  if (sameFile(fd, path)) ::unlink(path.c_str());  // stale: its owner is gone
  ::close(fd);
  return false;
}

bool processExists(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

void shutdownSocket(int fd) { ::shutdown(fd, SHUT_RDWR); }

namespace {

sigset_t terminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&set, signal);
  return set;
}

}  // namespace

void blockTerminationSignals() {
  const sigset_t set = terminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void withTerminationSignalsBlocked(const std::function<void()>& start) {
  const sigset_t set = terminationSignals();
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &set, &previous);
  struct Restore {
    const sigset_t& mask;
    ~Restore() { pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
  } restore{previous};
  start();
}

void exitOnTerminationSignal(int exitCode,
                             const std::function<void(const std::string&)>& onSignal) {
  std::thread([exitCode, onSignal] {
    const std::string name = waitForTerminationSignal(nullptr);  // SIGHUP: ignored meanwhile
    if (onSignal) onSignal(name);
    std::_Exit(exitCode);
  }).detach();
}

std::string waitForTerminationSignal(const std::function<void()>& onHangup) {
  const sigset_t set = terminationSignals();
  while (true) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) continue;  // only EINVAL is possible; the set is valid
    switch (signal) {
      case SIGHUP:
        if (onHangup) onHangup();
        continue;
      case SIGINT:
        return "SIGINT";
      case SIGQUIT:
        return "SIGQUIT";
      default:
        return "SIGTERM";
    }
  }
}

namespace {

Status ioError(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

bool writeAll(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string parentDirectory(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

Status writePrivateFileAtomically(const std::string& path, const std::string& content,
                                  bool exclusive) {
  struct stat existing;
  if (exclusive && ::stat(path.c_str(), &existing) == 0) {
    return Status::InvalidArgument(path + " already exists; not overwritten");
  }
  // Unique per call (pid + process-wide counter + random), created exclusively: two threads
  // writing the same file never share (and truncate) one temporary file.
  static std::atomic<unsigned long> counter{0};
  std::random_device random;
  const std::string temp = path + ".tmp-" + std::to_string(::getpid()) + "-" +
                           std::to_string(++counter) + "-" + std::to_string(random());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return ioError("cannot create", temp);
  // O_CREAT's mode is masked by the umask only towards fewer rights; make it exactly 0600.
  bool ok = ::fchmod(fd, 0600) == 0 && writeAll(fd, content) && ::fsync(fd) == 0;
  Status status = ok ? Status::OK() : ioError("cannot write", temp);
  if (::close(fd) != 0 && status.ok()) status = ioError("cannot close", temp);
  if (status.ok() && exclusive) {
    // link() fails when `path` appeared meanwhile: never replace a key another process created.
    if (::link(temp.c_str(), path.c_str()) != 0) status = ioError("cannot create", path);
    ::unlink(temp.c_str());
  } else if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = ioError("cannot replace", path);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  const int dir = ::open(parentDirectory(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    // Best effort: the rename is already visible; a failed directory sync only weakens durability.
    (void)::fsync(dir);
    ::close(dir);
  }
  return Status::OK();
}

Result<unsigned> filePermissions(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ioError("cannot stat", path);
  return static_cast<unsigned>(st.st_mode & 07777);
}

bool stdinIsTerminal() { return ::isatty(STDIN_FILENO) == 1; }

void setStdinEcho(bool on) {
  struct termios t;
  if (::tcgetattr(STDIN_FILENO, &t) != 0) return;
  if (on) {
    t.c_lflag |= ECHO;
  } else {
    t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  }
  ::tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

}  // namespace sfsync::platform
