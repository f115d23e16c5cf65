// parseJob / parseChain: one file at a time. Table-driven: each bad input -> exactly the expected
// problems (path + message substring); good input -> the right structs.
#include <gtest/gtest.h>

#include <cctype>
#include <initializer_list>
#include <string>
#include <vector>

#include "config/ProblemMatchers.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::config {
namespace {

using test_support::ExpectedProblem;
using test_support::hasExactlyProblems;

const std::string kName = R"("name": "Company Sync")";
const std::string kConnection = R"("connection": "sample")";
const std::string kSource = R"("source": {"object": "Account"})";
const std::string kTarget = R"("target": {"object": "Company"})";
const std::string kMappings =
    R"("mappings": [{"source": "Id", "target": "SfdcId", "upsertKey": true}])";

std::string object(std::initializer_list<std::string> members) {
  std::string out = "{";
  for (const auto& m : members) out += (out.size() > 1 ? ", " : "") + m;
  return out + "}";
}

// A valid job with `extra` members appended.
std::string jobWith(std::initializer_list<std::string> extra) {
  std::string out = object({kName, kConnection, kSource, kTarget});
  out.pop_back();
  for (const auto& m : extra) out += ", " + m;
  return out + "}";
}

std::string jobWithMappings(const std::string& mappings) {
  return object({kName, kConnection, kSource, kTarget, R"("mappings": )" + mappings});
}

// A test name from a case's label: "derived: 7 pairs" -> "derived__7_pairs".
template <class Case>
std::string caseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name;
  for (const char* p = info.param.label; *p != '\0'; ++p) {
    name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
  }
  return name;
}

struct JobCase {
  const char* label;
  std::string text;
  std::vector<ExpectedProblem> expected;
};

class BadJobTest : public ::testing::TestWithParam<JobCase> {};

TEST_P(BadJobTest, ReportsExactlyTheExpectedProblems) {
  const JobCase& c = GetParam();
  std::vector<ConfigProblem> problems;
  const auto job = parseJob("jobs/x.json", c.text, problems);
  EXPECT_FALSE(job.has_value());
  for (const auto& p : problems) EXPECT_EQ(p.file, "jobs/x.json");
  EXPECT_TRUE(hasExactlyProblems(problems, c.expected)) << c.text;
}

const char* kNoUpsertKey = "job has no upsert key: mark at least one mapping \"upsertKey\": true";

