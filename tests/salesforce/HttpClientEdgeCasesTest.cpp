// Edge cases of the HTTP client against ScriptedServer (answers the simulator has no switch for).
#include <Poco/Event.h>
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "salesforce/HttpTransport.h"
#include "salesforce/ScriptedServer.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {
namespace {

using sfsync::testing::Reply;
using sfsync::testing::ScriptedServer;
using sfsync::testing::SeenRequest;
using std::chrono::milliseconds;

std::string page(const std::string& records, bool done, const std::string& next = "") {
  return R"({"totalSize":2,"done":)" + std::string(done ? "true" : "false") +
         (next.empty() ? "" : R"(,"nextRecordsUrl":")" + next + "\"") + R"(,"records":[)" +
         records + "]}";
}

const std::string kRec1 = R"({"attributes":{"type":"Account"},"Id":"001A","Name":"One"})";
const std::string kRec2 = R"({"attributes":{"type":"Account"},"Id":"001B","Name":"Two"})";

class EdgeCaseTest : public ::testing::Test {
 protected:
  ConnectionSettings settingsFor(const ScriptedServer& server) const {
    ConnectionSettings s = sfsync::testing::scriptedConnection(server);
    s.clientSecret = "top-secret-value";  // secrets the error messages must never carry
    s.password = "hunter2";
    s.securityToken = "TOKEN123";
    s.timeout = milliseconds(5000);
    return s;
  }

  static void expectNoSecrets(const Status& s) {
    for (const char* secret : {"top-secret-value", "hunter2", "TOKEN123", "tok-"}) {
      EXPECT_EQ(s.message().find(secret), std::string::npos) << s.message();
    }
  }

  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
};

Status collect(SalesforceClient& client, const std::string& soql,
               std::vector<std::vector<Value>>& rows, bool includeDeleted = false) {
  return client.query(
      soql, {"Id", "Name"},
      [&](RecordPage& p) {
        for (auto& r : p.rows) rows.push_back(std::move(r));
        return Status::OK();
      },
      includeDeleted);
}

TEST_F(EdgeCaseTest, SecondUnauthorizedAfterRenewalIsFinal) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{401,
                 R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])"};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  const Result<ObjectDescribe> d = client->describe("Account");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(d.status().remoteCode(), "INVALID_SESSION_ID");
  EXPECT_EQ(d.status().httpStatus(), 401);
  EXPECT_EQ(server.tokenRequests().size(), 2u);
  EXPECT_EQ(server.dataRequests().size(), 2u);
  EXPECT_EQ(client->usage().authentications, 2);
  EXPECT_EQ(client->usage().calls, 2);
  EXPECT_TRUE(clock_->sleeps().empty());
  expectNoSecrets(d.status());
}

TEST_F(EdgeCaseTest, PageThatStaysMalformedIsADataErrorAfterMaxRetries) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{200, R"({"totalSize":2,"done":true,"records":[{"Id":"001A")"};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  int pages = 0;
  const Status s = client->query("SELECT Id FROM Account", {"Id"}, [&](RecordPage&) {
    ++pages;
    return Status::OK();
  });
  EXPECT_EQ(s.code(), StatusCode::kDataError) << s.toString();
  EXPECT_EQ(pages, 0);
  EXPECT_EQ(server.dataRequests().size(), 4u);  // 1 + maxRetries
  EXPECT_EQ(clock_->sleeps(),
            (std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400)}));
}

TEST_F(EdgeCaseTest, RequestLimitExceededIsPermissionDeniedWithoutRetry) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{
        403,
        R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])",
        {{"Sforce-Limit-Info", "api-usage=15001/15000"}}};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::vector<Value>> rows;
  const Status s = collect(*client, "SELECT Id, Name FROM Account", rows);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.remoteCode(), "REQUEST_LIMIT_EXCEEDED");
  EXPECT_EQ(s.message(), "TotalRequests Limit exceeded.");
  EXPECT_EQ(server.dataRequests().size(), 1u);
  EXPECT_TRUE(clock_->sleeps().empty());
  EXPECT_EQ(client->usage().limitInfo, "api-usage=15001/15000");
}

