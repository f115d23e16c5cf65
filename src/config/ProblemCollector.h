// ProblemCollector: appends ConfigProblems for one file and builds the JSON paths they point at
// ("mappings[2].type", "source.object", "$" for the whole document). Used by every part of the
// loader so that all problems share one format and none stops the loading.
//
// Thread-safety: not thread-safe; one collector per file being checked, on one thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"

namespace sfsync::config {

class ProblemCollector {
 public:
  // `file` is the name printed with each problem; problems are appended to `out`, which must
  // outlive the collector.
  ProblemCollector(std::string file, std::vector<ConfigProblem>& out);

  void add(const std::string& path, const std::string& message);

  const std::string& file() const { return file_; }
  // How many problems this collector has appended so far.
  std::size_t count() const { return count_; }

  // "a" + "b" -> "a.b"; "" or "$" + "b" -> "b".
  static std::string child(const std::string& parent, const std::string& key);
  // "a" + 2 -> "a[2]"; "" or "$" + 2 -> "[2]".
  static std::string element(const std::string& parent, std::size_t index);

 private:
  std::string file_;
  std::vector<ConfigProblem>& out_;
  std::size_t count_ = 0;
};

}  // namespace sfsync::config
