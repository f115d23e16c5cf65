// LogSettings: the daemon's logging configuration read from the properties - the simple log.* keys
// (log.file, log.rotation, log.purgeCount, log.format, log.level, log.level.<module>) and Poco's
// own logging.* keys (formatters, channels, loggers; applied by LoggingSetup over the simple ones).
// parseLogSettings() checks every log.* value and the shape of the logging.* keys; a problem names
// the properties file and the key and the daemon refuses to start. What Poco itself rejects in a
// logging.* definition is found when LoggingSetup applies it.
//
// Thread-safety: plain values and a pure function.
#pragma once

#include <Poco/Message.h>

#include <map>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"

namespace sfsync::app {

struct LogSettings {
  std::string file;               // absolute (AppConfig::logFile); empty: standard error
  std::string rotation = "10 M";  // Poco FileChannel rotation ("10 M", "1 days", "daily", "never")
  int purgeCount = 5;             // rotated files kept; 0: keep all
  bool json = false;              // log.format = json: JSON lines (JsonLinesFormatter)
  Poco::Message::Priority level = Poco::Message::PRIO_INFORMATION;
  // "sfsync.<module>" logger -> level, from log.level.<module>.
  std::map<std::string, Poco::Message::Priority> loggerLevels;
  // Every logging.* property, key unchanged, for Poco::Util::LoggingConfigurator.
  std::map<std::string, std::string> pocoLogging;
};

struct LogSettingsParse {
  LogSettings settings;
  std::vector<config::ConfigProblem> problems;  // file = `displayFile`, path = the key
};

// The modules that log (logger "sfsync.<module>"), the names log.level.<module> accepts.
const std::vector<std::string>& loggingModules();

// Reads `app.logProperties` (log.* and logging.*) and `app.logFile`. `displayFile` names the
// properties file in problems.
LogSettingsParse parseLogSettings(const config::AppConfig& app, const std::string& displayFile);

}  // namespace sfsync::app
