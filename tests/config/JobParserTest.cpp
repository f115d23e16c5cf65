// parseJob / parseChain: one file at a time. Table-driven: each bad input -> exactly the expected
// problems (path + message substring); good input -> the right structs.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
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

// A job in the list form with `targets` (a JSON array).
std::string jobWithTargets(const std::string& targets) {
  return object({kName, kConnection, kSource, R"("targets": )" + targets});
}

const std::string kPerson =
    R"({"object": "Person", "mappings": [{"source": "Email", "target": "Email", "upsertKey": true}]})";

// A target of `object` with the key mapping of kPerson plus `more` (mapping objects, or "").
std::string targetOf(const std::string& object, const std::string& more) {
  return R"({"object": ")" + object +
         R"(", "mappings": [{"source": "Email", "target": "Email", "upsertKey": true})" +
         (more.empty() ? "" : ", " + more) + "]}";
}

// A valid single-target job with one derived mapping: {"target": "Manager", "lookup": "User",
// "match": [ManagerId -> SfdcUserId]} plus `extra` members.
std::string jobWithDerived(const std::string& extra) {
  return jobWith({kMappings, R"("derivedMappings": [{"target": "Manager", "lookup": "User",
      "match": [{"source": "ManagerId", "target": "SfdcUserId"}])" +
                                 (extra.empty() ? "" : ", " + extra) + "}]"});
}

// A valid single-target job whose only derived mapping is `derived` (an object).
std::string jobWithDerivedObject(const std::string& derived) {
  return jobWith({kMappings, R"("derivedMappings": [)" + derived + "]"});
}

// n match pairs "F0" -> "C0", ...
std::string pairs(int n) {
  std::string out = "[";
  for (int i = 0; i < n; ++i) {
    out += std::string(i > 0 ? ", " : "") + R"({"source": "F)" + std::to_string(i) +
           R"(", "target": "C)" + std::to_string(i) + R"("})";
  }
  return out + "]";
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
        JobCase{"target sfsync_stamp is reserved",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"source": "Name", "target": "SFSYNC_Stamp"}])"),
                {{"", "mappings[1].target", "'sfsync_stamp' is reserved"}}},
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

INSTANTIATE_TEST_SUITE_P(
    Targets, BadJobTest,
    ::testing::Values(
        JobCase{"target and targets",
                object({kName, kConnection, kSource, kTarget, kMappings,
                        R"("targets": [)" + kPerson + "]"}),
                {{"", "target", "use either \"target\" (one target) or \"targets\", not both"},
                 {"", "mappings",
                  "not allowed with \"targets\": put the mappings inside each target"}}},
        JobCase{"derivedMappings beside targets",
                object({kName, kConnection, kSource, R"("derivedMappings": [])",
                        R"("targets": [)" + kPerson + "]"}),
                {{"", "derivedMappings", "not allowed with \"targets\""}}},
        JobCase{"targets empty",
                jobWithTargets("[]"),
                {{"", "targets", "expected 1 to 5 targets, found 0"}}},
        JobCase{"six targets",
                jobWithTargets("[" + targetOf("T1", "") + ", " + targetOf("T2", "") + ", " +
                               targetOf("T3", "") + ", " + targetOf("T4", "") + ", " +
                               targetOf("T5", "") + ", " + targetOf("T6", "") + "]"),
                {{"", "targets", "expected 1 to 5 targets, found 6"}}},
        JobCase{"targets not an array",
                jobWithTargets(kPerson),
                {{"", "targets", "expected an array, found an object"}}},
        JobCase{"target entry not an object",
                jobWithTargets("[" + kPerson + R"(, "Company"])"),
                {{"", "targets[1]", "expected an object, found a string"}}},
        JobCase{"target entry with a misspelt key",
                jobWithTargets(
                    R"([{"object": "Person", "mapings": [{"source": "Id", "target": "A"}]}])"),
                {{"", "targets[0].mapings", "unknown key 'mapings' (did you mean 'mappings'?)"},
                 {"", "targets[0].mappings", "is required"}}},
        JobCase{"target entry without object",
                jobWithTargets(
                    R"([{"mappings": [{"source": "Id", "target": "A", "upsertKey": true}]}])"),
                {{"", "targets[0].object", "is required"}}},
        JobCase{"duplicate target object, any case",
                jobWithTargets("[" + kPerson + ", " + targetOf("person", "") + "]"),
                {{"", "targets[1].object",
                  "duplicate target object 'person' (also targets[0].object)"}}},
        JobCase{"object name with a double space",
                jobWithTargets("[" + targetOf("Company  Person", "") + "]"),
                {{"", "targets[0].object", "invalid object name 'Company  Person'"}}},
        JobCase{"object name with a trailing space",
                jobWithTargets("[" + targetOf("Person ", "") + "]"),
                {{"", "targets[0].object", "invalid object name 'Person '"}}},
        JobCase{"later target without upsert key",
                jobWithTargets("[" + kPerson + R"(, {"object": "Company Person",
                    "mappings": [{"fromTarget": "Person", "target": "PersonId"}]}])"),
                {{"", "targets[1].mappings", kNoUpsertKey}}},
        JobCase{"target without mappings",
                jobWithTargets("[" + kPerson + R"(, {"object": "Company Person"}])"),
                {{"", "targets[1].mappings", "is required"}}},
        JobCase{"target with empty mappings and derived mappings",
                jobWithTargets(R"([{"object": "X", "mappings": [], "derivedMappings": []}])"),
                {{"", "targets[0].mappings",
                  "must not be empty: a target needs at least one mapping"}}},
        JobCase{
            "duplicate column within a later target",
            jobWithTargets("[" + kPerson + ", " +
                           targetOf("Company Person", R"({"source": "Name", "target": "EMAIL"})") +
                           "]"),
            {{"", "targets[1].mappings[1].target",
              "duplicate target 'EMAIL' (also targets[1].mappings[0].target)"}}},
        // fromTarget.
        JobCase{"fromTarget in the single form",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"fromTarget": "Company", "target": "SelfId"}])"),
                {{"", "mappings[1].fromTarget",
                  "unknown target 'Company': fromTarget names an earlier target of a \"targets\" "
                  "list, and this job has a single target"}}},
        JobCase{"fromTarget naming a later target",
                jobWithTargets(R"([{"object": "Company Person", "mappings": [
                                     {"fromTarget": "Person", "target": "PersonId", "upsertKey": true}]},
                                   )" +
                               kPerson + "]"),
                {{"", "targets[0].mappings[0].fromTarget",
                  "target 'Person' comes later (targets[1]); fromTarget can only name an earlier "
                  "target"}}},
        JobCase{"fromTarget naming its own target",
                jobWithTargets("[" +
                               targetOf("Person", R"({"fromTarget": "PERSON", "target": "Self"})") +
                               "]"),
                {{"", "targets[0].mappings[1].fromTarget",
                  "fromTarget cannot name its own target 'PERSON'"}}},
        JobCase{"fromTarget naming an unknown target",
                jobWithTargets("[" + kPerson + ", " +
                               targetOf("Company Person",
                                        R"({"fromTarget": "Persn", "target": "PersonId"})") +
                               "]"),
                {{"", "targets[1].mappings[1].fromTarget",
                  "unknown target 'Persn' (earlier targets: Person) (did you mean 'Person'?)"}}},
        JobCase{
            "fromTarget with a source",
            jobWithTargets("[" + kPerson + ", " +
                           targetOf("Company Person",
                                    R"({"source": "Id", "fromTarget": "Person", "target": "P"})") +
                           "]"),
            {{"", "targets[1].mappings[1]",
              "only one of 'source', 'constant' and 'fromTarget' (found 'source' and "
              "'fromTarget')"}}},
        JobCase{"fromTarget with all three",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId", "upsertKey": true},
                                    {"source": "Id", "constant": 1, "fromTarget": "X", "target": "P"}])"),
                {{"", "mappings[1]", "(found 'source' and 'constant' and 'fromTarget')"}}},
        JobCase{"fromTarget with a non-text type",
                jobWithTargets(
                    "[" + kPerson + ", " +
                    targetOf("Company Person",
                             R"({"fromTarget": "Person", "target": "P", "type": "integer"})") +
                    "]"),
                {{"", "targets[1].mappings[1].type",
                  "a fromTarget mapping receives a gsid: its type is text"}}},
        JobCase{"fromTarget empty",
                jobWithTargets("[" + kPerson + ", " +
                               targetOf("Company Person", R"({"fromTarget": "", "target": "P"})") +
                               "]"),
                {{"", "targets[1].mappings[1].fromTarget", "must not be empty"}}}),
    caseName<JobCase>);

