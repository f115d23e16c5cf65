// DefinitionEditor (issue 17) without the HTTP layer: when the reload after a write is refused
// (another file changed on disk in between), the previous file is put back - the configuration on
// disk stays the one that runs; file naming of new definitions; ETag matching.
#include "app/DefinitionEditor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/RedactedUrls.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/config/SecretRedaction.h"

namespace sfsync::app {
namespace {

constexpr const char* kJob = R"({"name": "Companies", "connection": "sample",
  "source": {"object": "Account"}, "target": {"object": "Company"},
  "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true}]})";

class DefinitionEditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = production\n"
               "connection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials",
               testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write("jobs/companies.json", kJob);
    std::filesystem::create_directories(dir_.file("chains"));
    running_ = load({});
    ASSERT_TRUE(running_->problems.empty()) << running_->problems[0].toString();
    store_ = std::move(store::openSqliteStore(dir_.file("var/test.db")).value());
    editor_ = std::make_unique<DefinitionEditor>(
        [this](const config::FileOverlay& overlay) { return load(overlay); },
        [this](const std::string&) -> Result<admin::ReloadOutcome> {
          admin::ReloadOutcome refused;
          refused.problems = {"jobs/other.json: $: broken meanwhile"};
          return refused;
        },
        [this] { return std::shared_ptr<const config::LoadedConfig>(running_); }, *store_, clock_);
  }

  std::shared_ptr<config::LoadedConfig> load(const config::FileOverlay& overlay) {
    return std::make_shared<config::LoadedConfig>(
        config::loadConfig("conf/sfsync.properties", dir_.path(), {}, overlay));
  }

  testing::TempDir dir_;
  std::shared_ptr<testing::FakeClock> clock_ = std::make_shared<testing::FakeClock>();
  std::shared_ptr<config::LoadedConfig> running_;
  store::StorePtr store_;
  std::unique_ptr<DefinitionEditor> editor_;
};

TEST_F(DefinitionEditorTest, ARefusedReloadPutsThePreviousFileBack) {
  admin::EditRequest edit;
  edit.kind = "job";
  edit.name = "Companies";
  edit.text = std::string(kJob) + "\n";
  edit.ifMatch = DefinitionEditor::etagOf(kJob);
  edit.actor = "alice";
  Result<admin::EditOutcome> outcome = editor_->save(edit);
  ASSERT_TRUE(outcome.ok()) << outcome.status().toString();
  EXPECT_EQ(outcome->code, admin::EditOutcome::Code::kInvalid);
  ASSERT_EQ(outcome->problems.size(), 1u);
  EXPECT_NE(outcome->problems[0].message.find("broken meanwhile"), std::string::npos);
  EXPECT_EQ(testing::readFile(dir_.file("jobs/companies.json")), kJob);

  admin::EditRequest create = edit;
  create.name = "New Thing";
  create.text = R"({"name": "New Thing", "connection": "sample",
    "source": {"object": "Contact"}, "target": {"object": "Person"},
    "mappings": [{"source": "Id", "target": "SfdcId", "upsertKey": true}]})";
  create.ifMatch.reset();
  create.createOnly = true;
  outcome = editor_->save(create);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->code, admin::EditOutcome::Code::kInvalid);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("jobs/new_thing.json")));
}

TEST_F(DefinitionEditorTest, NewFilesAreNamedLikeTheShippedOnes) {
  EXPECT_EQ(DefinitionEditor::fileStem("Company Person Sync"), "company_person_sync");
  EXPECT_EQ(DefinitionEditor::fileStem("SFDC_Company Person Sync"), "sfdc_company_person_sync");
  EXPECT_EQ(DefinitionEditor::fileStem("  Cases -> Tickets! "), "cases_tickets");
  EXPECT_EQ(DefinitionEditor::fileStem("../.."), "definition");
}

TEST_F(DefinitionEditorTest, EtagMatching) {
  const std::string etag = DefinitionEditor::etagOf("x");
  EXPECT_TRUE(DefinitionEditor::etagMatches(etag, etag));
  EXPECT_TRUE(DefinitionEditor::etagMatches("\"a\", W/" + etag, etag));
  EXPECT_TRUE(DefinitionEditor::etagMatches("*", etag));
  EXPECT_FALSE(DefinitionEditor::etagMatches("", etag));
  EXPECT_FALSE(DefinitionEditor::etagMatches(DefinitionEditor::etagOf("y"), etag));
}

// A viewer may validate any text: a redacted webhook placeholder moved into a field whose problem
// echoes the value must not come back as the real URL (validate checks the text as sent, and every
// message is redacted).
TEST_F(DefinitionEditorTest, ValidateNeverEchoesTheRealWebhookUrl) {
  const std::string secret = "https://hooks.slack.com/services/T1/B2/very-secret";
  std::string withHook = kJob;
  withHook.insert(withHook.rfind('}'),
                  ",\n  \"notifications\": {\"onFailure\": {\"webhooks\": [\"" + secret + "\"]}}");
  dir_.write("jobs/companies.json", withHook);
  running_ = load({});
  ASSERT_TRUE(running_->problems.empty()) << running_->problems[0].toString();

  // Served text validates as is (the placeholder passes the URL shape check).
  const std::string served = config::SecretRedaction::jsonText(withHook);
  Result<std::vector<admin::DefinitionProblem>> ok = editor_->validate("job", "Companies", served);
  ASSERT_TRUE(ok.ok()) << ok.status().toString();
  for (const admin::DefinitionProblem& p : *ok) EXPECT_NE(p.severity, "error") << p.message;

  std::string moved = served;
  moved.insert(moved.rfind('}'), ",\n  \"operation\": \"https://hooks.slack.com/<redacted>\"");
  Result<std::vector<admin::DefinitionProblem>> problems =
      editor_->validate("job", "Companies", moved);
  ASSERT_TRUE(problems.ok()) << problems.status().toString();
  ASSERT_FALSE(problems->empty());
  for (const admin::DefinitionProblem& p : *problems) {
    EXPECT_EQ(p.message.find("very-secret"), std::string::npos) << p.message;
  }
  // The safety net: a message quoting a real URL of the file shows it redacted.
  EXPECT_EQ(redactMessage("unknown operation '" + secret + "' (x)", withHook),
            "unknown operation 'https://hooks.slack.com/<redacted>' (x)");
  EXPECT_EQ(redactMessage("bad 'https://x.example.com/a?token=s'", ""),
            "bad 'https://x.example.com/<redacted>'");
}

}  // namespace
}  // namespace sfsync::app
