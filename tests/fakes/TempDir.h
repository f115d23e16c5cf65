// TempDir: a unique temporary directory for one test, removed with everything in it on destruction.
//
// Thread-safety: not shared between threads.
#pragma once

#include <string>

namespace sfsync::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/relative
  std::string file(const std::string& relative) const { return path_ + "/" + relative; }
  // Writes `text` to path()/relative, creating parent directories.
  void write(const std::string& relative, const std::string& text) const;

 private:
  std::string path_;
};

// Reads a whole file ("" when missing).
std::string readFile(const std::string& path);

}  // namespace sfsync::testing
