#include "config/PropertiesFile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

namespace sfsync::config {

namespace {

void flatten(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
             PropertyMap* out) {
  Poco::Util::AbstractConfiguration::Keys keys;
  config.keys(prefix, keys);
  for (const std::string& key : keys) {
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    if (config.hasProperty(full)) (*out)[full] = config.getRawString(full);
    flatten(config, full, out);
  }
}

}  // namespace

bool PropertiesFile::read(const std::string& path, PropertyMap* out, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    *error = "file not found";
    return false;
  }
  if (!fs::is_regular_file(status)) {
    *error = "not a regular file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  try {
    std::istringstream stream(text.str());
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config =
        new Poco::Util::PropertyFileConfiguration(stream);
    out->clear();
    flatten(*config, "", out);
  } catch (const Poco::Exception& e) {
    *error = std::string("cannot parse: ") + e.name();  // no displayText: it might quote a secret
    return false;
  }
  return true;
}

}  // namespace sfsync::config
