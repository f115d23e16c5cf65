// The Bulk API 2.0 client against a scripted hostile or broken server (issue 10): result sets that
// turn out malformed after pages were handed out (resumed without duplicates), endless locator
// chains, CSV bombs, absurd Sforce-NumberOfRecords, bad job info, and the request shapes
// (create / abort bodies, results URL). Also the Sforce-Limit-Info parser.
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <limits>
#include <memory>

#include "fakes/FakeClock.h"
#include "salesforce/HttpTransport.h"
#include "salesforce/ReplicationParsers.h"
#include "salesforce/ScriptedServer.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {
namespace {

using sfsync::testing::Reply;
using sfsync::testing::ScriptedServer;
using sfsync::testing::SeenRequest;
using std::chrono::milliseconds;

const std::string kJobId = "750000000000001AAA";
const std::string kDescribe =
    R"({"name":"Account","fields":[{"name":"Id","type":"id"},{"name":"Name","type":"string"},)"
    R"({"name":"NumberOfEmployees","type":"int"}]})";

std::string csvRows(int from, int to) {
  std::string out = "\"Id\",\"Name\"\n";
  for (int i = from; i < to; ++i)
    out += "\"" + std::to_string(i) + "\",\"n" + std::to_string(i) + "\"\n";
  return out;
}

Reply csvReply(std::string body, const std::string& locator, std::int64_t rows) {
  return Reply(200, std::move(body),
               {{"Sforce-Locator", locator}, {"Sforce-NumberOfRecords", std::to_string(rows)}});
}

bool isDescribe(const SeenRequest& r) { return r.uri.find("/describe") != std::string::npos; }
bool isResults(const SeenRequest& r) { return r.uri.find("/results") != std::string::npos; }

class BulkHostileServerTest : public ::testing::Test {
 protected:
  ConnectionSettings settingsFor(const ScriptedServer& server) const {
    ConnectionSettings s = sfsync::testing::scriptedConnection(server);
    s.maxBackoff = ConnectionSettings().maxBackoff;  // the default cap
    s.queryBatchSize = 3;
    return s;
  }

  // Downloads the results of kJobId, keeping every row's Id.
  Status download(SalesforceClient& c, std::vector<std::string>& ids,
                  const BulkResultPosition& from = {}) {
    return c.bulkQueryResults(kJobId, "Account", {"Id", "Name"}, from, [&ids](RecordPage& page) {
      for (const auto& row : page.rows) ids.push_back(std::get<std::string>(row[0]));
      return Status::OK();
    });
  }

