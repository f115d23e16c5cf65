// Replication settings (issue 10): the job keys "source.mode", "source.api", "source.overlap",
// "bulkThreshold", "onSourceDelete", "massDeletePercent", "refreshCalculatedEvery" (accepted
// values, defaults, and each rejection at its JSON path) and the connection properties
// bulkThreshold, apiBudgetPercent, bulkPollTimeoutSeconds, bulkMaxRecords.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "config/MinimalProperties.h"
#include "config/ProblemMatchers.h"
#include "config/ReplicationKeys.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

using test_support::ExpectedProblem;
using test_support::hasExactlyProblems;

// A valid job whose "source" object has `sourceExtra` members and whose root has `extra` ones.
std::string job(const std::string& sourceExtra, const std::string& extra) {
  return R"({"name": "Company Sync", "connection": "sample",
    "source": {"object": "Account")" +
         (sourceExtra.empty() ? "" : ", " + sourceExtra) + R"(},
    "target": {"object": "Company"},
    "mappings": [{"source": "Id", "target": "SfdcId", "upsertKey": true}])" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

TEST(ReplicationConfigTest, DefaultsWhenAbsent) {
  std::vector<ConfigProblem> problems;
  const auto j = parseJob("jobs/x.json", job("", ""), problems);
  ASSERT_TRUE(j.has_value()) << test_support::describe(problems);
  EXPECT_EQ(j->mode, SourceMode::kAuto);
  EXPECT_EQ(j->api, SourceApi::kAuto);
  EXPECT_FALSE(j->bulkThreshold.has_value());
  EXPECT_EQ(j->overlapSeconds, 300);
  EXPECT_EQ(j->onSourceDelete, DeletePolicy::kIgnore);
  EXPECT_DOUBLE_EQ(j->massDeletePercent, 10.0);
  EXPECT_EQ(j->refreshCalculatedEverySeconds, 0);
}

TEST(ReplicationConfigTest, ReadsEveryKey) {
  std::vector<ConfigProblem> problems;
  const auto j = parseJob("jobs/x.json",
                          job(R"("mode": "full", "api": "bulk", "overlap": "12h")",
                              R"("bulkThreshold": 0, "onSourceDelete": "markDeleted",
                                 "massDeletePercent": 2.5, "refreshCalculatedEvery": "7d")"),
                          problems);
  ASSERT_TRUE(j.has_value()) << test_support::describe(problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(j->mode, SourceMode::kFull);
  EXPECT_EQ(j->api, SourceApi::kBulk);
  EXPECT_EQ(j->overlapSeconds, 12 * 3600);
  ASSERT_TRUE(j->bulkThreshold.has_value());
  EXPECT_EQ(*j->bulkThreshold, 0);
  EXPECT_EQ(j->onSourceDelete, DeletePolicy::kMarkDeleted);
  EXPECT_DOUBLE_EQ(j->massDeletePercent, 2.5);
  EXPECT_EQ(j->refreshCalculatedEverySeconds, 7 * 86400);
}

TEST(ReplicationConfigTest, ReadsTheOtherChoicesAndBounds) {
  std::vector<ConfigProblem> problems;
  auto j = parseJob("jobs/x.json",
                    job(R"("mode": "incremental", "api": "rest", "overlap": "0s")",
                        R"("bulkThreshold": 25000, "onSourceDelete": "delete",
                           "massDeletePercent": 100, "refreshCalculatedEvery": "1h")"),
                    problems);
  ASSERT_TRUE(j.has_value()) << test_support::describe(problems);
  EXPECT_EQ(j->mode, SourceMode::kIncremental);
  EXPECT_EQ(j->api, SourceApi::kRest);
  EXPECT_EQ(j->overlapSeconds, 0);
  EXPECT_EQ(*j->bulkThreshold, 25000);
  EXPECT_EQ(j->onSourceDelete, DeletePolicy::kDelete);
  EXPECT_DOUBLE_EQ(j->massDeletePercent, 100.0);
  EXPECT_EQ(j->refreshCalculatedEverySeconds, 3600);

  j = parseJob("jobs/x.json",
               job(R"("api": "auto", "overlap": "24h")",
                   R"("onSourceDelete": "ignore", "refreshCalculatedEvery": "365d")"),
               problems);
  ASSERT_TRUE(j.has_value()) << test_support::describe(problems);
  EXPECT_EQ(j->api, SourceApi::kAuto);
  EXPECT_EQ(j->overlapSeconds, 86400);
  EXPECT_EQ(j->onSourceDelete, DeletePolicy::kIgnore);
  EXPECT_EQ(j->refreshCalculatedEverySeconds, 365 * 86400);
}

TEST(ReplicationConfigTest, Durations) {
  using replication_keys::formatDuration;
  using replication_keys::parseDuration;
  EXPECT_EQ(parseDuration("300s"), 300);
  EXPECT_EQ(parseDuration("5m"), 300);
  EXPECT_EQ(parseDuration("12h"), 43200);
  EXPECT_EQ(parseDuration("7d"), 604800);
  EXPECT_EQ(parseDuration("0s"), 0);
  for (const char* bad : {"", "s", "5", "5 m", " 5m", "5m ", "-5m", "+5m", "1.5h", "5M", "5w",
                          "5mm", "1h30m", "99999999999999999999d", "106751991167301d"}) {
    EXPECT_FALSE(parseDuration(bad).has_value()) << bad;
  }
  EXPECT_EQ(formatDuration(300), "5m");
  EXPECT_EQ(formatDuration(90), "90s");
  EXPECT_EQ(formatDuration(86400), "1d");
  EXPECT_EQ(formatDuration(0), "0s");
}

struct BadCase {
  const char* label;
  std::string text;
  std::vector<ExpectedProblem> expected;
};

class BadReplicationKeyTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadReplicationKeyTest, ReportsExactlyTheExpectedProblems) {
  const BadCase& c = GetParam();
  std::vector<ConfigProblem> problems;
  const auto j = parseJob("jobs/x.json", c.text, problems);
  EXPECT_FALSE(j.has_value());
  for (const auto& p : problems) EXPECT_EQ(p.file, "jobs/x.json");
  EXPECT_TRUE(hasExactlyProblems(problems, c.expected)) << c.text;
}