INSTANTIATE_TEST_SUITE_P(
    Derived, BadJobTest,
    ::testing::Values(
        JobCase{"no match pairs",
                jobWithDerivedObject(R"({"target": "Manager", "lookup": "User", "match": []})"),
                {{"", "derivedMappings[0].match", "expected 1 to 6 match pairs, found 0"}}},
        JobCase{"seven match pairs",
                jobWithDerivedObject(R"({"target": "Manager", "lookup": "User", "match": )" +
                                     pairs(7) + "}"),
                {{"", "derivedMappings[0].match", "expected 1 to 6 match pairs, found 7"}}},
        JobCase{"pair without source and target",
                jobWithDerivedObject(R"({"target": "Manager", "lookup": "User", "match": [{}]})"),
                {{"", "derivedMappings[0].match[0].source", "is required"},
                 {"", "derivedMappings[0].match[0].target", "is required"}}},
        JobCase{"pair not an object",
                jobWithDerivedObject(
                    R"({"target": "Manager", "lookup": "User", "match": ["ManagerId"]})"),
                {{"", "derivedMappings[0].match[0]", "expected an object, found a string"}}},
        JobCase{"pair with an unknown key",
                jobWithDerivedObject(R"({"target": "Manager", "lookup": "User",
                    "match": [{"source": "ManagerId", "target": "SfdcUserId", "sourse": "x"}]})"),
                {{"", "derivedMappings[0].match[0].sourse",
                  "unknown key 'sourse' (did you mean 'source'?)"}}},
        JobCase{"pair with invalid names",
                jobWithDerivedObject(R"({"target": "Manager", "lookup": "User",
                    "match": [{"source": "Manager..Id", "target": "Sfdc User Id"}]})"),
                {{"", "derivedMappings[0].match[0].source", "invalid field name 'Manager..Id'"},
                 {"", "derivedMappings[0].match[0].target", "invalid column name 'Sfdc User Id'"}}},
        JobCase{"match not an array",
                jobWithDerivedObject(R"({"target": "Manager", "lookup": "User",
                    "match": {"source": "ManagerId", "target": "SfdcUserId"}})"),
                {{"", "derivedMappings[0].match", "expected an array, found an object"}}},
        JobCase{"empty derived mapping",
                jobWithDerivedObject("{}"),
                {{"", "derivedMappings[0].target", "is required"},
                 {"", "derivedMappings[0].lookup", "is required"},
                 {"", "derivedMappings[0].match", "is required"}}},
        JobCase{"derived mapping not an object",
                jobWithDerivedObject(R"("Manager")"),
                {{"", "derivedMappings[0]", "expected an object, found a string"}}},
        JobCase{"derivedMappings not an array",
                jobWith({kMappings, R"("derivedMappings": {})"}),
                {{"", "derivedMappings", "expected an array, found an object"}}},
        JobCase{"misspelt lookup",
                jobWithDerivedObject(R"({"target": "Manager", "lookUp": "User",
                    "match": [{"source": "ManagerId", "target": "SfdcUserId"}]})"),
                {{"", "derivedMappings[0].lookUp", "unknown key 'lookUp' (did you mean 'lookup'?)"},
                 {"", "derivedMappings[0].lookup", "is required"}}},
        JobCase{"invalid lookup object",
                jobWithDerivedObject(R"({"target": "Manager", "lookup": "1User",
                    "match": [{"source": "ManagerId", "target": "SfdcUserId"}]})"),
                {{"", "derivedMappings[0].lookup", "invalid object name '1User'"}}},
        JobCase{"unknown multiple-match policy",
                jobWithDerived(R"("onMultipleMatches": "first")"),
                {{"", "derivedMappings[0].onMultipleMatches",
                  "unknown policy 'first' (expected \"useAny\" or \"error\")"}}},
        JobCase{"unknown no-match policy",
                jobWithDerived(R"("onNoMatch": "skip")"),
                {{"", "derivedMappings[0].onNoMatch",
                  "unknown policy 'skip' (expected \"null\", \"reject\" or \"default\")"}}},
        JobCase{"unknown no-match policy says nothing about default",
                jobWithDerived(R"("onNoMatch": "Default", "default": "x")"),
                {{"", "derivedMappings[0].onNoMatch", "unknown policy 'Default'"}}},
        JobCase{
            "policy not a string",
            jobWithDerived(R"("onMultipleMatches": true)"),
            {{"", "derivedMappings[0].onMultipleMatches", "expected a string, found a boolean"}}},
        JobCase{
            "default without onNoMatch",
            jobWithDerived(R"("default": "x")"),
            {{"", "derivedMappings[0].default", "is only used with \"onNoMatch\": \"default\""}}},
        JobCase{"default with onNoMatch null",
                jobWithDerived(R"("onNoMatch": "null", "default": "x")"),
                {{"", "derivedMappings[0].default", "is only used with"}}},
        JobCase{
            "onNoMatch default without default",
            jobWithDerived(R"("onNoMatch": "default")"),
            {{"", "derivedMappings[0].default", "is required when \"onNoMatch\" is \"default\""}}},
        JobCase{"default not text",
                jobWithDerived(R"("onNoMatch": "default", "default": 0)"),
                {{"", "derivedMappings[0].default", "expected a string, found a number"}}},
        JobCase{"self-lookup rejecting",
                jobWithDerivedObject(R"({"target": "Parent", "lookup": "company",
                    "match": [{"source": "ParentId", "target": "SfdcId"}], "onNoMatch": "reject"})"),
                {{"", "derivedMappings[0].onNoMatch",
                  "a self-lookup cannot reject records: the referenced record may arrive later "
                  "in the same extract; use null or default"}}},
        JobCase{"self-lookup rejecting in a later target",
                jobWithTargets("[" + kPerson + R"(, {"object": "Company Person",
                    "mappings": [{"source": "Id", "target": "ExternalContactId", "upsertKey": true}],
                    "derivedMappings": [{"target": "Manager", "lookup": "Company Person",
                      "match": [{"source": "ReportsToId", "target": "ExternalContactId"}],
                      "onNoMatch": "reject"}]}])"),
                {{"", "targets[1].derivedMappings[0].onNoMatch",
                  "a self-lookup cannot reject records"}}},
        JobCase{
            "path inside a later target",
            jobWithTargets("[" + kPerson + R"(, {"object": "Company Person",
                    "mappings": [{"source": "Id", "target": "ExternalContactId", "upsertKey": true}],
                    "derivedMappings": [{"target": "CompanyId", "lookup": "Company",
                      "match": []}]}])"),
            {{"", "targets[1].derivedMappings[0].match", "expected 1 to 6 match pairs, found 0"}}},
        JobCase{"derived column duplicates a mapping",
                jobWithDerivedObject(R"({"target": "sfdcid", "lookup": "User",
                    "match": [{"source": "ManagerId", "target": "SfdcUserId"}]})"),
                {{"", "derivedMappings[0].target",
                  "duplicate target 'sfdcid' (also mappings[0].target)"}}},
        JobCase{"two derived mappings onto one column",
                jobWith({kMappings, R"("derivedMappings": [
                    {"target": "Manager", "lookup": "User", "match": [{"source": "A", "target": "B"}]},
                    {"target": "MANAGER", "lookup": "User", "match": [{"source": "C", "target": "D"}]}])"}),
                {{"", "derivedMappings[1].target",
                  "duplicate target 'MANAGER' (also derivedMappings[0].target)"}}},
        JobCase{"derived column gsid",
                jobWithDerivedObject(R"({"target": "gsid", "lookup": "User",
                    "match": [{"source": "ManagerId", "target": "SfdcUserId"}]})"),
                {{"", "derivedMappings[0].target", "'gsid' is reserved"}}},
        JobCase{"derived upsertKey not a boolean",
                jobWithDerived(R"("upsertKey": 1)"),
                {{"", "derivedMappings[0].upsertKey", "expected a boolean"}}},
        JobCase{"no upsert key among mappings and derived mappings",
                jobWithMappings(R"([{"source": "Id", "target": "SfdcId"}],
                    "derivedMappings": [{"target": "Manager", "lookup": "User",
                      "match": [{"source": "ManagerId", "target": "SfdcUserId"}]}])"),
                {{"", "mappings", kNoUpsertKey}}},
        JobCase{"derived mappings only, no key",
                object({kName, kConnection, kSource, kTarget,
                        R"("derivedMappings": [{"target": "Manager", "lookup": "User",
                            "match": [{"source": "ManagerId", "target": "SfdcUserId"}]}])"}),
                {{"", "derivedMappings", kNoUpsertKey}}}),
    caseName<JobCase>);