TEST_F(EdgeCaseTest, FollowsNextRecordsUrlWithHeadersAndGzip) {
  ScriptedServer server(nullptr, [](const SeenRequest& req, int) {
    Reply r;
    r.gzip = true;
    const bool second = req.uri.find("/query/01g-2") != std::string::npos;
    r.headers = {{"Sforce-Limit-Info", second ? "api-usage=8/15000" : "api-usage=7/15000"}};
    r.body = second ? page(kRec2, true) : page(kRec1, false, "/services/data/v62.0/query/01g-2");
    return r;
  });
  ConnectionSettings settings = settingsFor(server);
  settings.queryBatchSize = 5000;  // clamped to Salesforce's 2000
  settings.apiVersion = "58.0";    // normalised to v58.0
  auto client = makeHttpClient(settings, clock_);
  std::vector<std::vector<Value>> rows;
  ASSERT_TRUE(collect(*client, "SELECT Id, Name FROM Account WHERE Name = 'A&B'", rows).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<Value>{std::string("001A"), std::string("One")}));
  EXPECT_EQ(rows[1], (std::vector<Value>{std::string("001B"), std::string("Two")}));

  const auto seen = server.dataRequests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].uri,
            "/services/data/v58.0/query?q=SELECT%20Id%2C%20Name%20FROM%20Account%20WHERE%20Name%20"
            "%3D%20%27A%26B%27");
  EXPECT_EQ(seen[1].uri, "/services/data/v62.0/query/01g-2");
  for (const auto& r : seen) {
    EXPECT_EQ(r.authorization, "Bearer tok-1");
    EXPECT_EQ(r.queryOptions, "batchSize=2000");
    EXPECT_EQ(r.acceptEncoding, "gzip");
  }
  EXPECT_EQ(client->usage().calls, 2);
  EXPECT_EQ(client->usage().limitInfo, "api-usage=8/15000");
}

TEST_F(EdgeCaseTest, IncludeDeletedUsesQueryAll) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{200, page(kRec1, true)};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::vector<Value>> rows;
  ASSERT_TRUE(collect(*client, "SELECT Id FROM Account", rows, /*includeDeleted=*/true).ok());
  ASSERT_EQ(server.dataRequests().size(), 1u);
  EXPECT_EQ(server.dataRequests()[0].uri.rfind("/services/data/v62.0/queryAll?q=", 0), 0u);
}

TEST_F(EdgeCaseTest, TruncatedResponseIsRetried) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int index) {
    Reply r{200, page(kRec1, true)};
    if (index == 1) r.declaredLength = r.body.size() + 100;  // connection closes early
    return r;
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::vector<Value>> rows;
  const Status s = collect(*client, "SELECT Id FROM Account", rows);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(rows.size(), 1u);
  EXPECT_EQ(server.dataRequests().size(), 2u);
  EXPECT_EQ(clock_->sleeps(), std::vector<milliseconds>{milliseconds(100)});
}

TEST_F(EdgeCaseTest, TokenEndpointOutageIsRetried) {
  std::string base;
  ScriptedServer server(
      [&base](const SeenRequest&, int index) {
        if (index == 1)
          return Reply{503, R"({"error":"unavailable","error_description":"maintenance"})"};
        return ScriptedServer::tokenOk(base, index);
      },
      nullptr);
  base = server.baseUrl();
  auto client = makeHttpClient(settingsFor(server), clock_);
  const Status s = client->authenticate();
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(server.tokenRequests().size(), 2u);
  EXPECT_EQ(client->usage().authentications, 2);
  EXPECT_EQ(clock_->sleeps(), std::vector<milliseconds>{milliseconds(100)});
  const std::string form = server.tokenRequests()[0].body;
  EXPECT_NE(form.find("grant_type=password"), std::string::npos);
  EXPECT_NE(form.find("password=hunter2TOKEN123"), std::string::npos);
}

TEST_F(EdgeCaseTest, PlainHttpInstanceUrlOnRemoteHostIsRefused) {
  ScriptedServer server(
      [](const SeenRequest&, int index) {
        return ScriptedServer::tokenOk("http://na1.salesforce.example", index);
      },
      nullptr);
  auto client = makeHttpClient(settingsFor(server), clock_);
  const Status s = client->authenticate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("na1.salesforce.example"), std::string::npos) << s.message();
  EXPECT_TRUE(server.dataRequests().empty());
}

