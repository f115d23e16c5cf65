// Issue 17: the connections page's API over the REAL daemon runtime and the simulator - the OAuth
// 2.0 web-server flow with PKCE end to end (POST .../authorize -> the simulator's login form and
// consent -> GET /oauth/callback -> refresh token in the encrypted credentials store, OOB jobs
// created, configuration reloaded), a replayed / unknown state refused, a wrong code_verifier
// refused by the simulator, Test connection, and the connection details GET /api/connections
// shows.
#include <Poco/File.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "admin/AdminHttpClient.h"
#include "admin/AdminServerFixture.h"
#include "admin/OAuthStates.h"
#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/secrets/SecretStore.h"

namespace sfsync::admin::testing {
namespace {

std::string queryValue(const std::string& url, const std::string& name) {
  for (const auto& [key, value] : Poco::URI(url).getQueryParameters()) {
    if (key == name) return value;
  }
  return "";
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    std::string encoded;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", encoded);
    out += (out.empty() ? "" : "&") + key + "=" + encoded;
  }
  return out;
}

// The hidden input `name`'s value in an HTML page (the simulator's forms).
std::string hiddenValue(const std::string& html, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  const auto at = html.find(marker);
  if (at == std::string::npos) return "";
  const auto start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

class ConnectionAuthApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    Poco::File(dir_.file("var")).createDirectories();
    ASSERT_TRUE(secrets::SecretStore::createKeyFile(dir_.file("var/secret.key")).ok());
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = web, pw\n"
               "connection.pw.orgType = custom\nconnection.pw.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\nconnection.pw.credentialsFile = conf/pw.credentials\n"
                   "secrets.keyFile = var/secret.key\n"
                   "connection.web.orgType = custom\n"
                   "connection.web.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\nconnection.web.authFlow = web_server\n"
                   "connection.web.credentialsFile = conf/web.credentials\n");
    dir_.write("conf/web.credentials", "clientId = sfsync-sample-client\n");
    dir_.write("conf/pw.credentials", sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) +
                                                                "/conf/sample.credentials"));
    for (const char* name :
         {"user_sync.json", "company_sync.json", "company_person_sync.json", "currency_sync.json",
          "cases_sync.json", "opportunity_sync.json", "sfdc_company_person_sync.json"}) {
      dir_.write(std::string("conf/oob/") + name,
                 sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/oob/" + name));
    }
    Poco::File(dir_.file("jobs")).createDirectories();
    Poco::File(dir_.file("chains")).createDirectories();
    std::shared_ptr<config::LoadedConfig> config = load();
    for (const auto& p : config->problems) ADD_FAILURE() << p.toString();
    ASSERT_TRUE(config->problems.empty());
    store_ = std::move(store::openSqliteStore(config->app.storePath).value());
    runtime_ = std::make_unique<app::DaemonRuntime>(
        config, *store_, clock_, notify::NotificationSettings{}, scheduling::Scheduler::Options{});
    runtime_->setConfigSource([this] {
      return app::DaemonRuntime::LoadedSource{load(), notify::NotificationSettings{}};
    });
    ASSERT_TRUE(runtime_->init().ok());
    AdminOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.tokens.push_back({"alice", hashAdminToken(kAliceToken)});
    server_ = std::make_unique<AdminServer>(options, *store_, *runtime_,
                                            [] { return std::string("{\"status\":\"ok\"}"); });
    const Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.toString();
    client_ = std::make_unique<AdminHttpClient>(server_->port());
    simClient_ = std::make_unique<AdminHttpClient>(sim_.port());
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (runtime_) runtime_->stop();
  }

  std::shared_ptr<config::LoadedConfig> load() const {
    return std::make_shared<config::LoadedConfig>(
        config::loadConfig("conf/sfsync.properties", dir_.path()));
  }

  Poco::JSON::Object::Ptr connection() {
    const HttpReply reply = client_->get("/api/connections/web", kAliceToken);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return parseObject(reply.body)->getObject("connection");
  }

  // POST .../authorize; returns the authorize URL.
  std::string startAuthorization() {
    const HttpReply reply = client_->post("/api/connections/web/authorize", kAliceToken);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return parseObject(reply.body)->getValue<std::string>("authorizeUrl");
  }

  // The browser's part at the simulator: login form, login, consent. Returns the callback URL
  // the simulator redirects to.
  std::string logInAndAllow(const std::string& authorizeUrl) {
    const Poco::URI uri(authorizeUrl);
    const HttpReply form = simClient_->get(uri.getPathAndQuery());
    EXPECT_EQ(form.status, 200) << form.body;
    EXPECT_NE(form.body.find("name=\"password\""), std::string::npos) << form.body;
    const HttpReply consent = simClient_->request(
        "POST", "/services/oauth2/authorize", "",
        formEncode({{"step", "login"},
                    {"response_type", "code"},
                    {"client_id", hiddenValue(form.body, "client_id")},
                    {"redirect_uri", hiddenValue(form.body, "redirect_uri")},
                    {"code_challenge", hiddenValue(form.body, "code_challenge")},
                    {"code_challenge_method", "S256"},
                    {"state", hiddenValue(form.body, "state")},
                    {"username", "admin@sample.sfsync"},
                    {"password", "sample-password"}}));
    EXPECT_EQ(consent.status, 200) << consent.body;
    const HttpReply redirect =
        simClient_->request("POST", "/services/oauth2/authorize", "",
                            formEncode({{"step", "consent"},
                                        {"consent", hiddenValue(consent.body, "consent")},
                                        {"decision", "allow"}}));
    EXPECT_EQ(redirect.status, 302) << redirect.body;
    return redirect.header("Location");
  }

  sim::SimServer sim_;
  sfsync::testing::TempDir dir_;
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
  store::StorePtr store_;
  std::unique_ptr<app::DaemonRuntime> runtime_;
  std::unique_ptr<AdminServer> server_;
  std::unique_ptr<AdminHttpClient> client_;
  std::unique_ptr<AdminHttpClient> simClient_;
};

