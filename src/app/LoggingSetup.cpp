#include "app/LoggingSetup.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/LoggingConfigurator.h>
#include <Poco/Util/MapConfiguration.h>

#include <iostream>

#include "app/JsonLinesFormatter.h"

namespace sfsync::app {

namespace {

Poco::AutoPtr<Poco::Channel> sinkFor(const LogSettings& settings, bool openFile) {
  if (settings.file.empty()) return new Poco::ConsoleChannel(std::cerr);
  if (openFile) Poco::File(Poco::Path(settings.file).parent()).createDirectories();
  Poco::AutoPtr<Poco::FileChannel> file(new Poco::FileChannel(settings.file));
  file->setProperty(Poco::FileChannel::PROP_ROTATION, settings.rotation);
  file->setProperty(Poco::FileChannel::PROP_ARCHIVE, "timestamp");
  file->setProperty(Poco::FileChannel::PROP_PURGECOUNT,
                    settings.purgeCount == 0 ? "none" : std::to_string(settings.purgeCount));
  if (openFile) file->open();  // a file that cannot be written is a problem now, not at a line
  return file;
}

}  // namespace

std::vector<config::ConfigProblem> LoggingSetup::apply(const LogSettings& settings,
                                                       const std::string& displayFile,
                                                       bool openFile) {
  JsonLinesFormatter::registerWithPoco();
  std::vector<config::ConfigProblem> problems;
  Poco::AutoPtr<Poco::Formatter> formatter;
  if (settings.json) {
    formatter = new JsonLinesFormatter;
  } else {
    formatter = new Poco::PatternFormatter(textPattern());
  }
  Poco::AutoPtr<Poco::Channel> sink;
  try {
    sink = sinkFor(settings, openFile);
  } catch (const Poco::Exception& e) {
    problems.push_back({displayFile, "log.file", "cannot use the log file: " + e.displayText()});
    sink = new Poco::ConsoleChannel(std::cerr);
  }
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, sink));
  // Every logger that exists already (the application's, modules' static ones) and, through the
  // root, every one created later.
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::root().setLevel(settings.level);
  Poco::Logger::setChannel("", channel);
  Poco::Logger::setLevel("", settings.level);
  for (const auto& [name, level] : settings.loggerLevels) {
    Poco::Logger::get(name);  // created now, so loggers below it inherit its level
    Poco::Logger::setLevel(name, level);
  }
  if (settings.pocoLogging.empty()) return problems;
  Poco::AutoPtr<Poco::Util::MapConfiguration> poco(new Poco::Util::MapConfiguration);
  for (const auto& [key, value] : settings.pocoLogging) poco->setString(key, value);
  try {
    Poco::Util::LoggingConfigurator().configure(poco);
  } catch (const Poco::Exception& e) {
    problems.push_back(
        {displayFile, "logging", "Poco rejected the logging configuration: " + e.displayText()});
  }
  return problems;
}

}  // namespace sfsync::app
