// Logging configuration (issue 15): the JSON-lines formatter (escaping, invalid UTF-8, fields), the
// log.* keys and their problems, LoggingSetup applying levels per module, JSON lines to a file and
// Poco's logging.* definitions, and sfsyncd refusing bad logging settings / logging foreground
// runs.
#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/JsonLinesFormatter.h"
#include "app/LogSettings.h"
#include "app/LoggingSetup.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/core/LogLine.h"

namespace sfsync::app {
namespace {

using sfsync::testing::TempDir;

// Captures the message a LogLine emits (a channel on a private logger).
struct LastMessage : Poco::Channel {
  void log(const Poco::Message& m) override { message = m; }
  Poco::Message message;
};

Poco::Message emitted(const LogLine& line) {
  Poco::AutoPtr<LastMessage> channel(new LastMessage);
  Poco::Logger& logger = Poco::Logger::get("sfsync.test.logline");
  logger.setChannel(channel);
  logger.setLevel(Poco::Message::PRIO_TRACE);
  line.emit(logger);
  logger.setChannel(nullptr);
  return channel->message;
}

Poco::JSON::Object::Ptr parseLine(const std::string& text) {
  EXPECT_EQ(text.find('\n'), std::string::npos) << text;
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string formatted(const Poco::Message& message) {
  std::string text;
  JsonLinesFormatter().format(message, text);
  return text;
}

TEST(JsonLinesFormatterTest, OneObjectWithTimeLevelLoggerThreadMessageAndFields) {
  Poco::Message message = emitted(LogLine(Poco::Message::PRIO_WARNING, "job 'X' deferred")
                                      .field("executionId", "e-1")
                                      .field("read", std::int64_t{42})
                                      .field("status", "Deferred"));
  message.setTime(Poco::Timestamp(1764921600123000));  // 2025-12-05T08:00:00.123Z
  const std::string text = formatted(message);
  EXPECT_EQ(text.rfind("{\"time\":\"2025-12-05T08:00:00.123Z\",\"level\":\"warning\","
                       "\"logger\":\"sfsync.test.logline\",\"thread\":",
                       0),
            0u)
      << text;
  Poco::JSON::Object::Ptr line = parseLine(text);
  EXPECT_EQ(line->getValue<std::string>("message"), "job 'X' deferred");
  EXPECT_TRUE(line->has("tid"));
  Poco::JSON::Object::Ptr fields = line->getObject("fields");
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->getValue<std::string>("executionId"), "e-1");
  EXPECT_TRUE(fields->get("read").isInteger());  // numbers stay numbers
  EXPECT_EQ(fields->getValue<int>("read"), 42);
  EXPECT_EQ(fields->getValue<std::string>("status"), "Deferred");
}

TEST(JsonLinesFormatterTest, QuotesBackslashesAndControlCharactersAreEscaped) {
  const std::string nasty = "say \"hi\" \\ path\nnext line\r\ttab \x01\x1f bell\a end";
  Poco::Message message("sfsync.jobs", nasty, Poco::Message::PRIO_ERROR);
  message.set("sfsync.fields", "why");
  message.set("f.why", nasty);
  const std::string text = formatted(message);
  for (char c = 0; c < 0x20; ++c) {
    EXPECT_EQ(text.find(c), std::string::npos) << "raw control byte " << int(c) << ": " << text;
  }
  EXPECT_NE(text.find(R"(say \"hi\" \\ path\nnext line\r\ttab \u0001\u001F bell\u0007 end)"),
            std::string::npos)
      << text;
  Poco::JSON::Object::Ptr line = parseLine(text);
  EXPECT_EQ(line->getValue<std::string>("message"), nasty);  // round-trips exactly
  EXPECT_EQ(line->getObject("fields")->getValue<std::string>("why"), nasty);
  EXPECT_EQ(line->getValue<std::string>("level"), "error");
}

TEST(JsonLinesFormatterTest, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  const std::string text =
      formatted(Poco::Message("sfsync.salesforce", "caf\xC3\xA9 cut \xC3 and \xFF\xFE done",
                              Poco::Message::PRIO_INFORMATION));
  Poco::JSON::Object::Ptr line = parseLine(text);
  EXPECT_EQ(line->getValue<std::string>("message"),
            "caf\xC3\xA9 cut \xEF\xBF\xBD and \xEF\xBF\xBD\xEF\xBF\xBD done");
}

TEST(JsonLinesFormatterTest, AMessageWithoutFieldsHasNoFieldsMember) {
  Poco::JSON::Object::Ptr line =
      parseLine(formatted(Poco::Message("sfsync.admin", "plain", Poco::Message::PRIO_DEBUG)));
  EXPECT_FALSE(line->has("fields"));
  EXPECT_EQ(line->getValue<std::string>("level"), "debug");
}

TEST(LogLineTest, FieldsTravelInOrderWithTheirKind) {
  const Poco::Message message = emitted(LogLine(Poco::Message::PRIO_INFORMATION, "text")
                                            .field("b", "x")
                                            .field("a", 7)
                                            .field("empty", ""));
  const std::vector<LogField> fields = LogLine::fieldsOf(message);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].name, "b");
  EXPECT_FALSE(fields[0].number);
  EXPECT_EQ(fields[1].name, "a");
  EXPECT_EQ(fields[1].value, "7");
  EXPECT_TRUE(fields[1].number);
  EXPECT_EQ(fields[2].value, "");
  EXPECT_EQ(message.getText(), "text");
}

