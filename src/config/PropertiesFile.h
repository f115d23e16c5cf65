// PropertiesFile: reads a Java-style .properties file (see PropertiesParser for the syntax and
// what it rejects) into a flat key -> value map plus the problems of its lines. Checks that the
// path is a readable regular file of at most kMaxBytes first, and turns every failure into an
// error string instead of an exception.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <string>

#include "config/ProblemCollector.h"
#include "config/PropertiesParser.h"

namespace sfsync::config {

class PropertiesFile {
 public:
  static constexpr std::size_t kMaxBytes = 1024 * 1024;

  // Reads and parses `path` into `out`. Returns false only when the file cannot be read at all,
  // and then sets `error` (the reason only; it never contains file contents, so it is safe for
  // files holding secrets). Problems of single lines are in out->problems.
  static bool read(const std::string& path, ParsedProperties* out, std::string* error);

  // Adds each line problem of `parsed` to `problems` with the path "line N".
  static void report(const ParsedProperties& parsed, ProblemCollector& problems);
};

}  // namespace sfsync::config