std::string label(const ::testing::TestParamInfo<BadCase>& info) {
  std::string name;
  for (const char* p = info.param.label; *p != '\0'; ++p) {
    name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
  }
  return name;
}

const char* kDuration = "(a whole number and one unit: s, m, h or d";

INSTANTIATE_TEST_SUITE_P(
    Table, BadReplicationKeyTest,
    ::testing::Values(
        BadCase{"unknown mode",
                job(R"("mode": "delta")", ""),
                {{"", "source.mode",
                  "unknown source mode 'delta' (expected \"incremental\" or \"full\")"}}},
        BadCase{"mode not a string",
                job(R"("mode": true)", ""),
                {{"", "source.mode", "expected a string, found a boolean"}}},
        BadCase{"unknown api",
                job(R"("api": "soap")", ""),
                {{"", "source.api",
                  "unknown source api 'soap' (expected \"auto\", \"rest\" or \"bulk\")"}}},
        BadCase{"misspelt source key",
                job(R"("ovrlap": "5m")", ""),
                {{"", "source.ovrlap", "unknown key 'ovrlap' (did you mean 'overlap'?)"}}},
        BadCase{"overlap without unit",
                job(R"("overlap": "300")", ""),
                {{"", "source.overlap", kDuration}}},
        BadCase{"overlap as a number",
                job(R"("overlap": 300)", ""),
                {{"", "source.overlap", "expected a string, found a number"}}},
        BadCase{"overlap too long",
                job(R"("overlap": "25h")", ""),
                {{"", "source.overlap", "expected a duration from \"0s\" to \"1d\", found '25h'"}}},
        BadCase{"bulkThreshold negative",
                job("", R"("bulkThreshold": -1)"),
                {{"", "bulkThreshold", "expected an integer from 0 to"}}},
        BadCase{"bulkThreshold fraction",
                job("", R"("bulkThreshold": 10.5)"),
                {{"", "bulkThreshold", "found a fraction"}}},
        BadCase{"bulkThreshold string",
                job("", R"("bulkThreshold": "10000")"),
                {{"", "bulkThreshold", "found a string"}}},
        BadCase{
            "misspelt top-level key",
            job("", R"("bulkTreshold": 5)"),
            {{"", "bulkTreshold", "unknown key 'bulkTreshold' (did you mean 'bulkThreshold'?)"}}},
        BadCase{"unknown delete policy",
                job("", R"("onSourceDelete": "mark")"),
                {{"", "onSourceDelete",
                  "unknown delete policy 'mark' (expected \"ignore\", \"markDeleted\" or "
                  "\"delete\")"}}},
        BadCase{"delete policy wrong case",
                job("", R"("onSourceDelete": "Delete")"),
                {{"", "onSourceDelete", "unknown delete policy 'Delete'"}}},
        BadCase{"massDeletePercent zero",
                job("", R"("massDeletePercent": 0)"),
                {{"", "massDeletePercent",
                  "expected a number greater than 0 and at most 100, found 0"}}},
        BadCase{"massDeletePercent above 100",
                job("", R"("massDeletePercent": 100.5)"),
                {{"", "massDeletePercent", "found 100.5"}}},
        BadCase{"massDeletePercent string",
                job("", R"("massDeletePercent": "10%")"),
                {{"", "massDeletePercent", "found a string"}}},
        BadCase{"massDeletePercent null",
                job("", R"("massDeletePercent": null)"),
                {{"", "massDeletePercent", "found null"}}},
        BadCase{"refresh too short",
                job("", R"("refreshCalculatedEvery": "30m")"),
                {{"", "refreshCalculatedEvery",
                  "expected a duration from \"1h\" to \"365d\", found '30m'"}}},
        BadCase{"refresh too long",
                job("", R"("refreshCalculatedEvery": "366d")"),
                {{"", "refreshCalculatedEvery", "found '366d'"}}},
        BadCase{"refresh garbage",
                job("", R"("refreshCalculatedEvery": "weekly")"),
                {{"", "refreshCalculatedEvery", kDuration}}},
        BadCase{"every key wrong at once",
                job(R"("mode": "x", "api": "y", "overlap": "z")",
                    R"("bulkThreshold": false, "onSourceDelete": 1, "massDeletePercent": -3,
                       "refreshCalculatedEvery": "")"),
                {{"", "source.mode", "unknown source mode 'x'"},
                 {"", "source.api", "unknown source api 'y'"},
                 {"", "source.overlap", kDuration},
                 {"", "bulkThreshold", "found a boolean"},
                 {"", "onSourceDelete", "expected a string, found a number"},
                 {"", "massDeletePercent", "found -3"},
                 {"", "refreshCalculatedEvery", kDuration}}}),
    label);