config::AppConfig appWith(const std::map<std::string, std::string>& properties) {
  config::AppConfig app;
  app.logProperties = properties;
  return app;
}

TEST(LogSettingsTest, SimpleKeysAreRead) {
  const LogSettingsParse parsed = parseLogSettings(appWith({{"log.rotation", "1 days"},
                                                            {"log.purgeCount", "0"},
                                                            {"log.format", "JSON"},
                                                            {"log.level", "warning"},
                                                            {"log.level.jobs", "debug"},
                                                            {"log.level.salesforce", "info"},
                                                            {"log.level.metadata", "debug"},
                                                            {"logging.loggers.l1.name", "x"}}),
                                                   "conf/sfsync.properties");
  for (const auto& p : parsed.problems) ADD_FAILURE() << p.toString();
  const LogSettings& s = parsed.settings;
  EXPECT_EQ(s.rotation, "1 days");
  EXPECT_EQ(s.purgeCount, 0);
  EXPECT_TRUE(s.json);
  EXPECT_EQ(s.level, Poco::Message::PRIO_WARNING);
  EXPECT_EQ(s.loggerLevels.at("sfsync.jobs"), Poco::Message::PRIO_DEBUG);
  EXPECT_EQ(s.loggerLevels.at("sfsync.salesforce"), Poco::Message::PRIO_INFORMATION);
  EXPECT_EQ(s.loggerLevels.at("sfsync.metadata"), Poco::Message::PRIO_DEBUG);  // MetadataCache's
  EXPECT_EQ(s.pocoLogging.at("logging.loggers.l1.name"), "x");
}

TEST(LogSettingsTest, ARelativeChannelPathResolvesAgainstTheStartDirectory) {
  config::AppConfig app = appWith({{"logging.channels.a.path", "var/log/admin.log"},
                                   {"logging.channels.b.path", "/abs/b.log"},
                                   {"logging.channels.a.class", "FileChannel"}});
  app.baseDir = "/srv/sfsync";
  const LogSettings s = parseLogSettings(app, "f").settings;
  EXPECT_EQ(s.pocoLogging.at("logging.channels.a.path"), "/srv/sfsync/var/log/admin.log");
  EXPECT_EQ(s.pocoLogging.at("logging.channels.b.path"), "/abs/b.log");
  EXPECT_EQ(s.pocoLogging.at("logging.channels.a.class"), "FileChannel");
}

TEST(LogSettingsTest, DefaultsWithoutKeys) {
  const LogSettingsParse parsed = parseLogSettings(appWith({}), "f");
  EXPECT_TRUE(parsed.problems.empty());
  EXPECT_EQ(parsed.settings.rotation, "10 M");
  EXPECT_EQ(parsed.settings.purgeCount, 5);
  EXPECT_FALSE(parsed.settings.json);
  EXPECT_EQ(parsed.settings.level, Poco::Message::PRIO_INFORMATION);
}

