// The job / chain editor's API (issue 17) over the REAL daemon runtime and editor
// (app::DefinitionEditor with a temporary configuration, a SQLite store and the Salesforce
// simulator): POST /api/validate, GET with ETag, PUT (create / update / 428 / 412 / 422), DELETE
// (409 naming the chain), update activity under the token's name, the reload taking effect, a
// concurrent edit, the body cap, and the describe endpoints of the field picker.
#include <Poco/File.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "admin/AdminHttpClient.h"
#include "admin/AdminServerFixture.h"
#include "admin/JsonWriter.h"
#include "app/DaemonChecks.h"
#include "app/DaemonRuntime.h"
#include "app/DefinitionEditor.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/activity/ConfigAuditor.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/MetadataCache.h"

namespace sfsync::admin::testing {
namespace {

constexpr const char* kContacts = R"({
  "name": "Contacts", "connection": "sample",
  "source": {"object": "Contact"}, "target": {"object": "Person"},
  "mappings": [{"source": "Id", "target": "SfdcContactId", "upsertKey": true},
               {"source": "Email", "target": "Email"}],
  "derivedMappings": [{"target": "CompanyId", "lookup": "Company",
                       "match": [{"source": "AccountId", "target": "SfdcAccountId"}],
                       "onMultipleMatches": "useAny", "onNoMatch": "null"}]
})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

class EditorApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials", sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) +
                                                                    "/conf/sample.credentials"));
    dir_.write("jobs/companies.json", R"({
      "name": "Companies", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                   {"source": "Name", "target": "Name"}]})");
    dir_.write("chains/nightly.json", R"({"name": "Nightly", "jobs": ["Companies"]})");
    config_ = load({});
    for (const auto& p : config_->problems) ADD_FAILURE() << p.toString();
    ASSERT_TRUE(config_->problems.empty());
    store_ = std::move(store::openSqliteStore(config_->app.storePath).value());
    // As the daemon does at start: the snapshots later edits are compared with.
    ASSERT_TRUE(activity::ConfigAuditor::audit(*config_, *store_, *clock_).ok());
    runtime_ = std::make_unique<app::DaemonRuntime>(
        std::shared_ptr<const config::LoadedConfig>(config_), *store_, clock_,
        notify::NotificationSettings{}, scheduling::Scheduler::Options{});
    runtime_->setConfigSource([this] {
      app::DaemonRuntime::LoadedSource source;
      source.config = load({});
      return source;
    });
    ASSERT_TRUE(runtime_->init().ok());
    editor_ = std::make_unique<app::DefinitionEditor>(
        [this](const config::FileOverlay& overlay) { return load(overlay); },
        [this](const std::string& actor) { return runtime_->reloadEdited(actor); },
        [this] { return runtime_->currentConfig(); }, *store_, clock_);
    AdminOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.tokens.push_back({"alice", hashAdminToken(kAliceToken)});
    server_ = std::make_unique<AdminServer>(options, *store_, *runtime_,
                                            [] { return std::string("{\"status\":\"ok\"}"); });
    server_->setConfigEditor(*editor_);
    const Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.toString();
    client_ = std::make_unique<AdminHttpClient>(server_->port());
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (runtime_) runtime_->stop();
  }

  std::shared_ptr<config::LoadedConfig> load(const config::FileOverlay& overlay) {
    auto loaded = std::make_shared<config::LoadedConfig>(
        config::loadConfig("conf/sfsync.properties", dir_.path(), {}, overlay));
    notify::NotificationSettings notifications;
    for (auto& p : app::checkDaemonConfig(*loaded, {}, &notifications)) {
      loaded->problems.push_back(std::move(p));
    }
    return loaded;
  }

  // Caches the describe of `object` as a metadata refresh would (through the simulator).
  void cacheDescribe(const std::string& object) {
    const config::ConnectionConfig* c = config_->app.findConnection("sample");
    auto client = salesforce::makeHttpClient(c->settings, clock_);
    jobs::MetadataCache cache(*store_, *clock_, "sample", 7);
    ASSERT_TRUE(cache.fetch(*client, object).ok());
  }

  HttpReply get(const std::string& target) { return client_->get(target, kAliceToken); }
  HttpReply put(const std::string& target, const std::string& body,
                const std::map<std::string, std::string>& headers) {
    return client_->request("PUT", target, kAliceToken, body, headers);
  }
  HttpReply validate(const std::string& body) {
    return client_->request("POST", "/api/validate", kAliceToken, body);
  }
  std::string etagOf(const std::string& target) {
    const HttpReply reply = get(target);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.header("ETag");
  }
  // The problem at `path` in a validate / 422 answer, or null.
  static Poco::JSON::Object::Ptr problemAt(const std::string& body, const std::string& path) {
    Poco::JSON::Array::Ptr problems = parseObject(body)->getArray("problems");
    for (std::size_t i = 0; problems && i < problems->size(); ++i) {
      Poco::JSON::Object::Ptr p = problems->getObject(static_cast<unsigned>(i));
      if (p->getValue<std::string>("path") == path) return p;
    }
    return nullptr;
  }
  bool scheduled(const std::string& name) {
    for (const auto& s : runtime_->scheduler().statuses()) {
      if (s.name == name) return true;
    }
    return false;
  }

  sim::SimServer sim_;
  sfsync::testing::TempDir dir_;
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
  std::shared_ptr<config::LoadedConfig> config_;
  store::StorePtr store_;
  std::unique_ptr<app::DaemonRuntime> runtime_;
  std::unique_ptr<app::DefinitionEditor> editor_;
  std::unique_ptr<AdminServer> server_;
  std::unique_ptr<AdminHttpClient> client_;
};