INSTANTIATE_TEST_SUITE_P(
    RunKeys, BadJobTest,
    ::testing::Values(
        JobCase{"schedule with a bad time",
                jobWith({kMappings, R"("schedule": {"daily": "25:00"})"}),
                {{"", "schedule", "schedule.daily: expected HH:MM"}}},
        JobCase{"schedule with an unknown time zone",
                jobWith({kMappings, R"("schedule": {"daily": "02:00", "timeZone": "Mars/Base"})"}),
                {{"", "schedule", "unknown time zone 'Mars/Base'"}}},
        JobCase{"schedule with a bad cron field",
                jobWith({kMappings, R"("schedule": {"cron": "0 24 * * *"})"}),
                {{"", "schedule", "schedule.cron:"}}},
        JobCase{"retries count too big",
                jobWith({kMappings, R"("retries": {"count": 11})"}),
                {{"", "retries.count", "expected an integer from 0 to 10, found 11"}}},
        JobCase{"retries count negative",
                jobWith({kMappings, R"("retries": {"count": -1})"}),
                {{"", "retries.count", "expected an integer from 0 to 10, found -1"}}},
        JobCase{"retries count a fraction",
                jobWith({kMappings, R"("retries": {"count": 1.5})"}),
                {{"", "retries.count", "expected an integer from 0 to 10, found a fraction"}}},
        JobCase{"retries count a string",
                jobWith({kMappings, R"("retries": {"count": "3"})"}),
                {{"", "retries.count", "expected an integer from 0 to 10, found a string"}}},
        JobCase{"retries count huge",
                jobWith({kMappings, R"("retries": {"count": 18446744073709551615})"}),
                {{"", "retries.count",
                  "expected an integer from 0 to 10, found 18446744073709551615"}}},
        JobCase{"initial backoff zero",
                jobWith({kMappings, R"("retries": {"initialBackoffSeconds": 0})"}),
                {{"", "retries.initialBackoffSeconds",
                  "expected an integer from 1 to 86400, found 0"}}},
        JobCase{"max backoff below initial",
                jobWith({kMappings,
                         R"("retries": {"initialBackoffSeconds": 120, "maxBackoffSeconds": 60})"}),
                {{"", "retries.maxBackoffSeconds",
                  "maxBackoffSeconds (60) must not be less than initialBackoffSeconds (120)"}}},
        JobCase{"initial backoff above the default max",
                jobWith({kMappings, R"("retries": {"initialBackoffSeconds": 1000})"}),
                {{"", "retries.initialBackoffSeconds",
                  "maxBackoffSeconds (900) must not be less than initialBackoffSeconds (1000)"}}},
        JobCase{"retries misspelt key",
                jobWith({kMappings, R"("retries": {"counts": 1})"}),
                {{"", "retries.counts", "unknown key 'counts' (did you mean 'count'?)"}}},
        JobCase{"retries not an object",
                jobWith({kMappings, R"("retries": 3)"}),
                {{"", "retries", "expected an object, found a number"}}},
        JobCase{
            "unknown overlap policy",
            jobWith({kMappings, R"("overlap": "skip")"}),
            {{"", "overlap", "unknown overlap policy 'skip' (expected \"refuse\" or \"queue\")"}}},
        JobCase{"notifications not an object",
                jobWith({kMappings, R"("notifications": ["ops@example.com"])"}),
                {{"", "notifications", "expected an object, found an array"}}},
        JobCase{"successFile not a boolean",
                jobWith({kMappings, R"("successFile": "yes")"}),
                {{"", "successFile", "expected a boolean"}}},
        JobCase{"dedupeBy invalid",
                object({kName, kConnection, kTarget, kMappings,
                        R"("source": {"object": "Account", "dedupeBy": "System Modstamp"})"}),
                {{"", "source.dedupeBy",
                  "invalid field name 'System Modstamp' (expected a field of the source object "
                  "such as SystemModstamp, or \"\" to turn deduplication off)"}}},
        JobCase{"dedupeBy not a string",
                object({kName, kConnection, kTarget, kMappings,
                        R"("source": {"object": "Account", "dedupeBy": false})"}),
                {{"", "source.dedupeBy", "expected a string, found a boolean"}}}),
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
    "schedule": {"daily": "02:00", "timeZone": "Europe/Berlin"}
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
  ASSERT_EQ(job->targets.size(), 1u);
  EXPECT_EQ(job->targets[0].object, "Company");
  EXPECT_EQ(job->targets[0].jsonPath, "target");
  EXPECT_TRUE(job->targets[0].derived.empty());
  EXPECT_TRUE(job->updateOnly);
  EXPECT_EQ(job->dependsOn, std::vector<std::string>{"User Sync"});
  // Kept verbatim: compact, keys in file order.
  EXPECT_EQ(job->scheduleJson, R"({"daily":"02:00","timeZone":"Europe/Berlin"})");

  ASSERT_EQ(job->targets[0].mappings.size(), 9u);
  const auto& m = job->targets[0].mappings;
  EXPECT_EQ(m[0].source, "Id");
  EXPECT_EQ(m[0].target, "SfdcAccountId");
  EXPECT_EQ(m[0].type, store::ColumnType::kText);
  EXPECT_TRUE(m[0].upsertKey);
  EXPECT_FALSE(m[0].constant.has_value());
  EXPECT_EQ(m[0].fromTarget, "");
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
  EXPECT_EQ(job->dedupeBy, "SystemModstamp");
  EXPECT_EQ(job->retries.count, 0);
  EXPECT_EQ(job->retries.initialBackoffSeconds, 60);
  EXPECT_EQ(job->retries.maxBackoffSeconds, 900);
  EXPECT_EQ(job->overlap, OverlapPolicy::kRefuse);
  EXPECT_EQ(job->notificationsJson, "");
  EXPECT_FALSE(job->successFile);
  ASSERT_EQ(job->targets.size(), 1u);
  EXPECT_FALSE(job->targets[0].mappings[0].type.has_value());
  EXPECT_EQ(job->sourceFields(), (std::vector<std::string>{"Id", "SystemModstamp"}));
}

