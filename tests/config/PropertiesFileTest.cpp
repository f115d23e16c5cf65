// The strict .properties reader: Poco's syntax (comments, ':' or '=', escapes, continuation lines)
// into a flat map, and every line it cannot take - malformed keys that used to crash Poco's
// property tree (".a", "a..b", "a."), binary garbage, lines without '=', duplicates - reported by
// line through loadConfig, for sfsync.properties and a credentials file.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "config/ProblemMatchers.h"
#include "config/PropertiesParser.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

using test_support::describe;
using test_support::hasExactlyProblems;

std::string problemsOf(const ParsedProperties& p) {
  std::string out;
  for (const auto& problem : p.problems) {
    out += std::to_string(problem.line) + ": " + problem.message + "\n";
  }
  return out;
}

TEST(PropertiesParserTest, ReadsPocoSyntax) {
  const ParsedProperties p = PropertiesParser::parse(
      "\xEF\xBB\xBF# comment\n"
      "! also a comment\n"
      "  a.b = one  \r\n"
      "c.d:two\r"
      "e = tab\\there \\\n"
      "  continued\n"
      "f =\n"
      "g-h_i.J9 = x = y : z\n"
      "k = ends with escaped backslash \\\\\n"
      "l = 1\n");
  EXPECT_EQ(problemsOf(p), "");
  EXPECT_EQ(p.values.at("a.b"), "one");
  EXPECT_EQ(p.values.at("c.d"), "two");
  EXPECT_EQ(p.values.at("e"), "tab\there   continued");
  EXPECT_EQ(p.values.at("f"), "");
  EXPECT_EQ(p.values.at("g-h_i.J9"), "x = y : z");
  EXPECT_EQ(p.values.at("k"), "ends with escaped backslash \\");
  EXPECT_EQ(p.values.at("l"), "1");
  EXPECT_EQ(p.lines.at("l"), 10u);
  EXPECT_EQ(p.values.size(), 7u);
}

TEST(PropertiesParserTest, MalformedKeysAreProblemsOfTheirLine) {
  const ParsedProperties p = PropertiesParser::parse(
      ".a = 1\n"
      "a..b = 2\n"
      "a. = 3\n"
      " = 4\n"
      "a b = 5\n"
      "no separator here\n"
      "ok = 6\n");
  const char* kRule = " (keys are names of letters, digits, '_' and '-' joined by single dots)\n";
  EXPECT_EQ(problemsOf(p), std::string("1: key starts with '.' at column 1") + kRule +
                               "2: key contains '..' at column 2" + kRule +
                               "3: key ends with '.' at column 2" + kRule +
                               "4: missing key before '='\n" +
                               "5: key contains a character that is not allowed at column 2" +
                               kRule + "6: expected 'key = value' (no '=' or ':' on this line)\n");
  EXPECT_EQ(p.values.size(), 1u);
  EXPECT_EQ(p.values.at("ok"), "6");
}

TEST(PropertiesParserTest, BytesNoTextFileHoldsAreProblemsWithTheirColumn) {
  const ParsedProperties p = PropertiesParser::parse(std::string("a = x\0y\n", 8) +
                                                     "b = \x01\n"
                                                     "c = caf\xC3\xA9 \xFF\n"
                                                     "d = \\\n"
                                                     "\xC0\x80\n"
                                                     "e = " +
                                                     std::string(70000, 'x') +
                                                     "\n"
                                                     "f = caf\xC3\xA9\n");
  EXPECT_EQ(problemsOf(p),
            "1: NUL byte at column 6\n"
            "2: control character 0x01 at column 5\n"
            "3: invalid UTF-8 at column 10\n"
            "5: invalid UTF-8 at column 1\n"
            "6: line is longer than 65536 bytes\n");
  ASSERT_EQ(p.values.size(), 1u);
  EXPECT_EQ(p.values.at("f"), "caf\xC3\xA9");
}

TEST(PropertiesParserTest, DuplicateKeysNameBothLines) {
  const ParsedProperties p = PropertiesParser::parse("a = 1\nb = 2\na = 3\n");
  EXPECT_EQ(problemsOf(p),
            "3: duplicate key 'a' (first set on line 1; the last one would silently win)\n");
}

