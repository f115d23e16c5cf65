#include "config/PropertiesFile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace sfsync::config {

bool PropertiesFile::read(const std::string& path, ParsedProperties* out, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    *error =
        fs::is_symlink(fs::symlink_status(path, ec)) ? "dangling symbolic link" : "file not found";
    return false;
  }
  if (!fs::is_regular_file(status)) {
    *error = "not a regular file";  // Poco's reader loops forever on a directory
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  std::string text(kMaxBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxBytes) {
    *error = "larger than " + std::to_string(kMaxBytes / 1024) + " KiB";
    return false;
  }
  *out = PropertiesParser::parse(text);
  return true;
}

void PropertiesFile::report(const ParsedProperties& parsed, ProblemCollector& problems) {
  for (const PropertyProblem& p : parsed.problems) {
    problems.add("line " + std::to_string(p.line), p.message);
  }
}

}  // namespace sfsync::config