TEST(JobParserTest, DerivedMappingDefaults) {
  std::vector<ConfigProblem> problems;
  const auto job = parseJob("jobs/x.json", jobWithDerived(""), problems);
  ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
  ASSERT_EQ(job->targets.at(0).derived.size(), 1u);
  const DerivedMappingConfig& d = job->targets[0].derived[0];
  EXPECT_EQ(d.target, "Manager");
  EXPECT_EQ(d.lookupObject, "User");
  ASSERT_EQ(d.match.size(), 1u);
  EXPECT_EQ(d.match[0].source, "ManagerId");
  EXPECT_EQ(d.match[0].target, "SfdcUserId");
  EXPECT_EQ(d.onMultipleMatches, MultipleMatchPolicy::kError);
  EXPECT_EQ(d.onNoMatch, NoMatchPolicy::kNull);
  EXPECT_TRUE(isNull(d.defaultValue));
  EXPECT_FALSE(d.upsertKey);
  EXPECT_EQ(d.jsonPath, "derivedMappings[0]");
}

TEST(JobParserTest, SixMatchPairsAndPolicyCombinationsAreValid) {
  for (const std::string extra :
       {R"("onNoMatch": "reject")", R"("onNoMatch": "null", "onMultipleMatches": "useAny")",
        R"("onNoMatch": "default", "default": "gsid-of-nobody")"}) {
    std::vector<ConfigProblem> problems;
    const auto job = parseJob("jobs/x.json", jobWithDerivedObject(R"({"target": "Manager",
        "lookup": "User", "match": )" + pairs(6) + ", " + extra + "}"),
                              problems);
    ASSERT_TRUE(job.has_value()) << extra << test_support::describe(problems);
    EXPECT_EQ(job->targets[0].derived.at(0).match.size(), 6u);
  }
}