TEST_F(ConnectionAuthApiTest, AuthorizeThroughTheSimulatorStoresTheTokenAndCreatesOobJobs) {
  Poco::JSON::Object::Ptr before = connection();
  EXPECT_EQ(before->getValue<std::string>("state"), "unauthorised");
  EXPECT_EQ(before->getValue<std::string>("authFlow"), "web_server");
  EXPECT_EQ(before->getValue<std::string>("orgType"), "custom");
  EXPECT_TRUE(before->isNull("authorizedAt"));
  EXPECT_EQ(client_->get("/api/jobs", kAliceToken).body, "{\"jobs\":[]}");

  const std::string url = startAuthorization();
  EXPECT_EQ(url.rfind(sim_.baseUrl() + "/services/oauth2/authorize?", 0), 0u) << url;
  EXPECT_EQ(queryValue(url, "code_challenge_method"), "S256");
  EXPECT_EQ(queryValue(url, "client_id"), "sfsync-sample-client");
  const std::string redirectUri = queryValue(url, "redirect_uri");
  EXPECT_EQ(redirectUri, "http://127.0.0.1:" + std::to_string(server_->port()) + "/oauth/callback");
  EXPECT_EQ(queryValue(url, "code_challenge").size(), 43u);  // base64url SHA-256, no padding

  const std::string callback = logInAndAllow(url);
  ASSERT_EQ(callback.rfind(redirectUri + "?code=", 0), 0u) << callback;
  const std::string target = Poco::URI(callback).getPathAndQuery();
  const HttpReply done = client_->get(target);  // the browser: no bearer token
  EXPECT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("Location"), "/#/connections?authorized=web");

  // The refresh token is in the encrypted store, never in a file of ours in clear.
  Result<secrets::SecretStore::Values> secrets =
      secrets::SecretStore::load(dir_.file("var/credentials.enc"), dir_.file("var/secret.key"));
  ASSERT_TRUE(secrets.ok()) << secrets.status().toString();
  EXPECT_EQ(secrets->at("web.refreshToken"), "sample-refresh-token");
  // First authorisation of the first connection: the full OOB set, loaded by the reload.
  EXPECT_TRUE(Poco::File(dir_.file("jobs/user_sync.json")).exists());
  EXPECT_TRUE(Poco::File(dir_.file("chains/sfdc_company_person_sync.json")).exists());
  const std::string jobs = client_->get("/api/jobs", kAliceToken).body;
  EXPECT_NE(jobs.find("\"User Sync\""), std::string::npos) << jobs;
  Poco::JSON::Object::Ptr after = connection();
  EXPECT_EQ(after->getValue<std::string>("state"), "active");
  EXPECT_FALSE(after->isNull("authorizedAt"));
  EXPECT_EQ(after->getValue<std::string>("instanceUrl"), sim_.baseUrl());
  const std::string updates = client_->get("/api/updates", kAliceToken).body;
  EXPECT_NE(updates.find("\"authorized\""), std::string::npos) << updates;
  EXPECT_EQ(updates.find("sample-refresh-token"), std::string::npos);

  // The same callback again: the state was used.
  const HttpReply replay = client_->get(target);
  EXPECT_EQ(replay.status, 400) << replay.body;
  EXPECT_NE(replay.body.find("unknown, expired or already used"), std::string::npos);

  // Test connection now logs in with the stored token and reads /limits.
  sim_.setApiLimit(15000, 120);
  const HttpReply test = client_->post("/api/connections/web/test", kAliceToken);
  ASSERT_EQ(test.status, 200) << test.body;
  Poco::JSON::Object::Ptr result = parseObject(test.body);
  EXPECT_TRUE(result->getValue<bool>("ok")) << test.body;
  EXPECT_EQ(result->getValue<std::int64_t>("apiMax"), 15000);
  EXPECT_GE(result->getValue<std::int64_t>("apiUsed"), 120);
  EXPECT_EQ(connection()->getValue<std::int64_t>("apiMax"), 15000);  // the last value seen
}