TEST_F(EditorApiTest, ValidateAcceptsAGoodJobAndListsProblemsWithTheirJsonPaths) {
  HttpReply ok = validate(std::string(R"({"kind":"job","definition":)") + kContacts + "}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(parseObject(ok.body)->getValue<bool>("valid")) << ok.body;

  const std::string bad =
      replaced(replaced(kContacts, R"("onNoMatch": "null")", R"("onNoMatch": "sometimes")"),
               R"("lookup": "Company")", R"("lookup": "")");
  HttpReply problems = validate(R"({"kind":"job","text":)" + JsonWriter::quote(bad) + "}");
  ASSERT_EQ(problems.status, 200) << problems.body;
  EXPECT_FALSE(parseObject(problems.body)->getValue<bool>("valid"));
  Poco::JSON::Object::Ptr policy = problemAt(problems.body, "derivedMappings[0].onNoMatch");
  ASSERT_TRUE(policy) << problems.body;
  EXPECT_EQ(policy->getValue<std::string>("severity"), "error");
  EXPECT_EQ(policy->getValue<std::string>("file"), "jobs/contacts.json");
  EXPECT_TRUE(policy->getValue<bool>("inDefinition"));
  EXPECT_TRUE(problemAt(problems.body, "derivedMappings[0].lookup")) << problems.body;
  // Nothing was written.
  EXPECT_FALSE(Poco::File(dir_.file("jobs/contacts.json")).exists());

  // Cross-file rules run too: a chain naming an unknown job.
  HttpReply chain = validate(R"({"kind":"chain","name":"Nightly","definition":
      {"name":"Nightly","jobs":["Companies","Nope"]}})");
  ASSERT_EQ(chain.status, 200) << chain.body;
  EXPECT_FALSE(parseObject(chain.body)->getValue<bool>("valid")) << chain.body;
  EXPECT_NE(chain.body.find("Nope"), std::string::npos) << chain.body;
  EXPECT_EQ(validate("not json").status, 400);
  EXPECT_EQ(validate(R"({"kind":"report","text":"{}"})").status, 400);
}

TEST_F(EditorApiTest, ValidateChecksFieldsAgainstTheCachedDescribe) {
  HttpReply uncached = validate(std::string(R"({"kind":"job","definition":)") + kContacts + "}");
  Poco::JSON::Object::Ptr info = problemAt(uncached.body, "source.object");
  ASSERT_TRUE(info) << uncached.body;
  EXPECT_EQ(info->getValue<std::string>("severity"), "info");
  cacheDescribe("Contact");
  const std::string typo = replaced(kContacts, R"("source": "Email")", R"("source": "Emial")");
  HttpReply checked = validate(R"({"kind":"job","text":)" + JsonWriter::quote(typo) + "}");
  Poco::JSON::Object::Ptr field = problemAt(checked.body, "mappings[1].source");
  ASSERT_TRUE(field) << checked.body;
  EXPECT_EQ(field->getValue<std::string>("severity"), "error");
  EXPECT_NE(field->getValue<std::string>("message").find("Emial"), std::string::npos);
  EXPECT_FALSE(parseObject(checked.body)->getValue<bool>("valid"));
}