INSTANTIATE_TEST_SUITE_P(
    Table, BadJobTest,
    ::testing::Values(
        // Top level.
        JobCase{"missing name",
                object({kConnection, kSource, kTarget, kMappings}),
                {{"", "name", "is required"}}},
        JobCase{"name not a string",
                object({R"("name": 5)", kConnection, kSource, kTarget, kMappings}),
                {{"", "name", "expected a string, found a number"}}},
        JobCase{"blank name",
                object({R"("name": "  ")", kConnection, kSource, kTarget, kMappings}),
                {{"", "name", "must not be empty"}}},
        JobCase{"missing connection",
                object({kName, kSource, kTarget, kMappings}),
                {{"", "connection", "is required"}}},
        JobCase{"misspelt key",
                object({kName, kConnection, kSource, kTarget,
                        R"("mapings": [{"source": "Id", "target": "SfdcId", "upsertKey": true}])"}),
                {{"", "mapings", "unknown key 'mapings' (did you mean 'mappings'?)"},
                 {"", "mappings", "is required"}}},
        JobCase{"enabled not a boolean",
                jobWith({kMappings, R"("enabled": "yes")"}),
                {{"", "enabled", "expected a boolean (true or false), found a string"}}},
        JobCase{"unknown operation",
                jobWith({kMappings, R"("operation": "merge")"}),
                {{"", "operation", "unknown operation 'merge'"}}},
        JobCase{"schedule not an object",
                jobWith({kMappings, R"("schedule": "daily")"}),
                {{"", "schedule", "expected an object, found a string"}}},
        // source / target.
        JobCase{"source missing",
                object({kName, kConnection, kTarget, kMappings}),
                {{"", "source", "is required"}}},
        JobCase{"source not an object",
                object({kName, kConnection, R"("source": "Account")", kTarget, kMappings}),
                {{"", "source", "expected an object, found a string"}}},
        JobCase{
            "source.object missing",
            object({kName, kConnection, R"("source": {"filter": "x = 1"})", kTarget, kMappings}),
            {{"", "source.object", "is required"}}},
        JobCase{
            "source.object invalid",
            object({kName, kConnection, R"("source": {"object": "Acc ount"})", kTarget, kMappings}),
            {{"", "source.object", "invalid object name 'Acc ount'"}}},
        JobCase{"source unknown key",
                object({kName, kConnection, R"("source": {"object": "Account", "filtre": "x"})",
                        kTarget, kMappings}),
                {{"", "source.filtre", "unknown key 'filtre' (did you mean 'filter'?)"}}},
        JobCase{
            "source.fields wrong element",
            object({kName, kConnection, R"("source": {"object": "Account", "fields": ["Name", 3]})",
                    kTarget, kMappings}),
            {{"", "source.fields[1]", "expected a string, found a number"}}},
        JobCase{"source.fields invalid name",
                object({kName, kConnection,
                        R"("source": {"object": "Account", "fields": ["Owner..Name"]})", kTarget,
                        kMappings}),
                {{"", "source.fields[0]", "invalid field name 'Owner..Name'"}}},
        JobCase{"source.filter not a string",
                object({kName, kConnection, R"("source": {"object": "Account", "filter": true})",
                        kTarget, kMappings}),
                {{"", "source.filter", "expected a string, found a boolean"}}},
        JobCase{"target missing",
                object({kName, kConnection, kSource, kMappings}),
                {{"", "target", "is required"}}},
        JobCase{
            "target.object invalid",
            object({kName, kConnection, kSource, R"("target": {"object": "1Company"})", kMappings}),
            {{"", "target.object",
              "invalid object name '1Company' (use letters, digits, '_' and single spaces, "
              "starting with a letter)"}}},
        JobCase{"target unknown key",
                object({kName, kConnection, kSource,
                        R"("target": {"object": "Company", "table": "c"})", kMappings}),
                {{"", "target.table", "unknown key 'table'"}}},
        // mappings.
        JobCase{"mappings missing",
                object({kName, kConnection, kSource, kTarget}),
                {{"", "mappings", "is required"}}},
        JobCase{"mappings not an array",
                jobWith({R"("mappings": {"source": "Id"})"}),
                {{"", "mappings", "expected an array, found an object"}}},
        JobCase{"mappings empty", jobWithMappings("[]"), {{"", "mappings", "must not be empty"}}},
        JobCase{"mapping not an object",
                jobWithMappings(R"(["Id"])"),
                {{"", "mappings[0]", "expected an object, found a string"},
                 {"", "mappings", kNoUpsertKey}}},
        JobCase{"no upsert key",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId"}])"),
                {{"", "mappings", kNoUpsertKey}}},
        JobCase{"upsertKey false only",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": false}])"),
                {{"", "mappings", kNoUpsertKey}}},
        JobCase{
            "upsertKey misspelt",
            jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertkey": true}])"),
            {{"", "mappings[0].upsertkey", "unknown key 'upsertkey' (did you mean 'upsertKey'?)"},
             {"", "mappings", kNoUpsertKey}}},
        JobCase{"upsertKey not a boolean",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": "yes"}])"),
                {{"", "mappings[0].upsertKey", "expected a boolean"}}},
        JobCase{"both source and constant",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"source": "Name", "constant": "x", "target": "Name"}])"),
                {{"", "mappings[1]",
                  "a mapping has only one of 'source', 'constant' and 'fromTarget' (found "
                  "'source' and 'constant')"}}},
        JobCase{"neither source nor constant",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"target": "Name"}])"),
                {{"", "mappings[1]", "needs 'source'"}}},
        JobCase{"mapping target missing",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"source": "Name"}])"),
                {{"", "mappings[1].target", "is required"}}},
        JobCase{"target not a string",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"source": "Name", "target": ["Name"]}])"),
                {{"", "mappings[1].target", "expected a string, found an array"}}},
        JobCase{"target invalid column name",
                jobWithMappings(R"([{"source": "Id", "target": "Sfdc Id", "upsertKey": true}])"),
                {{"", "mappings[0].target", "invalid column name 'Sfdc Id'"}}},
        JobCase{"target gsid is reserved",
                jobWithMappings(R"([{"source": "Id", "target": "GSID", "upsertKey": true}])"),
                {{"", "mappings[0].target", "'gsid' is reserved"}}},
        JobCase{
            "duplicate target, any case",
            jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"source": "Name", "target": "sfdcid"}])"),
            {{"", "mappings[1].target", "duplicate target 'sfdcid' (also mappings[0].target)"}}},
        JobCase{"duplicate target of a broken mapping",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"source": "Name", "target": "Name", "type": "varchar"},
                                    {"source": "Site", "target": "NAME"}])"),
                {{"", "mappings[1].type", "unknown type 'varchar'"},
                 {"", "mappings[2].target", "duplicate target 'NAME' (also mappings[1].target)"}}},
        JobCase{
            "unknown type",
            jobWithMappings(
                R"([{"source": "Id", "target": "SfdcId", "type": "uuid", "upsertKey": true}])"),
            {{"", "mappings[0].type",
              "unknown type 'uuid' (expected text, integer, real, boolean, date or datetime)"}}},
        JobCase{"type not a string",
                jobWithMappings(
                    R"([{"source": "Id", "target": "SfdcId", "type": 1, "upsertKey": true}])"),
                {{"", "mappings[0].type", "expected a string, found a number"}}},
        JobCase{"invalid source field",
                jobWithMappings(R"([{"source": "Owner.", "target": "SfdcId", "upsertKey": true}])"),
                {{"", "mappings[0].source", "invalid field name 'Owner.'"}}},
        JobCase{"source not a string",
                jobWithMappings(R"([{"source": null, "target": "SfdcId", "upsertKey": true}])"),
                {{"", "mappings[0].source", "expected a string, found null"}}},
        JobCase{"constant as upsert key",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"constant": "sf", "target": "Origin", "upsertKey": true}])"),
                {{"", "mappings[1].upsertKey", "a constant mapping cannot be an upsert key"}}},
        JobCase{"only a constant as upsert key",
                jobWithMappings(R"([{"constant": "sf", "target": "Origin", "upsertKey": true}])"),
                {{"", "mappings[0].upsertKey", "a constant mapping cannot be an upsert key"}}},
        JobCase{"constant is an object",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"constant": {"a": 1}, "target": "Origin"}])"),
                {{"", "mappings[1].constant",
                  "expected a string, number, boolean or null, found an object"}}},
        JobCase{"integer constant out of range",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"constant": 18446744073709551615, "target": "Big"}])"),
                {{"", "mappings[1].constant", "out of range"}}},
        // dependsOn.
        JobCase{"dependsOn itself",
                jobWith({kMappings, R"("dependsOn": ["Company Sync"])"}),
                {{"", "dependsOn[0]", "a job cannot depend on itself"}}},
        JobCase{"dependsOn twice",
                jobWith({kMappings, R"("dependsOn": ["User Sync", "User Sync"])"}),
                {{"", "dependsOn[1]", "job 'User Sync' is listed twice"}}},
        JobCase{"dependsOn not an array",
                jobWith({kMappings, R"("dependsOn": "User Sync")"}),
                {{"", "dependsOn", "expected an array, found a string"}}},
        JobCase{"dependsOn element empty",
                jobWith({kMappings, R"("dependsOn": [""])"}),
                {{"", "dependsOn[0]", "must not be empty"}}},
        // Duplicate keys (Poco would silently keep the last one).
        JobCase{"duplicate top-level key",
                jobWith({kMappings, R"("name": "Other")"}),
                {{"", "name", "duplicate key"}}},
        JobCase{"duplicate nested key",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"source": "Name", "target": "Name", "target": "Title"}])"),
                {{"", "mappings[1].target", "duplicate key"}}},
        // Syntax.
        JobCase{"syntax error with position",
                "{\"name\": \"X\",\n  \"connection\": }",
                {{"", "$", "invalid JSON at line 2, column 17"}}},
        JobCase{"trailing comma",
                "{\"name\": \"X\",}",
                {{"", "$", "invalid JSON at line 1, column 14"}}},
        JobCase{"unterminated document",
                "{\"name\": \"X\"\n",
                {{"", "$", "line 2, column 1: unexpected end of text"}}},
        JobCase{"text after the object",
                jobWith({kMappings}) + " x",
                {{"", "$", "invalid JSON at line 1"}}},
        JobCase{
            "array at the top", "[1, 2]", {{"", "$", "expected a JSON object at the top level"}}},
        JobCase{"empty file", "  \n", {{"", "$", "empty file"}}},
        // Everything at once: every problem, not just the first.
        JobCase{"many problems",
                R"({"name": "", "conection": "sample", "source": {"object": 1}, "target": {},
                    "operation": "insert",
                    "mappings": [{"source": "Id", "target": "A"}, {"target": "A", "constant": 1},
                                 {"source": "X", "target": "B", "type": "blob"}]})",
                {{"", "name", "must not be empty"},
                 {"", "conection", "unknown key 'conection' (did you mean 'connection'?)"},
                 {"", "connection", "is required"},
                 {"", "source.object", "expected a string"},
                 {"", "target.object", "is required"},
                 {"", "operation", "unknown operation 'insert'"},
                 {"", "mappings[1].target", "duplicate target 'A'"},
                 {"", "mappings[2].type", "unknown type 'blob'"},
                 {"", "mappings", kNoUpsertKey}}}),
    caseName<JobCase>);