TEST(JobParserTest, DedupeByCanBeTurnedOffOrChanged) {
  for (const auto& [value, expected] : std::vector<std::pair<std::string, std::string>>{
           {R"("")", ""}, {R"("  ")", ""}, {R"("LastModifiedDate")", "LastModifiedDate"}}) {
    std::vector<ConfigProblem> problems;
    const auto job =
        parseJob("jobs/x.json",
                 object({kName, kConnection, kTarget, kMappings,
                         R"("source": {"object": "Account", "dedupeBy": )" + value + "}"}),
                 problems);
    ASSERT_TRUE(job.has_value()) << value << test_support::describe(problems);
    EXPECT_EQ(job->dedupeBy, expected);
    std::vector<std::string> fields{"Id"};
    if (!expected.empty()) fields.push_back(expected);
    EXPECT_EQ(job->sourceFields(), fields);
  }
}

// The Company Person Sync of the Salesforce connector: Contact -> Person and Company Person, with
// the gsid of the Person row, a Company lookup and a Manager self-lookup.
TEST(JobParserTest, ReadsAJobWithSeveralTargets) {
  const std::string text = R"({
    "name": "Company Person Sync",
    "connection": "sample",
    "source": {"object": "Contact", "fields": ["Title"], "dedupeBy": "LastModifiedDate"},
    "targets": [
      {"object": "Person", "mappings": [
        {"source": "FirstName", "target": "FirstName"},
        {"source": "LastName", "target": "LastName"},
        {"source": "Email", "target": "Email", "upsertKey": true}]},
      {"object": "Company Person",
       "mappings": [
         {"fromTarget": "person", "target": "PersonId", "type": "text", "upsertKey": true},
         {"source": "Id", "target": "ExternalContactId"},
         {"source": "AccountId", "target": "ExternalAccountId"}],
       "derivedMappings": [
         {"target": "CompanyId", "lookup": "Company",
          "match": [{"source": "AccountId", "target": "SfdcAccountId"}],
          "onMultipleMatches": "error", "onNoMatch": "reject", "upsertKey": true},
         {"target": "Manager", "lookup": "company person",
          "match": [{"source": "ReportsToId", "target": "ExternalContactId"},
                    {"source": "AccountId", "target": "ExternalAccountId"}],
          "onMultipleMatches": "useAny", "onNoMatch": "null"},
         {"target": "Owner", "lookup": "User",
          "match": [{"source": "Owner.Email", "target": "Email"}],
          "onNoMatch": "default", "default": "00000000-0000-0000-0000-000000000000"}]}
    ],
    "dependsOn": ["Company Sync"],
    "schedule": {"weekdays": "06:30", "timeZone": "America/New_York"},
    "retries": {"count": 3, "initialBackoffSeconds": 30, "maxBackoffSeconds": 600},
    "overlap": "queue",
    "notifications": {"onFailure": {"emails": ["ops@example.com"]}},
    "successFile": true
  })";
  std::vector<ConfigProblem> problems;
  const auto job = parseJob("jobs/company_person_sync.json", text, problems);
  ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
  ASSERT_EQ(job->targets.size(), 2u);

  const TargetConfig& person = job->targets[0];
  EXPECT_EQ(person.object, "Person");
  EXPECT_EQ(person.jsonPath, "targets[0]");
  ASSERT_EQ(person.mappings.size(), 3u);
  EXPECT_EQ(person.mappings[2].jsonPath, "targets[0].mappings[2]");
  EXPECT_EQ(person.upsertKeyTargets(), std::vector<std::string>{"Email"});

  const TargetConfig& companyPerson = job->targets[1];
  EXPECT_EQ(companyPerson.object, "Company Person");
  EXPECT_EQ(companyPerson.jsonPath, "targets[1]");
  ASSERT_EQ(companyPerson.mappings.size(), 3u);
  const MappingConfig& personId = companyPerson.mappings[0];
  EXPECT_EQ(personId.fromTarget, "Person");  // in the spelling of the target it names
  EXPECT_EQ(personId.source, "");
  EXPECT_FALSE(personId.constant.has_value());
  EXPECT_EQ(personId.type, store::ColumnType::kText);
  EXPECT_TRUE(personId.upsertKey);
  EXPECT_EQ(personId.jsonPath, "targets[1].mappings[0]");

  ASSERT_EQ(companyPerson.derived.size(), 3u);
  const DerivedMappingConfig& company = companyPerson.derived[0];
  EXPECT_EQ(company.target, "CompanyId");
  EXPECT_EQ(company.lookupObject, "Company");
  ASSERT_EQ(company.match.size(), 1u);
  EXPECT_EQ(company.match[0].source, "AccountId");
  EXPECT_EQ(company.match[0].target, "SfdcAccountId");
  EXPECT_EQ(company.onMultipleMatches, MultipleMatchPolicy::kError);
  EXPECT_EQ(company.onNoMatch, NoMatchPolicy::kReject);
  EXPECT_TRUE(company.upsertKey);
  EXPECT_EQ(company.jsonPath, "targets[1].derivedMappings[0]");

  const DerivedMappingConfig& manager = companyPerson.derived[1];
  EXPECT_EQ(manager.lookupObject, "Company Person");  // self-lookup, in the target's spelling
  ASSERT_EQ(manager.match.size(), 2u);
  EXPECT_EQ(manager.match[1].source, "AccountId");
  EXPECT_EQ(manager.match[1].target, "ExternalAccountId");
  EXPECT_EQ(manager.onMultipleMatches, MultipleMatchPolicy::kUseAny);
  EXPECT_EQ(manager.onNoMatch, NoMatchPolicy::kNull);
  EXPECT_FALSE(manager.upsertKey);

  const DerivedMappingConfig& owner = companyPerson.derived[2];
  EXPECT_EQ(owner.onNoMatch, NoMatchPolicy::kDefault);
  EXPECT_EQ(owner.defaultValue, Value(std::string("00000000-0000-0000-0000-000000000000")));
  EXPECT_EQ(owner.onMultipleMatches, MultipleMatchPolicy::kError);

  EXPECT_EQ(companyPerson.upsertKeyTargets(), (std::vector<std::string>{"PersonId", "CompanyId"}));
  EXPECT_EQ(job->sourceFields(),
            (std::vector<std::string>{"Id", "Title", "FirstName", "LastName", "Email", "AccountId",
                                      "ReportsToId", "Owner.Email", "LastModifiedDate"}));

  EXPECT_EQ(job->scheduleJson, R"({"weekdays":"06:30","timeZone":"America/New_York"})");
  EXPECT_EQ(job->retries.count, 3);
  EXPECT_EQ(job->retries.initialBackoffSeconds, 30);
  EXPECT_EQ(job->retries.maxBackoffSeconds, 600);
  EXPECT_EQ(job->overlap, OverlapPolicy::kQueue);
  EXPECT_EQ(job->notificationsJson, R"({"onFailure":{"emails":["ops@example.com"]}})");
  EXPECT_TRUE(job->successFile);
}

