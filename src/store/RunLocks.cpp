#include "store/RunLocks.h"

#include <Poco/File.h>

#include <cstdio>

namespace sfsync::store {

std::string RunLocks::pathOf(const std::string& executionId) const {
  std::string name;
  for (unsigned char c : executionId) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_';
    if (plain) {
      name += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      name += escaped;
    }
  }
  return dir_ + "/" + name + ".lock";
}

Status RunLocks::hold(const std::string& executionId) {
  if (holds(executionId)) return Status::OK();
  try {
    Poco::File(dir_).createDirectories();
  } catch (const std::exception& e) {
    return Status::IoError("cannot create the run lock directory " + dir_ + ": " + e.what());
  }
  Result<platform::FileLock> lock = platform::FileLock::tryAcquire(pathOf(executionId));
  if (!lock.ok()) {
    const std::string message =
        "cannot lock execution " + executionId + ": " + lock.status().message();
    return lock.status().code() == StatusCode::kUnavailable ? Status::Unavailable(message)
                                                            : Status::IoError(message);
  }
  held_.emplace(executionId, std::move(lock).value());
  return Status::OK();
}

void RunLocks::drop(const std::string& executionId) {
  auto it = held_.find(executionId);
  if (it == held_.end()) return;
  it->second.releaseAndRemove();
  held_.erase(it);
}

Result<bool> RunLocks::isLive(const std::string& executionId) const {
  if (holds(executionId)) return true;
  return platform::isFileLockHeld(pathOf(executionId));
}

}  // namespace sfsync::store
