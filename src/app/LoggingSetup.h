// LoggingSetup: applies LogSettings to Poco's logging - one sink (the rotating log file, or
// standard error when log.file is empty) with the text pattern or JSON lines, the root level and
// the per-module levels on every logger that exists now or is created later, then Poco's logging.*
// configuration (LoggingConfigurator) on top, so admins can define their own formatters, channels
// and loggers the Poco way. Used for every mode that runs jobs (serve, --run-job, --run-chain), so
// foreground runs log too.
//
// Thread-safety: call from the main thread before other threads log (Poco's logger registry is
// locked, but swapping channels under a logging thread may drop its line).
#pragma once

#include <string>
#include <vector>

#include "app/LogSettings.h"
#include "sfsync/config/Config.h"

namespace sfsync::app {

class LoggingSetup {
 public:
  // Applies `settings`; the problems are the logging.* definitions Poco rejected (path "logging",
  // file `displayFile`) - the simple settings stay applied then.
  // `openFile`: create the log file's directory and open it now, so a file that cannot be written
  // is a problem here (false for --validate, which creates nothing; the file opens at its first
  // line then).
  static std::vector<config::ConfigProblem> apply(const LogSettings& settings,
                                                  const std::string& displayFile,
                                                  bool openFile = true);

  // The text pattern of log.format = text.
  static const char* textPattern() { return "%Y-%m-%dT%H:%M:%S.%iZ %p [%s] %t"; }
};

}  // namespace sfsync::app
