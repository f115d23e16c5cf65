#include "app/InstanceLock.h"

#include <Poco/Process.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace sfsync::app {

std::string InstanceLock::pathFor(const std::string& storePath) {
  return storePath + ".daemon.lock";
}

InstanceLock::Holder InstanceLock::recordedHolder(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buffer[512] = {};
  in.read(buffer, sizeof buffer);
  std::istringstream text(std::string(buffer, static_cast<std::size_t>(in.gcount())));
  Holder holder;
  std::getline(text, holder.pid);
  std::getline(text, holder.activity);
  const bool digits =
      !holder.pid.empty() && std::all_of(holder.pid.begin(), holder.pid.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      });
  if (!digits) holder.pid.clear();
  return holder;
}

Result<platform::FileLock> InstanceLock::acquire(const std::string& storePath,
                                                 const std::string& activity) {
  const std::string path = pathFor(storePath);
  Result<platform::FileLock> lock = platform::FileLock::tryAcquire(path);
  if (!lock.ok()) {
    if (lock.status().code() != StatusCode::kUnavailable) return lock.status();
    // The holder writes its pid right after locking: a start racing it may read nothing yet.
    const Holder holder = recordedHolder(path);
    const std::string who =
        "another sfsyncd" + (holder.pid.empty() ? "" : " (pid " + holder.pid + ")");
    if (holder.activity.empty() || holder.activity == kServing) {
      return Status::Unavailable(who + " is serving this configuration: lock file " + path +
                                 " is held; stop it first");
    }
    return Status::Unavailable(who + " is " + holder.activity +
                               " on this configuration: lock file " + path +
                               " is held; wait for it to finish");
  }
  std::string oneLine = activity;  // a job name may hold anything; the file keeps two lines
  std::replace(oneLine.begin(), oneLine.end(), '\n', ' ');
  Status written = lock->writeText(std::to_string(Poco::Process::id()) + "\n" + oneLine + "\n");
  if (!written.ok()) return written;
  return lock;
}

}  // namespace sfsync::app
