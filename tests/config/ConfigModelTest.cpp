// The plain config structs' helpers (Config.cpp) and the JSON syntax locator.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "config/JsonSyntaxLocator.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {
namespace {

MappingConfig mapping(const std::string& source, const std::string& target, bool key = false) {
  MappingConfig m;
  m.source = source;
  m.target = target;
  m.upsertKey = key;
  return m;
}

TargetConfig target(const std::string& object, std::vector<MappingConfig> mappings) {
  TargetConfig t;
  t.object = object;
  t.mappings = std::move(mappings);
  return t;
}

DerivedMappingConfig derived(const std::string& column, std::vector<MatchPair> match,
                             bool key = false) {
  DerivedMappingConfig d;
  d.target = column;
  d.lookupObject = "User";
  d.match = std::move(match);
  d.upsertKey = key;
  return d;
}

TEST(ConfigModelTest, SourceFieldsStartWithIdAndAreDeduplicatedIgnoringCase) {
  JobConfig job;
  job.extraFields = {"Industry", "id", "OWNER.NAME"};
  TargetConfig t =
      target("Company", {mapping("Name", "Name"), mapping("AccountNumber", "Number", true),
                         mapping("industry", "Industry2"), mapping("Owner.Name", "OwnerName"),
                         mapping("ID", "SfdcId", true)});
  MappingConfig constant;
  constant.target = "Origin";
  constant.constant = Value(std::string("sf"));
  t.mappings.push_back(constant);
  job.targets = {t};
  EXPECT_EQ(job.sourceFields(), (std::vector<std::string>{"Id", "Industry", "OWNER.NAME", "Name",
                                                          "AccountNumber", "SystemModstamp"}));
  EXPECT_EQ(job.targets[0].upsertKeyTargets(), (std::vector<std::string>{"Number", "SfdcId"}));
}

TEST(ConfigModelTest, SourceFieldsOfAJobWithOnlyConstants) {
  JobConfig job;
  MappingConfig constant;
  constant.target = "Origin";
  constant.constant = Value{};
  job.targets = {target("Company", {constant})};
  job.dedupeBy = "";
  EXPECT_EQ(job.sourceFields(), std::vector<std::string>{"Id"});
  EXPECT_TRUE(job.targets[0].upsertKeyTargets().empty());
}

TEST(ConfigModelTest, SourceFieldsCoverEveryTargetAndDerivedMatchSource) {
  JobConfig job;
  job.dedupeBy = "systemmodstamp";  // already selected below: not repeated
  MappingConfig personId;
  personId.fromTarget = "Person";
  personId.target = "PersonId";
  personId.upsertKey = true;
  TargetConfig person = target("Person", {mapping("Email", "Email", true)});
  person.derived = {derived("Manager", {{"ReportsToId", "ExternalContactId"}})};
  TargetConfig companyPerson =
      target("Company Person", {personId, mapping("AccountId", "ExternalAccountId")});
  companyPerson.derived = {
      derived("CompanyId", {{"ACCOUNTID", "SfdcAccountId"}}, true),
      derived("Stamp", {{"SystemModstamp", "Stamp"}, {"Owner.Email", "Email"}})};
  job.targets = {person, companyPerson};
  EXPECT_EQ(job.sourceFields(), (std::vector<std::string>{"Id", "Email", "ReportsToId", "AccountId",
                                                          "SystemModstamp", "Owner.Email"}));
  EXPECT_EQ(job.targets[0].upsertKeyTargets(), std::vector<std::string>{"Email"});
  // Mappings first, then derived mappings.
  EXPECT_EQ(job.targets[1].upsertKeyTargets(), (std::vector<std::string>{"PersonId", "CompanyId"}));
}

TEST(ConfigModelTest, DedupeByComesLastAndCanBeOff) {
  JobConfig job;
  job.targets = {target("Company", {mapping("Name", "Name")})};
  EXPECT_EQ(job.dedupeBy, "SystemModstamp");
  EXPECT_EQ(job.sourceFields(), (std::vector<std::string>{"Id", "Name", "SystemModstamp"}));
  job.dedupeBy = "LastModifiedDate";
  EXPECT_EQ(job.sourceFields(), (std::vector<std::string>{"Id", "Name", "LastModifiedDate"}));
  job.dedupeBy = "";
  EXPECT_EQ(job.sourceFields(), (std::vector<std::string>{"Id", "Name"}));
}

TEST(ConfigModelTest, LookupsByNameThenFileStem) {
  LoadedConfig c;
  JobConfig a;
  a.name = "Company Sync";
  a.file = "/x/jobs/company_sync.json";
  JobConfig b;
  b.name = "company_sync";  // a name equal to another job's file stem wins over the stem
  b.file = "/x/jobs/other.json";
  c.jobs = {a, b};
  EXPECT_EQ(c.findJob("Company Sync"), &c.jobs[0]);
  EXPECT_EQ(c.findJob("company_sync"), &c.jobs[1]);
  EXPECT_EQ(c.findJob("other"), &c.jobs[1]);
  EXPECT_EQ(c.findJob("company sync"), nullptr);  // names are exact
  ChainConfig chain;
  chain.name = "Nightly";
  chain.file = "/x/chains/nightly_chain.json";
  c.chains = {chain};
  EXPECT_EQ(c.findChain("nightly_chain"), &c.chains[0]);
  EXPECT_EQ(c.findChain("Nightly"), &c.chains[0]);
  EXPECT_EQ(c.findChain(""), nullptr);
  ConnectionConfig conn;
  conn.settings.name = "sample";
  c.app.connections = {conn};
  EXPECT_EQ(c.app.findConnection("sample"), &c.app.connections[0]);
  EXPECT_EQ(c.app.findConnection("Sample"), nullptr);
}

TEST(ConfigModelTest, ProblemToString) {
  EXPECT_EQ((ConfigProblem{"jobs/a.json", "mappings[2].type", "unknown type 'x'"}).toString(),
            "jobs/a.json: mappings[2].type: unknown type 'x'");
}

struct LocatorCase {
  std::string text;
  bool valid;
  std::size_t line, column;
  const char* message;
};

TEST(JsonSyntaxLocatorTest, FindsTheFirstError) {
  const std::vector<LocatorCase> cases = {
      {R"({"a": [1, 2.5e-3, -0, true, false, null, "x\"\u00e9"], "b": {}})", true, 0, 0, ""},
      {"  [ ]  ", true, 0, 0, ""},
      {"{\"a\": 1,}", false, 1, 9, "expected a string key"},
      {"{\"a\" 1}", false, 1, 6, "expected ':' after key"},
      {"{\"a\": 01}", false, 1, 8, "expected ',' or '}'"},
      {"[1 2]", false, 1, 4, "expected ',' or ']'"},
      {"{\"a\":\n\n  tru}", false, 3, 6, "invalid literal"},
      {"{\"é\": x}", false, 1, 7, "expected a value"},  // columns count characters, not bytes
      {"{\"a\": \"x\ty\"}", false, 1, 9, "control character in string"},
      {"{\"a\": \"\\q\"}", false, 1, 9, "invalid escape"},
      {"{\"a\": \"\\u12g4\"}", false, 1, 12, "invalid \\u escape"},
      {"{\"a\": -}", false, 1, 8, "invalid number"},
      {"{\"a\": 1.}", false, 1, 9, "invalid number"},
      {"{\"a\": 1e}", false, 1, 9, "invalid number"},
      {"{\"a\": 1} {}", false, 1, 10, "unexpected text after the JSON value"},
      {"{\"a\": [1,\n", false, 2, 1, "unexpected end of text"},
      {"{\"a\": \"abc", false, 1, 11, "unexpected end of text"},
      {"", false, 1, 1, "unexpected end of text"},
  };
  for (const auto& c : cases) {
    const auto error = JsonSyntaxLocator::locate(c.text);
    if (c.valid) {
      EXPECT_FALSE(error.has_value()) << c.text << " -> " << error->message;
      continue;
    }
    ASSERT_TRUE(error.has_value()) << c.text;
    EXPECT_EQ(error->line, c.line) << c.text;
    EXPECT_EQ(error->column, c.column) << c.text;
    EXPECT_EQ(error->message, c.message) << c.text;
  }
}

TEST(JsonSyntaxLocatorTest, DeepNestingIsAnErrorNotACrash) {
  const std::string deep(100000, '[');
  const auto error = JsonSyntaxLocator::locate(deep);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "nesting too deep");
}

}  // namespace
}  // namespace sfsync::config
