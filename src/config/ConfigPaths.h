// ConfigPaths: resolves paths written in the configuration against the base directory (the daemon's
// startup directory) and turns absolute paths back into the short names used in problem reports
// ("jobs/company_sync.json" rather than "/opt/sfsync/jobs/company_sync.json").
//
// Thread-safety: immutable after construction; safe from any thread.
#pragma once

#include <string>

namespace sfsync::config {

class ConfigPaths {
 public:
  // `baseDir` may be relative (to the current directory) or empty (the current directory).
  explicit ConfigPaths(const std::string& baseDir);

  const std::string& baseDir() const { return baseDir_; }
  // Absolute, lexically normalised form of `path` (relative paths are taken from baseDir).
  std::string resolve(const std::string& path) const;
  // `path` relative to baseDir when it lies below it, else the absolute path.
  std::string display(const std::string& path) const;

 private:
  std::string baseDir_;
};

}  // namespace sfsync::config