// Random bytes never crash the parser (Poco's crashed on about half of such files) and every
// problem names a line of the input.
TEST(PropertiesParserTest, RandomBytesGiveProblemsNotCrashes) {
  std::mt19937 random(12345);
  for (int round = 0; round < 200; ++round) {
    std::string text(1 + random() % 2000, '\0');
    for (char& c : text) c = static_cast<char>(random() % 256);
    const ParsedProperties p = PropertiesParser::parse(text);
    for (const auto& problem : p.problems) {
      EXPECT_GE(problem.line, 1u);
      EXPECT_LE(problem.line, text.size() + 1);
    }
  }
}

// ---- through loadConfig ----

const char* kProperties =
    "store.path = var/sfsync.db\n"
    "paths.jobs = jobs\n"
    "paths.chains = chains\n"
    "paths.errors = var/errors\n"
    "connections = sample\n"
    "connection.sample.orgType = custom\n"
    "connection.sample.customDomainUrl = http://127.0.0.1:8086\n"
    "connection.sample.credentialsFile = conf/sample.credentials\n";

const char* kCredentials =
    "clientId = id\nclientSecret = secret\nusername = u@example.com\npassword = pw\n";

class PropertiesTree {
 public:
  PropertiesTree(const std::string& properties, const std::string& credentials) {
    dir_.write("conf/sfsync.properties", properties);
    dir_.write("conf/sample.credentials", credentials);
    dir_.write("jobs/.keep", "");
    dir_.write("chains/.keep", "");
  }
  LoadedConfig load(const std::map<std::string, std::string>& overrides = {}) const {
    return loadConfig("conf/sfsync.properties", dir_.path(), overrides);
  }

 private:
  sfsync::testing::TempDir dir_;
};

TEST(PropertiesFileTest, ValidFilesHaveNoProblems) {
  const LoadedConfig c = PropertiesTree(kProperties, kCredentials).load();
  EXPECT_TRUE(c.problems.empty()) << describe(c.problems);
}

TEST(PropertiesFileTest, LeadingDotKeyInThePropertiesFileIsAProblemNotACrash) {
  const LoadedConfig c = PropertiesTree(std::string(kProperties) + ".a = 1\n", kCredentials).load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{"conf/sfsync.properties", "line 9", "key starts with '.' at column 1"}}));
}

TEST(PropertiesFileTest, LeadingDotKeyInACredentialsFileIsAProblemNotACrash) {
  const LoadedConfig c = PropertiesTree(kProperties, std::string(kCredentials) + ".a = 1\n").load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{"conf/sample.credentials", "line 5", "key starts with '.' at column 1"}}));
}

TEST(PropertiesFileTest, GarbageLinesDuplicatesAndMissingEqualsAreReported) {
  const std::string text = std::string(kProperties) +
                           "store.path = other.db\n"
                           "admin.port 8085\n"
                           "\x89PNG\x1A\n";
  const LoadedConfig c = PropertiesTree(text, kCredentials).load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems,
      {{"conf/sfsync.properties", "line 9", "duplicate key 'store.path' (first set on line 1;"},
       {"conf/sfsync.properties", "line 10", "expected 'key = value' (no '=' or ':'"},
       {"conf/sfsync.properties", "line 11", "invalid UTF-8 at column 1"}}));
}

TEST(PropertiesFileTest, MisspeltCredentialKeysGetASuggestionAndNoValueIsEchoed) {
  const LoadedConfig c =
      PropertiesTree(kProperties, std::string(kCredentials) + "securityTokn = s3cr3t\ns3cr3t2\n")
          .load();
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{"conf/sample.credentials", "securityTokn", "(did you mean 'securityToken'?)"},
                   {"conf/sample.credentials", "line 6", "expected 'key = value'"}}));
  for (const auto& p : c.problems) EXPECT_EQ(p.toString().find("s3cr3t"), std::string::npos);
}

TEST(PropertiesFileTest, MalformedDefineKeysAreProblems) {
  const LoadedConfig c =
      PropertiesTree(kProperties, kCredentials).load({{"a..b", "1"}, {"store.path", "x.db"}});
  EXPECT_TRUE(hasExactlyProblems(
      c.problems, {{"conf/sfsync.properties", "$", "--define: key contains '..' at column 2"}}));
}

}  // namespace
}  // namespace sfsync::config