TEST_F(ConnectionAuthApiTest, DisconnectForgetsTheTokenUntilAuthorizedAgain) {
  auto authorize = [&] {
    const std::string callback = logInAndAllow(startAuthorization());
    return client_->get(Poco::URI(callback).getPathAndQuery());
  };
  ASSERT_EQ(authorize().status, 303);
  const HttpReply off = client_->post("/api/connections/web/disconnect", kAliceToken);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_NE(off.body.find("refresh token removed"), std::string::npos) << off.body;
  Result<secrets::SecretStore::Values> secrets =
      secrets::SecretStore::load(dir_.file("var/credentials.enc"), dir_.file("var/secret.key"));
  ASSERT_TRUE(secrets.ok());
  EXPECT_EQ(secrets->count("web.refreshToken"), 0u);
  Poco::JSON::Object::Ptr disconnected = connection();
  EXPECT_EQ(disconnected->getValue<std::string>("state"), "disconnected");
  EXPECT_FALSE(disconnected->getValue<bool>("authorized"));
  // Jobs on it fail clearly: even Reconnect cannot log in without a token.
  const HttpReply reconnect = client_->post("/api/connections/web/reconnect", kAliceToken);
  EXPECT_EQ(reconnect.status, 409) << reconnect.body;
  EXPECT_NE(reconnect.body.find("is not authorised"), std::string::npos) << reconnect.body;
  const std::string updates = client_->get("/api/updates", kAliceToken).body;
  EXPECT_NE(updates.find("\"deauthorized\""), std::string::npos) << updates;

  // Authorize again: token stored, the connection runs again, OOB jobs kept as they were.
  ASSERT_EQ(authorize().status, 303);
  EXPECT_EQ(connection()->getValue<std::string>("state"), "active");
}

TEST_F(ConnectionAuthApiTest, UnknownStateAndDeniedConsentAreRefusedWithoutChanges) {
  const HttpReply unknown = client_->get("/oauth/callback?code=abc&state=0123456789abcdef");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(client_->get("/oauth/callback").status, 400);

  const std::string url = startAuthorization();
  const std::string state = queryValue(url, "state");
  const HttpReply denied = client_->get("/oauth/callback?error=access_denied&state=" + state);
  EXPECT_EQ(denied.status, 400);
  EXPECT_NE(denied.body.find("access_denied"), std::string::npos);
  EXPECT_EQ(connection()->getValue<std::string>("state"), "unauthorised");
  EXPECT_FALSE(Poco::File(dir_.file("var/credentials.enc")).exists());
}