TEST(JobParserTest, FiveTargetsAreAllowed) {
  std::vector<ConfigProblem> problems;
  const auto job =
      parseJob("jobs/x.json",
               jobWithTargets("[" + targetOf("T1", "") + ", " + targetOf("T2", "") + ", " +
                              targetOf("T3", R"({"fromTarget": "T1", "target": "T1Id"})") + ", " +
                              targetOf("T4", R"({"fromTarget": "T3", "target": "T3Id"})") + ", " +
                              targetOf("T5", "") + "]"),
               problems);
  ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
  ASSERT_EQ(job->targets.size(), 5u);
  EXPECT_EQ(job->targets[3].mappings[1].fromTarget, "T3");
}

TEST(JobParserTest, DerivedMappingsAloneCanCarryTheUpsertKey) {
  std::vector<ConfigProblem> problems;
  const auto job = parseJob("jobs/x.json",
                            object({kName, kConnection, kSource, kTarget,
                                    R"("derivedMappings": [{"target": "Owner",
      "lookup": "User", "match": [{"source": "OwnerId", "target": "SfdcUserId"}],
      "upsertKey": true}])"}),
                            problems);
  ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
  EXPECT_TRUE(job->targets[0].mappings.empty());
  EXPECT_EQ(job->targets[0].upsertKeyTargets(), std::vector<std::string>{"Owner"});
  EXPECT_EQ(job->sourceFields(), (std::vector<std::string>{"Id", "OwnerId", "SystemModstamp"}));
}

