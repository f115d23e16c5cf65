#include "app/LogSettings.h"

#include <Poco/Exception.h>
#include <Poco/FileChannel.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <algorithm>

#include "sfsync/core/Names.h"

namespace sfsync::app {

namespace {

const std::vector<std::string>& levelNames() {
  static const std::vector<std::string> kNames = {"fatal",  "critical",    "error", "warning",
                                                  "notice", "information", "debug", "trace"};
  return kNames;
}

const std::vector<std::string>& simpleKeys() {
  static const std::vector<std::string> kKeys = {"log.file", "log.rotation", "log.purgeCount",
                                                 "log.format", "log.level"};
  return kKeys;
}

std::string trimmed(const std::string& s) { return Poco::trim(s); }

// A Poco level name (case-insensitive; "info" is accepted for "information"), or false.
bool parseLevel(const std::string& text, Poco::Message::Priority* out) {
  std::string name = Poco::toLower(trimmed(text));
  if (name == "info") name = "information";
  const auto& names = levelNames();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) {
      *out = static_cast<Poco::Message::Priority>(i + 1);  // PRIO_FATAL = 1 ... PRIO_TRACE = 8
      return true;
    }
  }
  return false;
}

std::string levelProblem(const std::string& value) {
  return "unknown level '" + value +
         "' (use fatal, critical, error, warning, notice, information, " + "debug or trace)" +
         didYouMean(Poco::toLower(trimmed(value)), levelNames());
}

// Poco parses the rotation when it is set: an unopened channel validates it without any I/O.
bool rotationValid(const std::string& rotation) {
  try {
    Poco::AutoPtr<Poco::FileChannel> probe(new Poco::FileChannel);
    probe->setProperty(Poco::FileChannel::PROP_ROTATION, rotation);
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

class Reader {
 public:
  Reader(const std::string& file, LogSettingsParse& out) : file_(file), out_(out) {}

  void problem(const std::string& key, const std::string& message) {
    out_.problems.push_back({file_, key, message});
  }

  void simple(const std::string& key, const std::string& raw) {
    const std::string value = trimmed(raw);
    LogSettings& s = out_.settings;
    if (key == "log.file") return;  // read (and resolved) by the config loader
    if (key == "log.rotation") {
      if (value.empty() || !rotationValid(value)) {
        problem(key, "invalid rotation '" + value +
                         "' (use a size such as '10 M' or '500 K', an interval such as "
                         "'1 days' or '12 hours', 'daily', 'weekly', 'monthly', a time such as "
                         "'02:00', or 'never')");
      } else {
        s.rotation = value;
      }
    } else if (key == "log.purgeCount") {
      int n = -1;
      try {
        std::size_t used = 0;
        n = std::stoi(value, &used);
        if (used != value.size()) n = -1;
      } catch (const std::exception&) {
        n = -1;
      }
      if (n < 0 || n > 10000) {
        problem(key, "expected an integer from 0 to 10000 (0 keeps every rotated file), got '" +
                         value + "'");
      } else {
        s.purgeCount = n;
      }
    } else if (key == "log.format") {
      const std::string format = Poco::toLower(value);
      if (format != "text" && format != "json") {
        problem(key, "expected 'text' or 'json', got '" + value + "'");
      } else {
        s.json = format == "json";
      }
    } else if (key == "log.level") {
      if (!parseLevel(value, &s.level)) problem(key, levelProblem(value));
    }
  }

  void moduleLevel(const std::string& key, const std::string& raw) {
    const std::string module = key.substr(std::string("log.level.").size());
    if (indexOfIgnoreCase(loggingModules(), module) < 0) {
      problem(key, "unknown module '" + module + "' (modules: " + joined(loggingModules()) + ")" +
                       didYouMean(module, loggingModules()));
      return;
    }
    Poco::Message::Priority level = Poco::Message::PRIO_INFORMATION;
    if (!parseLevel(raw, &level)) {
      problem(key, levelProblem(trimmed(raw)));
      return;
    }
    out_.settings.loggerLevels["sfsync." + Poco::toLower(module)] = level;
  }

 private:
  static std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  const std::string& file_;
  LogSettingsParse& out_;
};

// A channel's relative "path" resolves against the start directory, like log.file (under --daemon
// the working directory is "/").
std::string resolvedPath(const config::AppConfig& app, const std::string& key,
                         const std::string& value) {
  const std::string suffix = ".path";
  const bool isPath = key.rfind("logging.channels.", 0) == 0 && key.size() > suffix.size() &&
                      key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
  const std::string path = trimmed(value);
  if (!isPath || path.empty() || app.baseDir.empty() || Poco::Path(path).isAbsolute()) {
    return value;
  }
  return Poco::Path(Poco::Path::forDirectory(app.baseDir), Poco::Path(path)).toString();
}

}  // namespace

const std::vector<std::string>& loggingModules() {
  static const std::vector<std::string> kModules = {"activity",   "admin",      "app",    "config",
                                                    "jobs",       "metadata",   "notify", "runtime",
                                                    "salesforce", "scheduling", "store"};
  return kModules;
}

LogSettingsParse parseLogSettings(const config::AppConfig& app, const std::string& displayFile) {
  LogSettingsParse out;
  out.settings.file = app.logFile;
  Reader reader(displayFile, out);
  for (const auto& [key, value] : app.logProperties) {
    if (key.rfind("logging.", 0) == 0) {
      const std::string rest = key.substr(8);
      const std::string section = rest.substr(0, rest.find('.'));
      if (section != "formatters" && section != "channels" && section != "loggers") {
        reader.problem(key,
                       "unknown key: Poco's logging configuration has logging.formatters.*, "
                       "logging.channels.* and logging.loggers.*");
      } else {
        out.settings.pocoLogging[key] = resolvedPath(app, key, value);
      }
    } else if (key.rfind("log.level.", 0) == 0) {
      reader.moduleLevel(key, value);
    } else if (std::find(simpleKeys().begin(), simpleKeys().end(), key) != simpleKeys().end()) {
      reader.simple(key, value);
    } else {
      reader.problem(key, "unknown key '" + key + "'" + didYouMean(key, simpleKeys()));
    }
  }
  return out;
}

}  // namespace sfsync::app