TEST(LogSettingsTest, EveryBadValueIsAProblemNamingItsKey) {
  struct Row {
    const char* key;
    const char* value;
    const char* message;
  };
  const std::vector<Row> rows = {
      {"log.level", "verbose", "unknown level 'verbose' (use fatal, critical, error, warning"},
      {"log.level", "debgu", "(did you mean 'debug'?)"},
      {"log.level.jobs", "loud", "unknown level 'loud'"},
      {"log.level.sales", "debug", "unknown module 'sales' (modules: activity, admin, app, config"},
      {"log.level.job", "debug", "(did you mean 'jobs'?)"},
      {"log.rotation", "10 parsecs", "invalid rotation '10 parsecs' (use a size such as '10 M'"},
      {"log.rotation", "", "invalid rotation ''"},
      {"log.purgeCount", "-1", "expected an integer from 0 to 10000"},
      {"log.purgeCount", "5 files", "expected an integer from 0 to 10000"},
      {"log.format", "xml", "expected 'text' or 'json', got 'xml'"},
      {"log.fiel", "x", "unknown key 'log.fiel' (did you mean 'log.file'?)"},
      {"logging.channel.c1.class", "FileChannel", "unknown key: Poco's logging configuration"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(row.key) + " = " + row.value);
    const LogSettingsParse parsed =
        parseLogSettings(appWith({{row.key, row.value}}), "conf/sfsync.properties");
    ASSERT_EQ(parsed.problems.size(), 1u);
    EXPECT_EQ(parsed.problems[0].file, "conf/sfsync.properties");
    EXPECT_EQ(parsed.problems[0].path, row.key);
    EXPECT_NE(parsed.problems[0].message.find(row.message), std::string::npos)
        << parsed.problems[0].message;
  }
}

// Poco's loggers are process-wide: each test puts back what it found.
class LoggingSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    savedChannel_ = Poco::Logger::root().getChannel();
    savedLevel_ = Poco::Logger::root().getLevel();
  }
  void TearDown() override {
    Poco::Logger::setChannel("", savedChannel_);
    Poco::Logger::setLevel("", savedLevel_);
  }

  TempDir dir_;
  Poco::Channel::Ptr savedChannel_;
  int savedLevel_ = 0;
};

TEST_F(LoggingSetupTest, JsonLinesToTheFileWithLevelsPerModule) {
  Poco::Logger& existing = Poco::Logger::get("sfsync.salesforce");  // created before the setup
  LogSettings settings;
  settings.file = dir_.file("var/log/sfsyncd.log");
  settings.json = true;
  settings.level = Poco::Message::PRIO_WARNING;
  settings.loggerLevels["sfsync.jobs"] = Poco::Message::PRIO_DEBUG;
  ASSERT_TRUE(LoggingSetup::apply(settings, "conf/sfsync.properties").empty());

  existing.information("salesforce info: below warning, dropped");
  existing.warning("salesforce warning");
  Poco::Logger::get("sfsync.jobs").debug("jobs debug");
  Poco::Logger::get("sfsync.jobs.sub").debug("below jobs: inherits debug");
  Poco::Logger::get("sfsync.store").information("store info: dropped");
  Poco::Logger::setChannel("", nullptr);  // closes the file

  std::istringstream lines(sfsync::testing::readFile(settings.file));
  std::vector<std::string> messages;
  for (std::string line; std::getline(lines, line);) {
    messages.push_back(parseLine(line)->getValue<std::string>("message"));
  }
  EXPECT_EQ(messages, (std::vector<std::string>{"salesforce warning", "jobs debug",
                                                "below jobs: inherits debug"}));
}

TEST_F(LoggingSetupTest, PocoLoggingDefinitionsApplyOverTheSimpleKeys) {
  LogSettings settings;
  settings.file = dir_.file("main.log");
  const std::string adminLog = dir_.file("admin.log");
  settings.pocoLogging = {{"logging.formatters.j.class", "JsonLinesFormatter"},
                          {"logging.channels.a.class", "FileChannel"},
                          {"logging.channels.a.path", adminLog},
                          {"logging.channels.a.formatter", "j"},
                          {"logging.loggers.admin.name", "sfsync.admin"},
                          {"logging.loggers.admin.channel", "a"},
                          {"logging.loggers.admin.level", "debug"}};
  ASSERT_TRUE(LoggingSetup::apply(settings, "conf/sfsync.properties").empty());
  Poco::Logger::get("sfsync.admin").debug("admin detail");
  Poco::Logger::get("sfsync.jobs").information("jobs line");
  Poco::Logger::setChannel("", nullptr);

  const std::string admin = sfsync::testing::readFile(adminLog);
  EXPECT_EQ(parseLine(admin.substr(0, admin.find('\n')))->getValue<std::string>("message"),
            "admin detail");
  const std::string main = sfsync::testing::readFile(settings.file);
  EXPECT_NE(main.find(" Information [sfsync.jobs] jobs line"), std::string::npos) << main;
  EXPECT_EQ(main.find("admin detail"), std::string::npos) << main;
}

