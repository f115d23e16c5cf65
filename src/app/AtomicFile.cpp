#include "app/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "sfsync/core/Ids.h"

namespace sfsync::app {

namespace {

namespace fs = std::filesystem;

Status ioError(const std::string& path, const std::string& step) {
  return Status::IoError("cannot " + step + " " + path + ": " + std::strerror(errno));
}

Status syncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return ioError(dir, "open the folder");
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::OK() : ioError(dir, "fsync the folder");
}

// Writes all of `text` to `fd`; false on error (errno set).
bool writeAll(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The file to replace for `path`: `path` itself, or the file a symlink at `path` points to (the
// link is kept, its target is written: replacing the link by a plain file would detach it).
Result<std::string> resolveTarget(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  char* real = ::realpath(path.c_str(), nullptr);
  if (real == nullptr) {
    return Status::IoError("cannot write " + path + ": it is a symbolic link whose target (" +
                           std::strerror(errno) + ") cannot be resolved; fix or remove the link");
  }
  std::string out(real);
  ::free(real);
  return out;
}

}  // namespace

Status writeFileAtomically(const std::string& path, const std::string& text) {
  Result<std::string> resolved = resolveTarget(path);
  if (!resolved.ok()) return resolved.status();
  const fs::path target(*resolved);
  const std::string dir = target.parent_path().string();
  const std::string temp =
      (target.parent_path() / ("." + target.filename().string() + ".tmp-" + newUuid())).string();
  // The replaced file's permission bits are kept (a 0640 file holding webhook secrets must not
  // become world-readable); a new file is 0640.
  struct stat st {};
  const mode_t mode = ::stat(target.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0640;
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ioError(temp, "create");
  bool written = ::fchmod(fd, mode) == 0 && writeAll(fd, text) && ::fsync(fd) == 0;
  int savedErrno = errno;
  if (::close(fd) != 0 && written) {
    written = false;
    savedErrno = errno;
  }
  if (!written) {
    ::unlink(temp.c_str());
    errno = savedErrno;
    return ioError(temp, "write");
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const Status failed = ioError(target.string(), "rename the new file over");
    ::unlink(temp.c_str());
    return failed;
  }
  return syncDirectory(dir);
}

Status removeFileDurably(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return ioError(path, "remove");
  return syncDirectory(fs::path(path).parent_path().string());
}

Result<std::optional<std::string>> readWholeFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path);
  std::string text(kMaxDefinitionBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Status::IoError("cannot read " + path);
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxDefinitionBytes) {
    return Status::InvalidArgument(path + " is larger than " +
                                   std::to_string(kMaxDefinitionBytes / (1024 * 1024)) +
                                   " MiB, the largest job or chain file read");
  }
  return std::optional<std::string>(std::move(text));
}

}  // namespace sfsync::app