TEST_F(EdgeCaseTest, NextRecordsUrlOnAnotherHostIsNotFollowed) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{200, page(kRec1, false, "https://evil.example/services/data/v62.0/query/01g-2")};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::vector<Value>> rows;
  const Status s = collect(*client, "SELECT Id FROM Account", rows);
  EXPECT_EQ(s.code(), StatusCode::kDataError) << s.toString();
  EXPECT_EQ(rows.size(), 1u);  // the first page was delivered
  EXPECT_EQ(server.dataRequests().size(), 1u);
}

TEST_F(EdgeCaseTest, NotDoneWithoutNextRecordsUrlIsADataError) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{200, page(kRec1, false)};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::vector<Value>> rows;
  EXPECT_EQ(collect(*client, "SELECT Id FROM Account", rows).code(), StatusCode::kDataError);
}

TEST_F(EdgeCaseTest, TimeoutIsUnavailable) {
  Poco::Event release;
  ScriptedServer server(nullptr, [&release](const SeenRequest&, int) {
    Reply r{200, page(kRec1, true)};
    r.beforeSend = [&release] { release.tryWait(10000); };
    return r;
  });
  ConnectionSettings settings = settingsFor(server);
  settings.timeout = milliseconds(150);
  settings.maxRetries = 0;
  auto client = makeHttpClient(settings, clock_);
  std::vector<std::vector<Value>> rows;
  const Status s = collect(*client, "SELECT Id FROM Account", rows);
  release.set();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
  EXPECT_NE(s.message().find("timeout"), std::string::npos) << s.message();
}

TEST_F(EdgeCaseTest, ConnectionRefusedIsRetriedThenUnavailable) {
  std::uint16_t closedPort = 0;
  {
    Poco::Net::ServerSocket probe;
    probe.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    closedPort = probe.address().port();
  }  // closed again: nothing listens there now
  ConnectionSettings settings;
  settings.orgType = OrgType::kCustomDomain;
  settings.customDomainUrl = "http://127.0.0.1:" + std::to_string(closedPort);
  settings.clientId = "cid";
  settings.clientSecret = "top-secret-value";
  settings.username = "u";
  settings.password = "hunter2";
  settings.maxRetries = 2;
  settings.initialBackoff = milliseconds(250);
  auto client = makeHttpClient(settings, clock_);
  const Status s = client->authenticate();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
  EXPECT_EQ(client->usage().authentications, 3);
  EXPECT_EQ(clock_->sleeps(), (std::vector<milliseconds>{milliseconds(250), milliseconds(500)}));
  expectNoSecrets(s);
}

TEST_F(EdgeCaseTest, HandlerExceptionBecomesInternalStatus) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{200, page(kRec1, true)};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  const Status s = client->query("SELECT Id FROM Account", {"Id"},
                                 [](RecordPage&) -> Status { throw std::runtime_error("boom"); });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("boom"), std::string::npos);
}

TEST_F(EdgeCaseTest, InvalidArgumentsAreRejectedLocally) {
  ScriptedServer server(nullptr, nullptr);
  auto client = makeHttpClient(settingsFor(server), clock_);
  EXPECT_EQ(client->describe("Account/../x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(client->describe("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(client->query("  ", {"Id"}, [](RecordPage&) { return Status::OK(); }).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(server.tokenRequests().empty());
  EXPECT_TRUE(server.dataRequests().empty());
}

TEST_F(EdgeCaseTest, TransportReusesKeepAliveConnections) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) { return Reply{200, "[]"}; });
  HttpTransport transport(TransportOptions{});
  HttpRequest request;
  request.url = server.baseUrl() + "/services/data/";
  HttpResponse response;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(transport.send(request, response).ok());
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "[]");
  }
  EXPECT_EQ(transport.connectionsOpened(), 1);
  EXPECT_EQ(server.dataRequests().size(), 3u);
}

}  // namespace
}  // namespace sfsync::salesforce
