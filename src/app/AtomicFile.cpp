#include "app/AtomicFile.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
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

}  // namespace

Status writeFileAtomically(const std::string& path, const std::string& text) {
  const fs::path target(path);
  const std::string dir = target.parent_path().string();
  const std::string temp =
      (target.parent_path() / ("." + target.filename().string() + ".tmp-" + newUuid())).string();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ioError(temp, "create");
  const bool written = writeAll(fd, text) && ::fsync(fd) == 0;
  const int savedErrno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    errno = savedErrno;
    return ioError(temp, "write");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const Status failed = ioError(path, "rename the new file over");
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
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read " + path);
  return std::optional<std::string>(out.str());
}

}  // namespace sfsync::app