TEST(JobParserTest, ReadsEveryFieldOfAGoodJob) {
  const std::string text = R"({
    "name": "Company Sync",
    "connection": "sample",
    "enabled": false,
    "source": {"object": "Account", "fields": ["Industry", "Owner.Name"], "filter": "IsDeleted = false"},
    "target": {"object": "Company"},
    "operation": "update",
    "mappings": [
      {"source": "Id", "target": "SfdcAccountId", "type": "text", "upsertKey": true},
      {"source": "AnnualRevenue", "target": "Revenue", "type": "number"},
      {"source": "Name", "target": "Name", "type": "string"},
      {"target": "Origin", "constant": "salesforce"},
      {"target": "Rank", "constant": 42},
      {"target": "Weight", "constant": 2.5},
      {"target": "Active", "constant": true},
      {"target": "Nothing", "constant": null},
      {"source": "CreatedDate", "target": "Created", "type": "DateTime"}
    ],
    "dependsOn": ["User Sync"],
    "schedule": {"preset": "daily", "at": "02:00", "timeZone": "Europe/Berlin"}
  })";
  std::vector<ConfigProblem> problems;
  const auto job = parseJob("/abs/jobs/company_sync.json", text, problems);
  ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(job->file, "/abs/jobs/company_sync.json");
  EXPECT_EQ(job->name, "Company Sync");
  EXPECT_EQ(job->connection, "sample");
  EXPECT_FALSE(job->enabled);
  EXPECT_EQ(job->sourceObject, "Account");
  EXPECT_EQ(job->extraFields, (std::vector<std::string>{"Industry", "Owner.Name"}));
  EXPECT_EQ(job->filter, "IsDeleted = false");
  EXPECT_EQ(job->targetObject, "Company");
  EXPECT_TRUE(job->updateOnly);
  EXPECT_EQ(job->dependsOn, std::vector<std::string>{"User Sync"});
  // Kept verbatim: compact, keys in file order.
  EXPECT_EQ(job->scheduleJson, R"({"preset":"daily","at":"02:00","timeZone":"Europe/Berlin"})");

  ASSERT_EQ(job->mappings.size(), 9u);
  const auto& m = job->mappings;
  EXPECT_EQ(m[0].source, "Id");
  EXPECT_EQ(m[0].target, "SfdcAccountId");
  EXPECT_EQ(m[0].type, store::ColumnType::kText);
  EXPECT_TRUE(m[0].upsertKey);
  EXPECT_FALSE(m[0].constant.has_value());
  EXPECT_EQ(m[0].jsonPath, "mappings[0]");
  EXPECT_EQ(m[1].type, store::ColumnType::kReal);  // "number"
  EXPECT_FALSE(m[1].upsertKey);
  EXPECT_EQ(m[2].type, store::ColumnType::kText);  // "string"
  EXPECT_EQ(m[3].source, "");
  EXPECT_EQ(m[3].constant, Value(std::string("salesforce")));
  EXPECT_FALSE(m[3].type.has_value());
  EXPECT_EQ(m[4].constant, Value(std::int64_t{42}));
  EXPECT_EQ(m[5].constant, Value(2.5));
  EXPECT_EQ(m[6].constant, Value(true));
  ASSERT_TRUE(m[7].constant.has_value());
  EXPECT_TRUE(isNull(*m[7].constant));
  EXPECT_EQ(m[8].type, store::ColumnType::kDateTime);  // case-insensitive
  EXPECT_EQ(m[8].jsonPath, "mappings[8]");
}