TEST_F(ConnectionAuthApiTest, AWrongCodeVerifierIsRefusedBySalesforce) {
  const std::string url = startAuthorization();
  const std::string callback = logInAndAllow(url);
  const std::string code = queryValue(callback, "code");
  ASSERT_FALSE(code.empty());
  Result<std::string> done = runtime_->completeAuthorization(
      "web", code, OAuthStates::newCodeVerifier(), queryValue(url, "redirect_uri"), "alice");
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.status().code(), StatusCode::kUnauthenticated) << done.status().toString();
  EXPECT_NE(done.status().message().find("invalid code verifier"), std::string::npos);
  EXPECT_FALSE(Poco::File(dir_.file("var/credentials.enc")).exists());
  EXPECT_FALSE(Poco::File(dir_.file("jobs/user_sync.json")).exists());
}

// The token is kept only once the authoriser (describe, OOB files) succeeded: with the OOB
// templates gone it fails, and the credentials store holds no token for the connection.
TEST_F(ConnectionAuthApiTest, AFailedAuthoriserLeavesNoRefreshTokenBehind) {
  std::filesystem::remove_all(dir_.file("conf/oob"));
  const std::string callback = logInAndAllow(startAuthorization());
  const HttpReply done = client_->get(Poco::URI(callback).getPathAndQuery());
  EXPECT_NE(done.status, 303) << done.body;
  EXPECT_TRUE(
      Poco::File(dir_.file("var/credentials.enc")).exists() == false ||
      secrets::SecretStore::load(dir_.file("var/credentials.enc"), dir_.file("var/secret.key"))
              ->count("web.refreshToken") == 0);
  EXPECT_NE(connection()->getValue<std::string>("state"), "active");
}

TEST_F(ConnectionAuthApiTest, UnauthorisedConnectionTestFailsClearlyAndUnknownNamesAre404) {
  const HttpReply test = client_->post("/api/connections/web/test", kAliceToken);
  ASSERT_EQ(test.status, 200) << test.body;
  Poco::JSON::Object::Ptr result = parseObject(test.body);
  EXPECT_FALSE(result->getValue<bool>("ok"));
  EXPECT_NE(result->getValue<std::string>("error").find("is not authorised"), std::string::npos);
  EXPECT_EQ(client_->post("/api/connections/nope/test", kAliceToken).status, 404);
  EXPECT_EQ(client_->post("/api/connections/nope/authorize", kAliceToken).status, 404);
  EXPECT_EQ(client_->get("/api/connections/web/authorize", kAliceToken).status, 405);
  // Another auth flow is authorised with --authorize, not the page.
  const HttpReply password = client_->post("/api/connections/pw/authorize", kAliceToken);
  EXPECT_EQ(password.status, 409) << password.body;
  EXPECT_NE(password.body.find("authFlow = web_server"), std::string::npos);
}

TEST_F(ConnectionAuthApiTest, ASecondConnectionGetsOnlyItsUserAndCurrencyJobs) {
  // Another connection was authorised first (the --authorize second-connection rule).
  ASSERT_TRUE(store_->putState("oob.primaryConnection", "pw").ok());
  const std::string callback = logInAndAllow(startAuthorization());
  const HttpReply done = client_->get(Poco::URI(callback).getPathAndQuery());
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_TRUE(Poco::File(dir_.file("jobs/user_sync_web.json")).exists());
  EXPECT_TRUE(Poco::File(dir_.file("jobs/currency_sync_web.json")).exists());
  EXPECT_FALSE(Poco::File(dir_.file("jobs/company_sync.json")).exists());
  EXPECT_FALSE(Poco::File(dir_.file("jobs/company_sync_web.json")).exists());
  const std::string jobs = client_->get("/api/jobs", kAliceToken).body;
  EXPECT_NE(jobs.find("User Sync (web)"), std::string::npos) << jobs;
}

}  // namespace
}  // namespace sfsync::admin::testing
