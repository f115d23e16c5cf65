#include "app/InstanceLock.h"

#include <Poco/Process.h>

#include <algorithm>
#include <cctype>
#include <fstream>

namespace sfsync::app {

std::string InstanceLock::pathFor(const std::string& storePath) {
  return storePath + ".daemon.lock";
}

std::string InstanceLock::recordedPid(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buffer[32] = {};
  in.read(buffer, sizeof buffer);
  std::string text(buffer, static_cast<std::size_t>(in.gcount()));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  return digits ? text : "";
}

Result<platform::FileLock> InstanceLock::acquire(const std::string& storePath) {
  const std::string path = pathFor(storePath);
  Result<platform::FileLock> lock = platform::FileLock::tryAcquire(path);
  if (!lock.ok()) {
    if (lock.status().code() != StatusCode::kUnavailable) return lock.status();
    // The holder writes its pid right after locking: a start racing it may read nothing yet.
    const std::string pid = recordedPid(path);
    return Status::Unavailable("another sfsyncd" + (pid.empty() ? "" : " (pid " + pid + ")") +
                               " is serving this configuration: lock file " + path +
                               " is held; stop it first");
  }
  Status written = lock->writeText(std::to_string(Poco::Process::id()) + "\n");
  if (!written.ok()) return written;
  return lock;
}

}  // namespace sfsync::app