TEST(JobParserTest, DefaultsForOptionalKeys) {
  std::vector<ConfigProblem> problems;
  const auto job = parseJob("jobs/x.json", jobWith({kMappings}), problems);
  ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
  EXPECT_TRUE(job->enabled);
  EXPECT_FALSE(job->updateOnly);
  EXPECT_TRUE(job->extraFields.empty());
  EXPECT_EQ(job->filter, "");
  EXPECT_TRUE(job->dependsOn.empty());
  EXPECT_EQ(job->scheduleJson, "");
  EXPECT_FALSE(job->mappings[0].type.has_value());
}

TEST(JobParserTest, ByteOrderMarkIsIgnored) {
  std::vector<ConfigProblem> problems;
  const auto job = parseJob("jobs/x.json", "\xEF\xBB\xBF" + jobWith({kMappings}), problems);
  EXPECT_TRUE(job.has_value()) << test_support::describe(problems);
}

TEST(JobParserTest, ShippedJobParses) {
  const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/company_sync.json";
  std::vector<ConfigProblem> problems;
  const auto job = parseJob(path, sfsync::testing::readFile(path), problems);
  ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
  EXPECT_EQ(job->upsertKeyTargets(), std::vector<std::string>{"SfdcAccountId"});
}

TEST(JobParserTest, ProblemsAreAppendedToExistingOnes) {
  std::vector<ConfigProblem> problems{{"earlier.json", "$", "earlier"}};
  EXPECT_FALSE(parseJob("jobs/x.json", "{", problems).has_value());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].file, "earlier.json");
  EXPECT_EQ(problems[1].toString().rfind("jobs/x.json: $: invalid JSON at line 1, column 2", 0), 0u)
      << problems[1].toString();
}

