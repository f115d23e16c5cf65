// JobValidator's replication rules (issue 10) against the simulator's describe: "mode":
// "incremental" without SystemModstamp is a problem; a calculated (formula / roll-up) field mapped
// by an incremental job is a warning naming the field unless "refreshCalculatedEvery" is set;
// "onSourceDelete" on User (no IsDeleted: Users are deactivated) is a problem, on another object
// without IsDeleted a warning.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobValidator.h"

namespace sfsync {
namespace {

// An object with a formula and a roll-up field, and one without SystemModstamp / IsDeleted.
const char* kScoreDescribe = R"({
  "name": "Score__c", "keyPrefix": "a0S", "custom": true,
  "fields": [
    {"name": "Id", "type": "id"},
    {"name": "IsDeleted", "type": "boolean"},
    {"name": "Name", "type": "string"},
    {"name": "Points__c", "type": "double"},
    {"name": "Grade__c", "type": "string", "calculated": true},
    {"name": "Total__c", "type": "double", "calculated": true},
    {"name": "SystemModstamp", "type": "datetime"}
  ]})";
const char* kLogDescribe = R"({
  "name": "Log__c", "keyPrefix": "a0L", "custom": true,
  "fields": [
    {"name": "Id", "type": "id"},
    {"name": "Name", "type": "string"}
  ]})";

class ReplicationValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.addObject(kScoreDescribe);
    sim_.addObject(kLogDescribe);
    client_ = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
  }

  // Parses a job on `object` mapping `mappings` (a JSON array) with extra top-level `extra` and
  // "source" members `source`; returns the problems, fills `warnings_`.
  std::vector<std::string> validate(const std::string& object, const std::string& mappings,
                                    const std::string& source = "", const std::string& extra = "") {
    const std::string text = R"({"name": "V", "connection": "sample", "source": {"object": ")" +
                             object + "\"" + (source.empty() ? "" : ", " + source) +
                             R"(}, "target": {"object": "T"}, "mappings": )" + mappings +
                             (extra.empty() ? "" : ", " + extra) + "}";
    std::vector<config::ConfigProblem> parseProblems;
    auto job = config::parseJob("jobs/v.json", text, parseProblems);
    EXPECT_TRUE(parseProblems.empty()) << parseProblems.front().toString() << "\n" << text;
    if (!job) return {"(unparsable)"};
    job->dedupeBy = "";  // objects without SystemModstamp cannot dedupe by it
    std::vector<config::ConfigProblem> warnings;
    std::vector<std::string> out;
    for (const auto& p : jobs::JobValidator::validate(*job, *client_, &warnings)) {
      out.push_back(p.path + ": " + p.message);
    }
    warnings_.clear();
    for (const auto& w : warnings) warnings_.push_back(w.path + ": " + w.message);
    return out;
  }

  sim::SimServer sim_;
  std::shared_ptr<testing::FakeClock> clock_ = std::make_shared<testing::FakeClock>();
  salesforce::SalesforceClientPtr client_;
  std::vector<std::string> warnings_;
};

const char* kScoreMappings = R"([{"source": "Id", "target": "SfId", "upsertKey": true},
  {"source": "Points__c", "target": "Points"}, {"source": "Grade__c", "target": "Grade"},
  {"source": "Total__c", "target": "Total"}])";

TEST_F(ReplicationValidationTest, CalculatedFieldsOfAnIncrementalJobAreWarnings) {
  for (const char* mode : {"", R"("mode": "incremental")"}) {  // incremental by default, too
    EXPECT_TRUE(validate("Score__c", kScoreMappings, mode).empty()) << mode;
    ASSERT_EQ(warnings_.size(), 2u) << ::testing::PrintToString(warnings_);
    EXPECT_EQ(warnings_[0].rfind("mappings[2].source: field 'Grade__c' is a formula or roll-up "
                                 "(calculated) field",
                                 0),
              0u)
        << warnings_[0];
    EXPECT_NE(warnings_[0].find("\"refreshCalculatedEvery\""), std::string::npos);
    EXPECT_EQ(warnings_[1].rfind("mappings[3].source: field 'Total__c'", 0), 0u) << warnings_[1];
  }
  // A derived-mapping match source and an extra field are mapped fields too.
  EXPECT_TRUE(validate("Score__c", R"([{"source": "Id", "target": "SfId", "upsertKey": true}])",
                       R"("fields": ["Total__c"])")
                  .empty());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0].rfind("source.fields[0]: field 'Total__c'", 0), 0u) << warnings_[0];
}

TEST_F(ReplicationValidationTest, NoCalculatedWarningWhenRefreshedOrFull) {
  EXPECT_TRUE(
      validate("Score__c", kScoreMappings, "", R"("refreshCalculatedEvery": "7d")").empty());
  EXPECT_TRUE(warnings_.empty()) << ::testing::PrintToString(warnings_);
  EXPECT_TRUE(validate("Score__c", kScoreMappings, R"("mode": "full")").empty());
  EXPECT_TRUE(warnings_.empty()) << ::testing::PrintToString(warnings_);
}

TEST_F(ReplicationValidationTest, IncrementalNeedsSystemModstamp) {
  const char* mappings = R"([{"source": "Id", "target": "SfId", "upsertKey": true}])";
  const auto problems = validate("Log__c", mappings, R"("mode": "incremental")");
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0],
            "source.mode: \"incremental\" needs SystemModstamp, which Log__c does not have; use "
            "\"full\" (or leave \"mode\" out: objects without SystemModstamp are read in full)");
  // By default (auto) such an object is read in full: nothing to report.
  EXPECT_TRUE(validate("Log__c", mappings).empty());
  EXPECT_TRUE(validate("Log__c", mappings, R"("mode": "full")").empty());
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(ReplicationValidationTest, DeletesOnAnObjectWithoutIsDeleted) {
  const char* userMappings =
      R"([{"source": "Id", "target": "SfId", "upsertKey": true}, {"source": "Email", "target": "Email"}])";
  for (const char* policy : {"markDeleted", "delete"}) {
    const auto problems =
        validate("User", userMappings, "", std::string(R"("onSourceDelete": ")") + policy + "\"");
    ASSERT_EQ(problems.size(), 1u) << policy << ::testing::PrintToString(problems);
    EXPECT_EQ(problems[0].rfind("onSourceDelete: Salesforce never deletes Users (they are "
                                "deactivated",
                                0),
              0u)
        << problems[0];
  }
  EXPECT_TRUE(validate("User", userMappings, "", R"("onSourceDelete": "ignore")").empty());

  const char* logMappings = R"([{"source": "Id", "target": "SfId", "upsertKey": true}])";
  EXPECT_TRUE(validate("Log__c", logMappings, "", R"("onSourceDelete": "delete")").empty());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0].rfind("onSourceDelete: Log__c has no IsDeleted field", 0), 0u)
      << warnings_[0];
  // Account has IsDeleted: deletes are followed without comment.
  EXPECT_TRUE(validate("Account", logMappings, "", R"("onSourceDelete": "markDeleted")").empty());
  EXPECT_TRUE(warnings_.empty()) << ::testing::PrintToString(warnings_);
}

}  // namespace
}  // namespace sfsync