TEST_F(LoggingSetupTest, ALogFileThatCannotBeCreatedIsAProblemOnLogFile) {
  dir_.write("blocker", "a file where the log's directory should be");
  LogSettings settings;
  settings.file = dir_.file("blocker/sfsyncd.log");
  const auto problems = LoggingSetup::apply(settings, "conf/sfsync.properties");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "log.file");
  EXPECT_NE(problems[0].message.find("cannot use the log file"), std::string::npos)
      << problems[0].message;
}

TEST_F(LoggingSetupTest, WhatPocoRejectsIsAProblem) {
  LogSettings settings;
  settings.file = dir_.file("main.log");
  settings.pocoLogging = {{"logging.channels.c.class", "NoSuchChannel"}};
  const auto problems = LoggingSetup::apply(settings, "conf/sfsync.properties");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "logging");
  EXPECT_NE(problems[0].message.find("NoSuchChannel"), std::string::npos) << problems[0].message;
}

void writeMinimalConfig(const TempDir& dir, const std::string& simUrl, const std::string& extra) {
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
            "paths.errors = var/errors\nconnections = sample\n"
            "connection.sample.orgType = custom\nconnection.sample.customDomainUrl = " +
                simUrl + "\nconnection.sample.credentialsFile = conf/sample.credentials\n" + extra);
  dir.write("conf/sample.credentials",
            sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
  dir.write("jobs/companies.json", R"({"name": "Companies", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true}]})");
  dir.write("chains/.keep", "");
}

TEST(SyncAppLoggingTest, ValidateReportsBadLoggingSettingsByKey) {
  TempDir dir;
  writeMinimalConfig(dir, "http://127.0.0.1:9",
                     "log.level = loud\nlog.rotation = sometimes\nlog.level.jbos = debug\n");
  auto result = sfsync::testing::runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  for (const char* expected : {"conf/sfsync.properties: log.level: unknown level 'loud'",
                               "conf/sfsync.properties: log.rotation: invalid rotation 'sometimes'",
                               "conf/sfsync.properties: log.level.jbos: unknown module 'jbos'"}) {
    EXPECT_NE(result.err.find(expected), std::string::npos) << expected << "\n" << result.err;
  }

  writeMinimalConfig(dir, "http://127.0.0.1:9", "logging.channels.c.class = NoSuchChannel\n");
  result = sfsync::testing::runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("conf/sfsync.properties: logging: Poco rejected"), std::string::npos)
      << result.err;
}

TEST(SyncAppLoggingTest, ValidateAppliesTheLoggingButCreatesNoLogFile) {
  TempDir dir;
  writeMinimalConfig(dir, "http://127.0.0.1:9",
                     "log.file = var/log/sfsyncd.log\nlog.format = json\n"
                     "logging.loggers.a.name = sfsync.admin\nlogging.loggers.a.level = debug\n");
  auto result = sfsync::testing::runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_FALSE(Poco::File(dir.file("var/log")).exists());
}

TEST(SyncAppLoggingTest, AForegroundRunLogsToStandardErrorWithoutALogFile) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeMinimalConfig(dir, sim.baseUrl(), "log.format = json\n");
  auto result = sfsync::testing::runProcess(SFSYNCD_PATH, {"--run-job=Companies"}, dir.path());
  EXPECT_EQ(result.exitCode, 0) << result.err;
  bool start = false, end = false;
  std::istringstream lines(result.err);
  for (std::string line; std::getline(lines, line);) {
    ASSERT_EQ(line.rfind("{", 0), 0u) << "not a JSON line: " << line;
    Poco::JSON::Object::Ptr object = parseLine(line);
    Poco::JSON::Object::Ptr fields = object->getObject("fields");
    if (!fields) continue;
    const std::string event = fields->optValue<std::string>("event", "");
    start = start || event == "run.start";
    if (event == "run.end") {
      end = true;
      EXPECT_EQ(fields->getValue<std::string>("status"), "Success");
      EXPECT_EQ(fields->getValue<std::string>("trigger"), "cli");
    }
  }
  EXPECT_TRUE(start) << result.err;
  EXPECT_TRUE(end) << result.err;
}

}  // namespace
}  // namespace sfsync::app