// ---- chains ----

struct ChainCase {
  const char* label;
  std::string text;
  std::vector<ExpectedProblem> expected;
};

class BadChainTest : public ::testing::TestWithParam<ChainCase> {};

TEST_P(BadChainTest, ReportsExactlyTheExpectedProblems) {
  const ChainCase& c = GetParam();
  std::vector<ConfigProblem> problems;
  EXPECT_FALSE(parseChain("chains/c.json", c.text, problems).has_value());
  EXPECT_TRUE(hasExactlyProblems(problems, c.expected)) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadChainTest,
    ::testing::Values(
        ChainCase{"missing name", R"({"jobs": ["A"]})", {{"chains/c.json", "name", "is required"}}},
        ChainCase{"missing jobs", R"({"name": "C"})", {{"", "jobs", "is required"}}},
        ChainCase{
            "empty jobs", R"({"name": "C", "jobs": []})", {{"", "jobs", "must not be empty"}}},
        ChainCase{"jobs not an array",
                  R"({"name": "C", "jobs": "A"})",
                  {{"", "jobs", "expected an array, found a string"}}},
        ChainCase{"job not a string",
                  R"({"name": "C", "jobs": ["A", false]})",
                  {{"", "jobs[1]", "expected a string, found a boolean"}}},
        ChainCase{"job listed twice",
                  R"({"name": "C", "jobs": ["A", "A", "B", "B"]})",
                  {{"", "jobs[1]", "job 'A' is listed twice (also jobs[0])"},
                   {"", "jobs[3]", "job 'B' is listed twice (also jobs[2])"}}},
        ChainCase{"unknown key",
                  R"({"name": "C", "jobs": ["A"], "shedule": {}})",
                  {{"", "shedule", "unknown key 'shedule' (did you mean 'schedule'?)"}}},
        ChainCase{"schedule not an object",
                  R"({"name": "C", "jobs": ["A"], "schedule": 5})",
                  {{"", "schedule", "expected an object, found a number"}}},
        ChainCase{"syntax",
                  "{\"name\": \"C\", \"jobs\": [\"A\" \"B\"]}",
                  {{"", "$", "invalid JSON at line 1, column 28"}}}),
    caseName<ChainCase>);

TEST(ChainParserTest, ReadsAGoodChain) {
  std::vector<ConfigProblem> problems;
  const auto chain = parseChain(
      "chains/nightly.json",
      R"({"name": "Nightly", "jobs": ["User Sync", "Company Sync"], "schedule": {"cron": "0 2 * * *"}})",
      problems);
  ASSERT_TRUE(chain.has_value()) << test_support::describe(problems);
  EXPECT_EQ(chain->file, "chains/nightly.json");
  EXPECT_EQ(chain->name, "Nightly");
  EXPECT_EQ(chain->jobs, (std::vector<std::string>{"User Sync", "Company Sync"}));
  EXPECT_EQ(chain->scheduleJson, R"({"cron":"0 2 * * *"})");
}

}  // namespace
}  // namespace sfsync::config