  std::size_t resultRequests(const ScriptedServer& server) const {
    std::size_t n = 0;
    for (const SeenRequest& r : server.dataRequests()) n += isResults(r) ? 1 : 0;
    return n;
  }

  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
};

// The first answer of the set breaks after 7 good rows (a row with a missing field, then more), so
// two pages of 3 rows were already handed out when the problem shows; the retry must resume after
// them.
TEST_F(BulkHostileServerTest, SetMalformedAfterPagesWereHandedOutResumesWithoutDuplicates) {
  auto attempts = std::make_shared<int>(0);
  ScriptedServer server(nullptr, [attempts](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    if (++*attempts == 1) {
      std::string broken = csvRows(0, 7) + "\"7\"\n" + csvRows(8, 10).substr(12);
      return csvReply(broken, "null", 10);
    }
    return csvReply(csvRows(0, 10), "null", 10);
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  EXPECT_EQ(client->retryStats().malformedResponses, 1);
  EXPECT_EQ(resultRequests(server), 2u);
}

TEST_F(BulkHostileServerTest, RepeatedLocatorStopsTheDownload) {
  ScriptedServer server(nullptr, [](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    const bool second = r.uri.find("locator=L2") != std::string::npos;
    return csvReply(csvRows(0, 2),
                    second ? "L1" : (r.uri.find("locator=L1") != std::string::npos ? "L2" : "L1"),
                    2);
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  EXPECT_EQ(st.code(), StatusCode::kDataError) << st.toString();
  EXPECT_EQ(st.remoteCode(), kRepeatedBulkLocator);
  EXPECT_EQ(resultRequests(server), 3u);  // "", L1, L2 (which points back to L1)
  EXPECT_EQ(ids.size(), 4u);              // the third set is not handed out
  EXPECT_EQ(client->retryStats().total(), 0);
}

TEST_F(BulkHostileServerTest, CsvBombIsCutAtTheResponseCap) {
  ScriptedServer server(nullptr, [](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    Reply bomb =
        csvReply("\"Id\",\"Name\"\n\"1\",\"" + std::string(3 << 20, 'x') + "\"\n", "null", 1);
    bomb.gzip = true;
    return bomb;
  });
  ConnectionSettings settings = settingsFor(server);
  settings.maxResponseBytes = 1 << 20;
  auto client = makeHttpClient(settings, clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  EXPECT_EQ(st.code(), StatusCode::kDataError) << st.toString();
  EXPECT_EQ(st.remoteCode(), kResponseTooLarge);
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(resultRequests(server), 1u);
}

TEST_F(BulkHostileServerTest, AbsurdOrMissingResultHeadersAreMalformedSets) {
  const std::vector<std::vector<std::pair<std::string, std::string>>> headerSets = {
      {{"Sforce-Locator", "null"}, {"Sforce-NumberOfRecords", "9223372036854775807"}},
      {{"Sforce-Locator", "null"}, {"Sforce-NumberOfRecords", "-5"}},
      {{"Sforce-Locator", "null"}, {"Sforce-NumberOfRecords", "lots"}},
      {{"Sforce-NumberOfRecords", "2"}},  // no locator
  };
  for (const auto& headers : headerSets) {
    ScriptedServer server(nullptr, [&headers](const SeenRequest& r, int) {
      if (isDescribe(r)) return Reply(200, kDescribe);
      return Reply(200, csvRows(0, 2), headers);
    });
    auto client = makeHttpClient(settingsFor(server), clock_);
    std::vector<std::string> ids;
    const Status st = download(*client, ids);
    EXPECT_EQ(st.code(), StatusCode::kDataError) << headers[0].second << ": " << st.toString();
    EXPECT_TRUE(ids.empty()) << headers[0].second;
    EXPECT_EQ(resultRequests(server), 4u) << headers[0].second;  // 1 + maxRetries
  }
}

TEST_F(BulkHostileServerTest, BadJobInfoIsRetriedThenFailsClearly) {
  for (const std::string& body :
       {std::string("{\"id\":\"750"), std::string("[]"), std::string(R"({"id":42,"state":"x"})"),
        std::string(R"({"id":"../../sobjects/Account","state":"JobComplete"})")}) {
    ScriptedServer server(nullptr, [&body](const SeenRequest&, int) { return Reply(200, body); });
    auto client = makeHttpClient(settingsFor(server), clock_);
    Result<BulkQueryJob> job = client->createBulkQuery("SELECT Id FROM Account", false);
    EXPECT_EQ(job.status().code(), StatusCode::kDataError) << body;
    EXPECT_EQ(server.dataRequests().size(), 4u) << body;
  }
}

TEST_F(BulkHostileServerTest, UnknownJobStateFails) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply(200, R"({"id":")" + kJobId + R"(","state":"Banana"})");
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  Result<BulkQueryJob> job = client->awaitBulkQuery(kJobId, std::chrono::seconds(60));
  EXPECT_EQ(job.status().code(), StatusCode::kDataError);
  EXPECT_NE(job.status().message().find("Banana"), std::string::npos);
}

TEST_F(BulkHostileServerTest, RequestsHaveSalesforcesShapes) {
  ScriptedServer server(nullptr, [](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    if (isResults(r)) return csvReply(csvRows(0, 1), "null", 1);
    return Reply(200, R"({"id":")" + kJobId + R"(","state":"UploadComplete"})");
  });
  ConnectionSettings settings = settingsFor(server);
  settings.bulkMaxRecords = 50000;
  auto client = makeHttpClient(settings, clock_);
  ASSERT_TRUE(client->createBulkQuery("SELECT Id FROM Account WHERE Name = 'a\"b'", true).ok());
  ASSERT_TRUE(client->abortBulkQuery(kJobId).ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(download(*client, ids, {"a b/c", 0}).ok());
  const std::vector<SeenRequest> seen = server.dataRequests();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].uri, "/services/data/v62.0/jobs/query");
  EXPECT_NE(seen[0].body.find(R"("operation":"queryAll")"), std::string::npos) << seen[0].body;
  EXPECT_NE(seen[0].body.find(R"("query":"SELECT Id FROM Account WHERE Name = 'a\"b'")"),
            std::string::npos)
      << seen[0].body;
  EXPECT_NE(seen[0].body.find(R"("contentType":"CSV")"), std::string::npos);
  EXPECT_NE(seen[0].body.find(R"("columnDelimiter":"COMMA")"), std::string::npos);
  EXPECT_NE(seen[0].body.find(R"("lineEnding":"LF")"), std::string::npos);
  EXPECT_EQ(seen[1].method, "PATCH");
  EXPECT_EQ(seen[1].uri, "/services/data/v62.0/jobs/query/" + kJobId);
  EXPECT_EQ(seen[1].body, R"({"state":"Aborted"})");
  EXPECT_EQ(seen[3].uri, "/services/data/v62.0/jobs/query/" + kJobId +
                             "/results?maxRecords=50000&locator=a%20b%2Fc");
  EXPECT_EQ(client->bulkQueryJob("../x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(server.dataRequests().size(), 4u);
}

TEST_F(BulkHostileServerTest, HostileLimitInfoNeverOverflowsTheBudget) {
  int call = 0;
  ScriptedServer server(nullptr, [&call](const SeenRequest&, int) {
    ++call;
    const std::string info = call == 1 ? "api-usage=99999999999999999999999/5"
                                       : "api-usage=9223372036854775807/9223372036854775807";
    return Reply(200, R"({"totalSize":3,"done":true,"records":[]})", {{"Sforce-Limit-Info", info}});
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  ASSERT_TRUE(client->count("SELECT COUNT() FROM Account").ok());
  EXPECT_EQ(client->usage().orgApiUsed, -1);  // unparseable: ignored
  ASSERT_TRUE(client->count("SELECT COUNT() FROM Account").ok());
  EXPECT_EQ(client->usage().orgApiUsed, std::numeric_limits<std::int64_t>::max());
  const Result<std::int64_t> n = client->count("SELECT COUNT() FROM Account");
  EXPECT_EQ(n.status().remoteCode(), kApiBudgetExhausted);
  EXPECT_EQ(call, 2);
}

// Two sets: "" holds rows [0, 4), L1 rows [4, 6); `l1` answers the L1 requests (1-based count).
ScriptedServer::Script twoSets(std::function<Reply(int)> l1) {
  auto l1Requests = std::make_shared<int>(0);
  return [l1, l1Requests](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    if (r.uri.find("locator=L1") != std::string::npos) return l1(++*l1Requests);
    return csvReply(csvRows(0, 4), "L1", 4);
  };
}

TEST_F(BulkHostileServerTest, NextSetIsFetchedWhileTheCurrentOneIsHandedOut) {
  auto l1Asked = std::make_shared<std::promise<void>>();
  std::shared_future<void> asked = l1Asked->get_future().share();
  ScriptedServer server(nullptr, twoSets([l1Asked](int n) {
                          if (n == 1) l1Asked->set_value();
                          return csvReply(csvRows(4, 6), "null", 2);
                        }));
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::string> ids;
  bool overlapped = false;
  const Status st =
      client->bulkQueryResults(kJobId, "Account", {"Id", "Name"}, {}, [&](RecordPage& page) {
        if (page.pageIndex == 0) {
          // The first page of the first set is being loaded: the second set is already asked for.
          overlapped = asked.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
        }
        for (const auto& row : page.rows) ids.push_back(std::get<std::string>(row[0]));
        return Status::OK();
      });
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_TRUE(overlapped);
  EXPECT_EQ(ids, (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
  EXPECT_EQ(resultRequests(server), 2u);
  EXPECT_EQ(client->retryStats().total(), 0);
  EXPECT_EQ(client->usage().calls, 3);  // describe + two sets: the prefetch is counted
}

TEST_F(BulkHostileServerTest, PrefetchedSetCutMidBodyIsFetchedAgainWithoutDuplicates) {
  ScriptedServer server(nullptr, twoSets([](int n) {
                          Reply reply = csvReply(csvRows(4, 6), "null", 2);
                          if (n == 1)
                            reply.declaredLength = reply.body.size() + 100;  // then closed
                          return reply;
                        }));
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids, (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
  EXPECT_EQ(client->retryStats().networkErrors, 1);
  EXPECT_EQ(resultRequests(server), 3u);
}

TEST_F(BulkHostileServerTest, PrefetchedSetMalformedAfterPagesResumesWithoutDuplicates) {
  auto l1 = [](int n) {
    std::string rows = csvRows(4, 11);
    if (n == 1) {  // rows 4..9 fine, then a row without its Name, then row 10
      rows = csvRows(4, 10) + "\"x\"\n" + csvRows(10, 11).substr(12);
    }
    return csvReply(rows, "null", 7);
  };
  ScriptedServer hostile(nullptr, twoSets(l1));
  auto client = makeHttpClient(settingsFor(hostile), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids,
            (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}));
  EXPECT_EQ(client->retryStats().malformedResponses, 1);
  EXPECT_EQ(resultRequests(hostile), 3u);
}

TEST_F(BulkHostileServerTest, HandlerErrorAbandonsAPendingPrefetchAtOnce) {
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  ScriptedServer server(nullptr, twoSets([released](int) {
                          Reply reply = csvReply(csvRows(4, 6), "null", 2);
                          reply.beforeSend = [released] { released.wait(); };  // never answers
                          return reply;
                        }));
  struct Release {  // destroyed before the server: its blocked handler may finish
    std::shared_ptr<std::promise<void>> p;
    ~Release() { p->set_value(); }
  } guard{release};
  auto client = makeHttpClient(settingsFor(server), clock_);
  auto result = std::async(std::launch::async, [&client] {
    return client->bulkQueryResults(kJobId, "Account", {"Id", "Name"}, {},
                                    [](RecordPage&) { return Status::IoError("disk full"); });
  });
  ASSERT_EQ(result.wait_for(std::chrono::seconds(60)), std::future_status::ready)
      << "the abandoned prefetch was waited for";
  EXPECT_EQ(result.get().code(), StatusCode::kIoError);
}

TEST(ReplicationParsersTest, ApiUsageItemIsFoundAmongOthers) {
  std::int64_t used = 0;
  std::int64_t max = 0;
  ASSERT_TRUE(ReplicationParsers::apiUsage("api-usage=25/15000", used, max));
  EXPECT_EQ(used, 25);
  EXPECT_EQ(max, 15000);
  ASSERT_TRUE(ReplicationParsers::apiUsage(
      "per-app-api-usage=17/250(appName=sample-app), api-usage=30/5000", used, max));
  EXPECT_EQ(used, 30);
  EXPECT_EQ(max, 5000);
  for (const char* bad : {"", "api-usage=", "api-usage=1", "api-usage=1/0", "api-usage=-1/5",
                          "api-usage=a/b", "per-app-api-usage=1/2", "api-usage=1/2x"}) {
    EXPECT_FALSE(ReplicationParsers::apiUsage(bad, used, max)) << bad;
  }
}

TEST(ReplicationParsersTest, DeletedAndLimitsBodies) {
  Result<DeletedRecords> d = ReplicationParsers::deleted(
      R"({"deletedRecords":[{"id":"001000000000001AAA","deletedDate":"2025-03-02T12:00:00.000+0000"}],)"
      R"("earliestDateAvailable":"2025-02-15T00:00:00.000+0000","latestDateCovered":"x"})");
  ASSERT_TRUE(d.ok()) << d.status().toString();
  ASSERT_EQ(d.value().records.size(), 1u);
  EXPECT_EQ(d.value().earliestDateAvailable, "2025-02-15T00:00:00.000+0000");
  EXPECT_FALSE(ReplicationParsers::deleted(R"({"deletedRecords":[{"id":7}]})").ok());
  EXPECT_FALSE(ReplicationParsers::deleted(R"({})").ok());
  Result<OrgLimits> l =
      ReplicationParsers::limits(R"({"DailyApiRequests":{"Max":15000,"Remaining":14000}})");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.value().dailyApiRequestsRemaining, 14000);
  EXPECT_FALSE(ReplicationParsers::limits(R"({"DailyApiRequests":{"Max":"a"}})").ok());
  EXPECT_FALSE(ReplicationParsers::limits("[").ok());
}

}  // namespace
}  // namespace sfsync::salesforce
