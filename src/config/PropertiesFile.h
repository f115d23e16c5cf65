// PropertiesFile: reads a Java-style .properties file (Poco::Util::PropertyFileConfiguration
// syntax) into a flat key -> value map. Checks that the path is a readable regular file first
// (Poco's reader loops forever on a directory) and turns every failure into an error string instead
// of an exception.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <map>
#include <string>

namespace sfsync::config {

using PropertyMap = std::map<std::string, std::string>;

class PropertiesFile {
 public:
  // Reads `path` into `out`. On failure returns false and sets `error` (the reason only; it never
  // contains file contents, so it is safe for files holding secrets).
  static bool read(const std::string& path, PropertyMap* out, std::string* error);
};

}  // namespace sfsync::config