TEST_F(EditorApiTest, GetReturnsTheFileTextAndItsEtag) {
  const HttpReply reply = get("/api/jobs/Companies");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::string etag = reply.header("ETag");
  EXPECT_EQ(etag, app::DefinitionEditor::etagOf(
                      sfsync::testing::readFile(dir_.file("jobs/companies.json"))));
  Poco::JSON::Object::Ptr body = parseObject(reply.body);
  EXPECT_EQ(body->getValue<std::string>("etag"), etag);
  EXPECT_EQ(body->getValue<std::string>("text"),
            sfsync::testing::readFile(dir_.file("jobs/companies.json")));
  EXPECT_EQ(get("/api/chains/Nightly").header("ETag").size(), 66u);  // quotes + 64 hex
}

TEST_F(EditorApiTest, PutCreatesAJobRecordsTheTokenAndReloads) {
  HttpReply missing = put("/api/jobs/Contacts", kContacts, {});
  EXPECT_EQ(missing.status, 404) << missing.body;  // no such job and no If-None-Match: *
  HttpReply created = put("/api/jobs/Contacts", kContacts, {{"If-None-Match", "*"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(sfsync::testing::readFile(dir_.file("jobs/contacts.json")), kContacts);
  EXPECT_EQ(created.header("ETag"), app::DefinitionEditor::etagOf(kContacts));
  // The reload took effect: the API and the scheduler know the job.
  EXPECT_EQ(get("/api/jobs/Contacts").status, 200);
  EXPECT_TRUE(scheduled("Contacts"));
  // Update activity under the token's name.
  bool recorded = false;
  for (const store::UpdateRecord& u : store_->listUpdates(0, "").value()) {
    recorded = recorded || (u.kind == "job" && u.name == "Contacts" && u.actor == "alice" &&
                            u.action == "added");
  }
  EXPECT_TRUE(recorded);
  // Creating it again is refused.
  EXPECT_EQ(put("/api/jobs/Contacts", kContacts, {{"If-None-Match", "*"}}).status, 412);
}

TEST_F(EditorApiTest, PutUpdatesWithIfMatchAndRefusesMissingOrStaleEtags) {
  const std::string etag = etagOf("/api/jobs/Companies");
  const std::string before = sfsync::testing::readFile(dir_.file("jobs/companies.json"));
  const std::string edited = replaced(before, R"("target": "Name")", R"("target": "CompanyName")");
  HttpReply noMatch = put("/api/jobs/Companies", edited, {});
  EXPECT_EQ(noMatch.status, 428) << noMatch.body;
  HttpReply stale = put("/api/jobs/Companies", edited, {{"If-Match", "\"0000\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.header("ETag"), etag);
  EXPECT_EQ(parseObject(stale.body)->getValue<std::string>("etag"), etag);
  EXPECT_EQ(sfsync::testing::readFile(dir_.file("jobs/companies.json")), before);

  HttpReply saved = put("/api/jobs/Companies", edited, {{"If-Match", etag}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_NE(saved.header("ETag"), etag);
  const HttpReply after = get("/api/jobs/Companies");
  EXPECT_EQ(parseObject(after.body)->getValue<std::string>("text"), edited);
  EXPECT_NE(after.body.find("CompanyName"), std::string::npos);  // the running definition
  const config::JobConfig* job = runtime_->currentConfig()->findJob("Companies");
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(job->targets[0].mappings[1].target, "CompanyName");
  bool recorded = false;
  for (const store::UpdateRecord& u : store_->listUpdates(0, "").value()) {
    recorded = recorded || (u.name == "Companies" && u.actor == "alice" && u.action == "edited" &&
                            u.diff.find("CompanyName") != std::string::npos);
  }
  EXPECT_TRUE(recorded);
}

TEST_F(EditorApiTest, PutWithProblemsIsRefusedWithEveryProblemAndWritesNothing) {
  const std::string etag = etagOf("/api/jobs/Companies");
  const std::string before = sfsync::testing::readFile(dir_.file("jobs/companies.json"));
  const std::string bad =
      replaced(replaced(before, R"("upsertKey": true)", R"("upsertKey": "yes")"),
               R"("connection": "sample")", R"("connection": "nowhere")");
  HttpReply refused = put("/api/jobs/Companies", bad, {{"If-Match", etag}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_GE(parseObject(refused.body)->getArray("problems")->size(), 2u) << refused.body;
  EXPECT_TRUE(problemAt(refused.body, "connection")) << refused.body;
  EXPECT_EQ(sfsync::testing::readFile(dir_.file("jobs/companies.json")), before);
  // A name other than the URL's is refused too (renames are create + delete).
  HttpReply renamed = put("/api/jobs/Companies", replaced(before, "\"Companies\"", "\"Firms\""),
                          {{"If-Match", etag}});
  EXPECT_EQ(renamed.status, 422) << renamed.body;
  EXPECT_TRUE(problemAt(renamed.body, "name")) << renamed.body;
  EXPECT_EQ(etagOf("/api/jobs/Companies"), etag);
}

TEST_F(EditorApiTest, TwoClientsWithTheSameEtagTheSecondSaveIsRefused) {
  const std::string etag = etagOf("/api/jobs/Companies");
  const std::string before = sfsync::testing::readFile(dir_.file("jobs/companies.json"));
  const std::string first = replaced(before, R"("target": "Name")", R"("target": "First")");
  const std::string second = replaced(before, R"("target": "Name")", R"("target": "Second")");
  HttpReply a, b;
  std::thread one([&] { a = put("/api/jobs/Companies", first, {{"If-Match", etag}}); });
  std::thread two([&] { b = put("/api/jobs/Companies", second, {{"If-Match", etag}}); });
  one.join();
  two.join();
  // Exactly one wins, whichever came first; the other is told the current ETag.
  ASSERT_EQ((a.status == 200) + (b.status == 200), 1) << a.body << " / " << b.body;
  const HttpReply& loser = a.status == 200 ? b : a;
  const HttpReply& winner = a.status == 200 ? a : b;
  EXPECT_EQ(loser.status, 412) << loser.body;
  EXPECT_EQ(loser.header("ETag"), winner.header("ETag"));
  EXPECT_EQ(sfsync::testing::readFile(dir_.file("jobs/companies.json")),
            a.status == 200 ? first : second);
}

TEST_F(EditorApiTest, DeleteOfAJobInAChainIsRefusedNamingTheChain) {
  // Like PUT, DELETE needs the ETag the decision was made on: 428 without, 412 when stale.
  HttpReply unconditional = client_->request("DELETE", "/api/jobs/Companies", kAliceToken);
  EXPECT_EQ(unconditional.status, 428) << unconditional.body;
  HttpReply stale = client_->request("DELETE", "/api/chains/Nightly", kAliceToken, "",
                                     {{"If-Match", "\"0000\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_TRUE(Poco::File(dir_.file("chains/nightly.json")).exists());
  HttpReply refused = client_->request("DELETE", "/api/jobs/Companies", kAliceToken, "",
                                       {{"If-Match", etagOf("/api/jobs/Companies")}});
  ASSERT_EQ(refused.status, 409) << refused.body;
  Poco::JSON::Object::Ptr body = parseObject(refused.body);
  EXPECT_EQ(body->getArray("chains")->getElement<std::string>(0), "Nightly");
  EXPECT_NE(body->getValue<std::string>("error").find("Nightly"), std::string::npos);
  EXPECT_TRUE(Poco::File(dir_.file("jobs/companies.json")).exists());

  HttpReply chain = client_->request("DELETE", "/api/chains/Nightly", kAliceToken, "",
                                     {{"If-Match", etagOf("/api/chains/Nightly")}});
  ASSERT_EQ(chain.status, 200) << chain.body;
  EXPECT_FALSE(Poco::File(dir_.file("chains/nightly.json")).exists());
  EXPECT_FALSE(scheduled("Nightly"));
  HttpReply job = client_->request("DELETE", "/api/jobs/Companies", kAliceToken, "",
                                   {{"If-Match", etagOf("/api/jobs/Companies")}});
  ASSERT_EQ(job.status, 200) << job.body;
  EXPECT_EQ(get("/api/jobs/Companies").status, 404);
  EXPECT_FALSE(scheduled("Companies"));
  EXPECT_EQ(client_->request("DELETE", "/api/jobs/Companies", kAliceToken, "", {{"If-Match", "*"}})
                .status,
            404);
}

TEST_F(EditorApiTest, ChainsAreCreatedAndEditedWithTheirDependencies) {
  ASSERT_EQ(put("/api/jobs/Contacts", kContacts, {{"If-None-Match", "*"}}).status, 201);
  const std::string chain = R"({"name": "Nightly", "jobs": ["Contacts", "Companies"],
    "dependencies": [{"job": "Contacts", "after": "Companies", "condition": "success"}]})";
  HttpReply saved =
      put("/api/chains/Nightly", chain, {{"If-Match", etagOf("/api/chains/Nightly")}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  const config::ChainConfig* running = runtime_->currentConfig()->findChain("Nightly");
  ASSERT_NE(running, nullptr);
  EXPECT_EQ(running->jobs, (std::vector<std::string>{"Contacts", "Companies"}));
  ASSERT_EQ(running->dependencies.size(), 1u);
  EXPECT_EQ(running->dependencies[0].after, "Companies");
  // A cycle is a problem at the chain's file.
  const std::string cycle = R"({"name": "Nightly", "jobs": ["Contacts", "Companies"],
    "dependencies": [{"job": "Contacts", "after": "Companies"}, {"job": "Companies", "after": "Contacts"}]})";
  HttpReply refused =
      put("/api/chains/Nightly", cycle, {{"If-Match", etagOf("/api/chains/Nightly")}});
  EXPECT_EQ(refused.status, 422) << refused.body;
}

TEST_F(EditorApiTest, BodiesOverTheLimitAreRefused) {
  const std::string huge(1024 * 1024 + 10, ' ');
  HttpReply reply = put("/api/jobs/Companies", huge, {{"If-Match", "*"}});
  EXPECT_EQ(reply.status, 413) << reply.body;
  EXPECT_EQ(validate(huge).status, 413);
  EXPECT_EQ(get("/health").status, 200);
}

TEST_F(EditorApiTest, EditingNeedsAToken) {
  EXPECT_EQ(client_->request("PUT", "/api/jobs/Companies", "", kContacts).status, 401);
  EXPECT_EQ(client_->request("DELETE", "/api/jobs/Companies", "").status, 401);
  EXPECT_EQ(client_->request("POST", "/api/validate", "", "{}").status, 401);
}

TEST_F(EditorApiTest, WebhookUrlsAreServedRedactedAndKeptOnSave) {
  const std::string withHook = replaced(
      kContacts, R"("name": "Contacts",)",
      R"("name": "Contacts", "notifications": {"onFailure": {"webhooks": ["https://hooks.example.com/T1/secret-path"]}},)");
  ASSERT_EQ(put("/api/jobs/Contacts", withHook, {{"If-None-Match", "*"}}).status, 201);
  const HttpReply got = get("/api/jobs/Contacts");
  EXPECT_EQ(got.body.find("secret-path"), std::string::npos) << got.body;
  const std::string served = parseObject(got.body)->getValue<std::string>("text");
  EXPECT_NE(served.find("https://hooks.example.com/<redacted>"), std::string::npos) << served;
  HttpReply valid =
      validate(R"({"kind":"job","name":"Contacts","text":)" + JsonWriter::quote(served) + "}");
  EXPECT_TRUE(parseObject(valid.body)->getValue<bool>("valid")) << valid.body;
  const std::string edited = replaced(served, R"("target": "Email")", R"("target": "Mail")");
  HttpReply saved = put("/api/jobs/Contacts", edited, {{"If-Match", got.header("ETag")}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  const std::string onDisk = sfsync::testing::readFile(dir_.file("jobs/contacts.json"));
  EXPECT_NE(onDisk.find("https://hooks.example.com/T1/secret-path"), std::string::npos) << onDisk;
  EXPECT_NE(onDisk.find(R"("target": "Mail")"), std::string::npos);
}

// A viewer-level validate (and a 422 of PUT) never hands back the real webhook URL: the
// placeholder moved into "operation" is echoed in the problem, redacted.
TEST_F(EditorApiTest, ProblemsNeverEchoTheRealWebhookUrl) {
  const std::string withHook = replaced(
      kContacts, R"("name": "Contacts",)",
      R"("name": "Contacts", "notifications": {"onFailure": {"webhooks": ["https://hooks.example.com/T1/secret-path"]}},)");
  ASSERT_EQ(put("/api/jobs/Contacts", withHook, {{"If-None-Match", "*"}}).status, 201);
  const HttpReply got = get("/api/jobs/Contacts");
  const std::string served = parseObject(got.body)->getValue<std::string>("text");
  const std::string moved =
      replaced(served, R"("name": "Contacts",)",
               R"("name": "Contacts", "operation": "https://hooks.example.com/<redacted>",)");
  HttpReply checked =
      validate(R"({"kind":"job","name":"Contacts","text":)" + JsonWriter::quote(moved) + "}");
  EXPECT_NE(checked.body.find("operation"), std::string::npos) << checked.body;
  EXPECT_EQ(checked.body.find("secret-path"), std::string::npos) << checked.body;
  HttpReply refused = put("/api/jobs/Contacts", moved, {{"If-Match", got.header("ETag")}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.body.find("secret-path"), std::string::npos) << refused.body;
  // A placeholder with no original at its path (the webhook list reordered): 422 naming the
  // path, the file keeps the real URL.
  const std::string twoHooks =
      replaced(served, R"(["https://hooks.example.com/<redacted>"])",
               R"(["https://new.example.com/hook", "https://hooks.example.com/<redacted>"])");
  HttpReply unmatched = put("/api/jobs/Contacts", twoHooks, {{"If-Match", got.header("ETag")}});
  EXPECT_EQ(unmatched.status, 422) << unmatched.body;
  EXPECT_NE(unmatched.body.find("notifications.onFailure.webhooks[1]"), std::string::npos)
      << unmatched.body;
  EXPECT_NE(unmatched.body.find("re-enter the webhook URL"), std::string::npos) << unmatched.body;
  EXPECT_NE(sfsync::testing::readFile(dir_.file("jobs/contacts.json")).find("secret-path"),
            std::string::npos);
}

// A file the editor cannot read is a 500 naming the error, not a page without an ETag.
TEST_F(EditorApiTest, AnUnreadableFileIsA500NotAMissingEtag) {
  dir_.write("jobs/companies.json", std::string(5 * 1024 * 1024, ' ') + "{}");
  const HttpReply reply = get("/api/jobs/Companies");
  EXPECT_EQ(reply.status, 500) << reply.body;
  EXPECT_NE(reply.body.find("larger than 4 MiB"), std::string::npos) << reply.body;
}

TEST_F(EditorApiTest, DescribeListsCachedObjectsAndFieldsAnd404sOtherwise) {
  HttpReply missing = get("/api/connections/sample/describe/Contact");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("refresh-metadata"), std::string::npos) << missing.body;
  EXPECT_EQ(get("/api/connections/nowhere/describe").status, 404);
  cacheDescribe("Contact");
  HttpReply list = get("/api/connections/sample/describe");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("\"Contact\""), std::string::npos) << list.body;
  HttpReply fields = get("/api/connections/sample/describe/contact");  // case-insensitive
  ASSERT_EQ(fields.status, 200) << fields.body;
  Poco::JSON::Array::Ptr all = parseObject(fields.body)->getArray("fields");
  bool email = false;
  for (std::size_t i = 0; i < all->size(); ++i) {
    Poco::JSON::Object::Ptr f = all->getObject(static_cast<unsigned>(i));
    if (f->getValue<std::string>("name") != "Email") continue;
    email = true;
    EXPECT_TRUE(f->has("type") && f->has("label") && f->has("updateable") && f->has("createable") &&
                f->has("calculated"));
  }
  EXPECT_TRUE(email) << fields.body;
}

}  // namespace
}  // namespace sfsync::admin::testing