TEST(JobParserTest, ByteOrderMarkIsIgnored) {
  std::vector<ConfigProblem> problems;
  const auto job = parseJob("jobs/x.json", "\xEF\xBB\xBF" + jobWith({kMappings}), problems);
  EXPECT_TRUE(job.has_value()) << test_support::describe(problems);
}

// Every *.json file directly in `dir` of the source tree.
std::vector<std::string> shippedFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SFSYNC_SOURCE_DIR) + "/" + dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  return files;
}

TEST(JobParserTest, ShippedJobsParse) {
  const std::vector<std::string> files = shippedFiles("jobs");
  ASSERT_FALSE(files.empty());
  for (const std::string& path : files) {
    std::vector<ConfigProblem> problems;
    const auto job = parseJob(path, sfsync::testing::readFile(path), problems);
    ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
    EXPECT_FALSE(job->targets.empty()) << path;
    for (const auto& t : job->targets) EXPECT_FALSE(t.upsertKeyTargets().empty()) << path;
  }
  std::vector<ConfigProblem> problems;
  const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/company_sync.json";
  const auto job = parseJob(path, sfsync::testing::readFile(path), problems);
  ASSERT_TRUE(job.has_value()) << test_support::describe(problems);
  ASSERT_EQ(job->targets.size(), 1u);
  EXPECT_EQ(job->targets[0].object, "Company");
  EXPECT_EQ(job->targets[0].upsertKeyTargets(), std::vector<std::string>{"SfdcAccountId"});
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

// A chain of jobs A, B, C with `extra` members.
std::string chainWith(const std::string& extra) {
  return R"({"name": "C", "jobs": ["A", "B", "C"], )" + extra + "}";
}

INSTANTIATE_TEST_SUITE_P(
    Dependencies, BadChainTest,
    ::testing::Values(
        ChainCase{
            "job not in the chain",
            chainWith(R"("dependencies": [{"job": "Ghost", "after": "A"}])"),
            {{"", "dependencies[0].job", "job 'Ghost' is not in this chain (jobs: A, B, C)"}}},
        ChainCase{"after not in the chain, with a suggestion",
                  R"({"name": "C", "jobs": ["User Sync", "Company Sync"],
                      "dependencies": [{"job": "Company Sync", "after": "User Synk"}]})",
                  {{"", "dependencies[0].after",
                    "job 'User Synk' is not in this chain (jobs: User Sync, Company Sync) (did "
                    "you mean 'User Sync'?)"}}},
        ChainCase{
            "unknown condition",
            chainWith(R"("dependencies": [{"job": "B", "after": "A", "condition": "partial"}])"),
            {{"", "dependencies[0].condition",
              "unknown condition 'partial' (expected \"success\", \"successOrPartial\" or "
              "\"always\")"}}},
        ChainCase{"duplicate edge",
                  chainWith(R"("dependencies": [{"job": "B", "after": "A"},
                                                {"job": "C", "after": "A"},
                                                {"job": "B", "after": "A", "condition": "always"}])"),
                  {{"", "dependencies[2]",
                    "duplicate dependency: 'B' after 'A' (also dependencies[0])"}}},
        ChainCase{"job after itself",
                  chainWith(R"("dependencies": [{"job": "B", "after": "B"}])"),
                  {{"", "dependencies[0]", "job 'B' cannot run after itself"}}},
        ChainCase{
            "two-job cycle",
            chainWith(
                R"("dependencies": [{"job": "A", "after": "B"}, {"job": "B", "after": "A"}])"),
            {{"", "dependencies", "dependency cycle: A -> B -> A"}}},
        ChainCase{
            "three-job cycle",
            chainWith(R"("dependencies": [{"job": "A", "after": "B"}, {"job": "B", "after": "C"},
                                                {"job": "C", "after": "A"}])"),
            {{"", "dependencies", "dependency cycle: A -> B -> C -> A"}}},
        ChainCase{"dependencies not an array",
                  chainWith(R"("dependencies": {"job": "B", "after": "A"})"),
                  {{"", "dependencies", "expected an array, found an object"}}},
        ChainCase{"dependency not an object",
                  chainWith(R"("dependencies": ["B after A"])"),
                  {{"", "dependencies[0]", "expected an object, found a string"}}},
        ChainCase{"dependency missing its ends",
                  chainWith(R"("dependencies": [{"condition": "always"}])"),
                  {{"", "dependencies[0].job", "is required"},
                   {"", "dependencies[0].after", "is required"}}},
        ChainCase{"dependency misspelt key",
                  chainWith(R"("dependencies": [{"job": "B", "afer": "A"}])"),
                  {{"", "dependencies[0].afer", "unknown key 'afer' (did you mean 'after'?)"},
                   {"", "dependencies[0].after", "is required"}}},
        ChainCase{"no follow-on problems without jobs",
                  R"({"name": "C", "dependencies": [{"job": "B", "after": "A"}]})",
                  {{"", "jobs", "is required"}}}),
    caseName<ChainCase>);