// Connection properties.

TEST(ReplicationConfigTest, ConnectionDefaults) {
  sfsync::testing::TempDir dir;
  const LoadedConfig c = test_support::loadMinimalProperties(dir, {});
  ASSERT_TRUE(c.problems.empty()) << c.problems.front().toString();
  ASSERT_EQ(c.app.connections.size(), 1u);
  const auto& s = c.app.connections[0].settings;
  EXPECT_EQ(s.bulkThreshold, 10000);
  EXPECT_EQ(s.apiBudgetPercent, 90);
  EXPECT_EQ(s.bulkPollTimeout, std::chrono::seconds(1800));
  EXPECT_EQ(s.bulkMaxRecords, 100000);
}

TEST(ReplicationConfigTest, ConnectionValues) {
  sfsync::testing::TempDir dir;
  const LoadedConfig c =
      test_support::loadMinimalProperties(dir, {{"connection.sample.bulkThreshold", "0"},
                                                {"connection.sample.apiBudgetPercent", "100"},
                                                {"connection.sample.bulkPollTimeoutSeconds", "60"},
                                                {"connection.sample.bulkMaxRecords", "1000000"}});
  ASSERT_TRUE(c.problems.empty()) << c.problems.front().toString();
  const auto& s = c.app.connections.at(0).settings;
  EXPECT_EQ(s.bulkThreshold, 0);
  EXPECT_EQ(s.apiBudgetPercent, 100);
  EXPECT_EQ(s.bulkPollTimeout, std::chrono::seconds(60));
  EXPECT_EQ(s.bulkMaxRecords, 1000000);
}

TEST(ReplicationConfigTest, ConnectionValuesOutOfRange) {
  struct Case {
    const char* key;
    const char* value;
    const char* message;
  };
  for (const Case& k : {Case{"bulkThreshold", "-1", "expected an integer from 0 to"},
                        Case{"bulkThreshold", "lots", "got 'lots'"},
                        Case{"apiBudgetPercent", "0", "expected an integer from 1 to 100, got '0'"},
                        Case{"apiBudgetPercent", "101", "from 1 to 100, got '101'"},
                        Case{"bulkPollTimeoutSeconds", "5", "from 10 to 604800, got '5'"},
                        Case{"bulkMaxRecords", "999", "from 1000 to 1000000, got '999'"},
                        Case{"bulkMaxRecords", "1000001", "got '1000001'"},
                        Case{"bulkMaxRecord", "5000", "did you mean 'bulkMaxRecords'?"}}) {
    sfsync::testing::TempDir dir;
    const std::string key = std::string("connection.sample.") + k.key;
    const LoadedConfig c = test_support::loadMinimalProperties(dir, {{key, k.value}});
    ASSERT_EQ(c.problems.size(), 1u) << key << "=" << k.value << test_support::describe(c.problems);
    EXPECT_EQ(c.problems[0].path, key);
    EXPECT_NE(c.problems[0].message.find(k.message), std::string::npos) << c.problems[0].toString();
  }
}

}  // namespace
}  // namespace sfsync::config
