// The serving sfsyncd process with the job / chain editor wired in (issue 17, SyncApp): validation
// runs the daemon's own loader and checks, a PUT writes the file and reloads (the new job is served
// and its update row names the token), a stale ETag is refused, a DELETE removes the file.
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "admin/AdminHttpClient.h"
#include "app/DaemonTestSupport.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync {
namespace {

constexpr const char* kToken = "sample-admin-token";
constexpr const char* kContacts = R"({"name": "Contacts", "connection": "sample",
  "source": {"object": "Contact"}, "target": {"object": "Person"},
  "mappings": [{"source": "Id", "target": "SfdcContactId", "upsertKey": true}]}
)";

class DaemonEditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\nadmin.port = 0\n"
               "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
               "log.file = var/log/sfsyncd.log\nconnections = sample\n"
               "connection.sample.orgType = custom\nconnection.sample.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n"
                   "admin.tokens = sample\nadmin.token.sample.sha256 = "
                   "6fe1ecc3098418820c222b5ef19e6bd3cc271628cb0653e42304b7ffb6164cc6\n");
    dir_.write("conf/sample.credentials",
               testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write("jobs/accounts.json", R"({"name": "Accounts", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true}]})");
    Poco::File(dir_.file("chains")).createDirectories();
    daemon_ = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{}, dir_.path(), nullptr,
                                    nullptr, nullptr);
    port_ = testing::waitForAdminPort(dir_.file("var/log/sfsyncd.log"));
    ASSERT_NE(port_, 0) << testing::readFile(dir_.file("var/log/sfsyncd.log"));
    ASSERT_TRUE(testing::waitUntil([&] { return !testing::health(port_).empty(); }));
    client_.emplace(static_cast<std::uint16_t>(port_));
  }

  void TearDown() override {
    if (daemon_) {
      Poco::Process::kill(*daemon_);
      daemon_->wait();
    }
  }

  admin::testing::HttpReply call(const std::string& method, const std::string& path,
                                 const std::string& body = "",
                                 const std::map<std::string, std::string>& headers = {}) {
    return client_->request(method, path, kToken, body, headers);
  }

  sim::SimServer sim_;
  testing::TempDir dir_;
  std::optional<Poco::ProcessHandle> daemon_;
  int port_ = 0;
  std::optional<admin::testing::AdminHttpClient> client_;
};

TEST_F(DaemonEditorTest, ValidateSaveAndDeleteThroughTheServingDaemon) {
  const auto invalid = call("POST", "/api/validate",
                            R"({"kind":"job","definition":{"name":"X","connection":"nowhere"}})");
  ASSERT_EQ(invalid.status, 200) << invalid.body;
  EXPECT_NE(invalid.body.find("\"valid\":false"), std::string::npos) << invalid.body;
  EXPECT_NE(invalid.body.find("\"path\":\"connection\""), std::string::npos) << invalid.body;

  const auto created = call("PUT", "/api/jobs/Contacts", kContacts, {{"If-None-Match", "*"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(testing::readFile(dir_.file("jobs/contacts.json")), kContacts);
  const auto served = call("GET", "/api/jobs/Contacts");
  ASSERT_EQ(served.status, 200) << served.body;
  EXPECT_EQ(served.header("ETag"), created.header("ETag"));
  const auto updates = call("GET", "/api/updates");
  EXPECT_NE(updates.body.find("\"actor\":\"sample\""), std::string::npos) << updates.body;

  const auto stale = call("PUT", "/api/jobs/Contacts", kContacts, {{"If-Match", "\"old\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  const auto removed =
      call("DELETE", "/api/jobs/Contacts", "", {{"If-Match", served.header("ETag")}});
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_FALSE(Poco::File(dir_.file("jobs/contacts.json")).exists());
  EXPECT_EQ(call("GET", "/api/jobs/Contacts").status, 404);
}

}  // namespace
}  // namespace sfsync