INSTANTIATE_TEST_SUITE_P(
    RunKeys, BadChainTest,
    ::testing::Values(
        ChainCase{"maxParallel zero",
                  chainWith(R"("maxParallel": 0)"),
                  {{"", "maxParallel", "expected an integer from 1 to 16, found 0"}}},
        ChainCase{"maxParallel too big",
                  chainWith(R"("maxParallel": 17)"),
                  {{"", "maxParallel", "expected an integer from 1 to 16, found 17"}}},
        ChainCase{"maxParallel a string",
                  chainWith(R"("maxParallel": "2")"),
                  {{"", "maxParallel", "found a string"}}},
        ChainCase{"pipelined not a boolean",
                  chainWith(R"("pipelined": 1)"),
                  {{"", "pipelined", "expected a boolean"}}},
        ChainCase{"enabled not a boolean",
                  chainWith(R"("enabled": null)"),
                  {{"", "enabled", "expected a boolean (true or false), found null"}}},
        ChainCase{"unknown overlap policy",
                  chainWith(R"("overlap": "Queue")"),
                  {{"", "overlap", "unknown overlap policy 'Queue'"}}},
        ChainCase{"notifications not an object",
                  chainWith(R"("notifications": "ops@example.com")"),
                  {{"", "notifications", "expected an object, found a string"}}},
        ChainCase{"invalid schedule",
                  chainWith(R"("schedule": {"weekly": {"day": "Funday", "at": "02:00"}})"),
                  {{"", "schedule", "schedule.weekly.day:"}}},
        ChainCase{"schedule without a kind",
                  chainWith(R"("schedule": {})"),
                  {{"", "schedule",
                    "schedule: expected one of every, daily, weekdays, weekly, monthly, cron"}}}),
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
  // Defaults.
  EXPECT_FALSE(chain->explicitDependencies);
  EXPECT_TRUE(chain->dependencies.empty());  // derived from the jobs by loadConfig
  EXPECT_EQ(chain->maxParallel, 2);
  EXPECT_TRUE(chain->pipelined);
  EXPECT_EQ(chain->overlap, OverlapPolicy::kRefuse);
  EXPECT_EQ(chain->notificationsJson, "");
  EXPECT_TRUE(chain->enabled);
}

TEST(ChainParserTest, ReadsEveryKeyOfAChain) {
  std::vector<ConfigProblem> problems;
  const auto chain = parseChain("chains/oob.json", R"({
    "name": "SFDC_Company Person Sync",
    "jobs": ["User Sync", "Company Sync", "Company Person Sync", "Cases Sync"],
    "dependencies": [
      {"job": "Company Sync", "after": "User Sync", "condition": "success"},
      {"job": "Company Person Sync", "after": "Company Sync"},
      {"job": "Cases Sync", "after": "User Sync", "condition": "always"},
      {"job": "Company Person Sync", "after": "User Sync", "condition": "successOrPartial"}],
    "schedule": {"every": "4h", "minute": 15},
    "maxParallel": 16,
    "pipelined": false,
    "overlap": "queue",
    "notifications": {"onSuccess": {"emails": ["team@example.com"]}},
    "enabled": false
  })",
                                problems);
  ASSERT_TRUE(chain.has_value()) << test_support::describe(problems);
  EXPECT_TRUE(chain->explicitDependencies);
  using C = ChainDependency::Condition;
  ASSERT_EQ(chain->dependencies.size(), 4u);
  const auto& d = chain->dependencies;
  EXPECT_EQ(d[0].job, "Company Sync");
  EXPECT_EQ(d[0].after, "User Sync");
  EXPECT_EQ(d[0].condition, C::kSuccess);
  EXPECT_EQ(d[0].jsonPath, "dependencies[0]");
  EXPECT_EQ(d[1].condition, C::kSuccessOrPartial);  // the default
  EXPECT_EQ(d[2].job, "Cases Sync");
  EXPECT_EQ(d[2].condition, C::kAlways);
  EXPECT_EQ(d[3].condition, C::kSuccessOrPartial);
  EXPECT_EQ(d[3].jsonPath, "dependencies[3]");
  EXPECT_EQ(chain->scheduleJson, R"({"every":"4h","minute":15})");
  EXPECT_EQ(chain->maxParallel, 16);
  EXPECT_FALSE(chain->pipelined);
  EXPECT_EQ(chain->overlap, OverlapPolicy::kQueue);
  EXPECT_EQ(chain->notificationsJson, R"({"onSuccess":{"emails":["team@example.com"]}})");
  EXPECT_FALSE(chain->enabled);
}

TEST(ChainParserTest, EmptyDependenciesAreExplicit) {
  std::vector<ConfigProblem> problems;
  const auto chain = parseChain(
      "chains/c.json", R"({"name": "C", "jobs": ["A", "B"], "dependencies": []})", problems);
  ASSERT_TRUE(chain.has_value()) << test_support::describe(problems);
  EXPECT_TRUE(chain->explicitDependencies);
  EXPECT_TRUE(chain->dependencies.empty());
}

TEST(ChainParserTest, ShippedChainsParse) {
  const std::vector<std::string> files = shippedFiles("chains");
  ASSERT_FALSE(files.empty());
  for (const std::string& path : files) {
    std::vector<ConfigProblem> problems;
    const auto chain = parseChain(path, sfsync::testing::readFile(path), problems);
    EXPECT_TRUE(chain.has_value()) << test_support::describe(problems);
  }
}

}  // namespace
}  // namespace sfsync::config
