// The client's limits against a hostile or broken Salesforce (issue 9): response size caps (plain
// and gzip), endless nextRecordsUrl chains, the per-run call budget, the whole-response deadline,
// cancel() from another thread, and visible retries (RetryStats and one log line each).
#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

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

const std::string kNext = "/services/data/v62.0/query/01gXX-";

std::string records(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ",";
    out += R"({"attributes":{"type":"Account"},"Id":"001)" + std::to_string(i) + R"("})";
  }
  return out;
}

std::string pageOf(int rows, std::int64_t totalSize, const std::string& next) {
  return R"({"totalSize":)" + std::to_string(totalSize) + R"(,"done":)" +
         (next.empty() ? "true" : "false") +
         (next.empty() ? "" : R"(,"nextRecordsUrl":")" + next + "\"") + R"(,"records":[)" +
         records(rows) + "]}";
}

// Collects the log lines of the "sfsync.salesforce" logger while it lives.
class LogCapture {
 public:
  LogCapture() : logger_(Poco::Logger::get("sfsync.salesforce")), collector_(new Collector) {
    oldChannel_ = logger_.getChannel();
    oldLevel_ = logger_.getLevel();
    logger_.setChannel(collector_);
    logger_.setLevel(Poco::Message::PRIO_INFORMATION);
  }
  ~LogCapture() {
    logger_.setChannel(oldChannel_);
    logger_.setLevel(oldLevel_);
  }
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(collector_->mu);
    return collector_->lines;
  }

 private:
  struct Collector : Poco::Channel {
    void log(const Poco::Message& msg) override {
      std::lock_guard<std::mutex> lock(mu);
      lines.push_back(msg.getText());
    }
    std::mutex mu;
    std::vector<std::string> lines;
  };

  Poco::Logger& logger_;
  Poco::AutoPtr<Collector> collector_;
  Poco::Channel::Ptr oldChannel_;
  int oldLevel_ = 0;
};

class ClientLimitsTest : public ::testing::Test {
 protected:
  ConnectionSettings settingsFor(const ScriptedServer& server) const {
    return sfsync::testing::scriptedConnection(server);
  }

  Status query(SalesforceClient& client, int* pages = nullptr) {
    return client.query("SELECT Id FROM Account", {"Id"}, [pages](RecordPage&) {
      if (pages != nullptr) ++*pages;
      return Status::OK();
    });
  }

  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
};

// A body that trickles one byte every 20 ms for minutes; `started` is set once it began.
Reply trickle(std::shared_ptr<std::promise<void>> started = nullptr) {
  Reply reply;
  reply.declaredLength = 10000;
  reply.stream = [started](std::ostream& out) {
    if (started) started->set_value();
    for (int i = 0; i < 10000 && out.good(); ++i) {
      out << ' ' << std::flush;
      std::this_thread::sleep_for(milliseconds(20));
    }
  };
  return reply;
}

TEST_F(ClientLimitsTest, PlainResponseOverTheCapFailsClearlyAndIsNotRetried) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{200, pageOf(1, 1, "") + std::string(2 << 20, ' ')};
  });
  ConnectionSettings settings = settingsFor(server);
  settings.maxResponseBytes = 1 << 20;
  auto client = makeHttpClient(settings, clock_);
  const Status s = query(*client);
  EXPECT_EQ(s.code(), StatusCode::kDataError) << s.toString();
  EXPECT_EQ(s.remoteCode(), kResponseTooLarge);
  EXPECT_NE(s.message().find("connection.scripted.maxResponseBytes = 1048576"), std::string::npos)
      << s.message();
  EXPECT_EQ(server.dataRequests().size(), 1u);
}

TEST_F(ClientLimitsTest, GzipBombIsCutAtTheDecodedCap) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    Reply reply{200, pageOf(1, 1, "") + std::string(8 << 20, ' ')};
    reply.gzip = true;  // ~8 KB on the wire
    return reply;
  });
  ConnectionSettings settings = settingsFor(server);
  settings.maxResponseBytes = 1 << 20;
  auto client = makeHttpClient(settings, clock_);
  const Status s = query(*client);
  EXPECT_EQ(s.code(), StatusCode::kDataError) << s.toString();
  EXPECT_EQ(s.remoteCode(), kResponseTooLarge);
  EXPECT_NE(s.message().find("after gzip decoding"), std::string::npos) << s.message();
}

TEST_F(ClientLimitsTest, ResponseUnderTheCapStillWorks) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    Reply reply{200, pageOf(3, 3, "")};
    reply.gzip = true;
    return reply;
  });
  ConnectionSettings settings = settingsFor(server);
  settings.maxResponseBytes = 4096;
  auto client = makeHttpClient(settings, clock_);
  int pages = 0;
  EXPECT_TRUE(query(*client, &pages).ok());
  EXPECT_EQ(pages, 1);
}

TEST_F(ClientLimitsTest, OversizedHeaderIsRefused) {
  for (const bool manyFields : {true, false}) {
    ScriptedServer server(nullptr, [manyFields](const SeenRequest&, int) {
      Reply reply{200, pageOf(1, 1, "")};
      if (manyFields) {
        for (int i = 0; i < 150; ++i) reply.headers.emplace_back("X-Pad-" + std::to_string(i), "v");
      } else {
        reply.headers.emplace_back("X-Pad", std::string(20000, 'v'));
      }
      return reply;
    });
    ConnectionSettings settings = settingsFor(server);
    settings.maxRetries = 0;
    auto client = makeHttpClient(settings, clock_);
    const Status s = query(*client);
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
    EXPECT_NE(s.message().find(manyFields ? "Too many header fields" : "Field value too long"),
              std::string::npos)
        << s.message();
  }
}

TEST_F(ClientLimitsTest, RepeatedNextRecordsUrlStopsTheQuery) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int index) {
    // Without the guard the client would follow the loop; stop it after 50 pages anyway.
    return Reply{200, pageOf(1, 5, index > 50 ? "" : kNext + "1")};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  int pages = 0;
  const Status s = query(*client, &pages);
  EXPECT_EQ(s.code(), StatusCode::kDataError) << s.toString();
  EXPECT_EQ(s.remoteCode(), kRepeatedNextRecordsUrl);
  EXPECT_NE(s.message().find("a second time"), std::string::npos) << s.message();
  EXPECT_EQ(server.dataRequests().size(), 2u);
  EXPECT_EQ(pages, 1);  // the repeating page is not handed on
}

TEST_F(ClientLimitsTest, MoreRecordsThanTotalSizePromisedStopsTheQuery) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int index) {
    return Reply{200, pageOf(500, 100, index > 50 ? "" : kNext + std::to_string(index))};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  int pages = 0;
  const Status s = query(*client, &pages);
  EXPECT_EQ(s.code(), StatusCode::kDataError) << s.toString();
  EXPECT_EQ(s.remoteCode(), kMoreRecordsThanPromised);
  EXPECT_NE(s.message().find("promised totalSize 100 (at most 2110"), std::string::npos)
      << s.message();
  EXPECT_EQ(pages, 4);  // 2000 records accepted, the fifth page (2500) is not
}

TEST_F(ClientLimitsTest, HugeTotalSizeIsNotTrusted) {
  // A first page claiming 4e18 records: nothing may be sized from it.
  ScriptedServer server(nullptr, [](const SeenRequest&, int) {
    return Reply{200, pageOf(2, 9223372036854775807LL, "")};
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::size_t capacity = 0;
  const Status s = client->query("SELECT Id FROM Account", {"Id"}, [&](RecordPage& page) {
    capacity = page.rows.capacity();
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.toString();
  EXPECT_LE(capacity, 16u);
}

TEST_F(ClientLimitsTest, CallBudgetStopsEndlessNewUrls) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int index) {
    return Reply{200, pageOf(1, 1000000000, index > 50 ? "" : kNext + std::to_string(index))};
  });
  ConnectionSettings settings = settingsFor(server);
  settings.maxCallsPerRun = 5;
  auto client = makeHttpClient(settings, clock_);
  int pages = 0;
  const Status s = query(*client, &pages);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.toString();
  EXPECT_EQ(s.remoteCode(), kCallBudgetExceeded);
  EXPECT_NE(s.message().find("connection.scripted.maxCallsPerRun = 5"), std::string::npos)
      << s.message();
  EXPECT_EQ(server.dataRequests().size(), 5u);
  EXPECT_EQ(pages, 5);
}

TEST_F(ClientLimitsTest, TricklingBodyMissesTheWholeResponseDeadline) {
  ScriptedServer server(nullptr, [](const SeenRequest&, int) { return trickle(); });
  ConnectionSettings settings = settingsFor(server);
  settings.responseDeadline = std::chrono::seconds(1);
  settings.maxRetries = 1;
  auto client = makeHttpClient(settings, clock_);
  const Status s = query(*client);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
  EXPECT_EQ(s.remoteCode(), kResponseDeadline);
  EXPECT_NE(s.message().find("connection.scripted.responseDeadlineSeconds = 1 s"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(server.dataRequests().size(), 2u);  // a missed deadline is retried like a timeout
  EXPECT_EQ(client->retryStats().networkErrors, 1);
}

TEST_F(ClientLimitsTest, CancelFromAnotherThreadInterruptsTheRequestInFlight) {
  auto started = std::make_shared<std::promise<void>>();
  std::future<void> serving = started->get_future();
  ScriptedServer server(nullptr, [started](const SeenRequest&, int) { return trickle(started); });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::future<Status> result = std::async(std::launch::async, [&] { return query(*client); });
  ASSERT_EQ(serving.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  client->cancel();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  const Status s = result.get();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.toString();
  EXPECT_EQ(s.remoteCode(), kCancelled);
  EXPECT_EQ(server.dataRequests().size(), 1u);  // not retried
  EXPECT_TRUE(clock_->sleeps().empty());

  const Status later = query(*client);  // every later call fails at once
  EXPECT_EQ(later.remoteCode(), kCancelled);
  EXPECT_EQ(server.dataRequests().size(), 1u);
}

TEST_F(ClientLimitsTest, SharedTokenCancelsEveryClientHoldingIt) {
  auto started = std::make_shared<std::promise<void>>();
  std::future<void> serving = started->get_future();
  ScriptedServer server(nullptr, [started](const SeenRequest&, int) { return trickle(started); });
  auto shutdown = std::make_shared<CancellationToken>();
  auto busy = makeHttpClient(settingsFor(server), clock_, shutdown);
  auto idle = makeHttpClient(settingsFor(server), clock_, shutdown);
  std::future<Status> result = std::async(std::launch::async, [&] { return query(*busy); });
  ASSERT_EQ(serving.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  shutdown->cancel();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  EXPECT_EQ(result.get().remoteCode(), kCancelled);
  EXPECT_EQ(idle->describe("Account").status().remoteCode(), kCancelled);
}

TEST_F(ClientLimitsTest, RetriesAreCountedByCauseAndLoggedOnceEach) {
  LogCapture log;
  ScriptedServer server(nullptr, [](const SeenRequest&, int index) {
    switch (index) {
      case 1:
        return Reply{401, R"([{"message":"Session expired","errorCode":"INVALID_SESSION_ID"}])"};
      case 2:
        return Reply{503, R"([{"message":"busy","errorCode":"SERVER_UNAVAILABLE"}])"};
      case 3:
        return Reply{200, R"({"totalSize":1,"done":true,"records":[{"Id")"};
      default:
        return Reply{200, pageOf(1, 1, "")};
    }
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  ASSERT_TRUE(query(*client).ok());
  const RetryStats stats = client->retryStats();
  EXPECT_EQ(stats.reauthentications, 1);
  EXPECT_EQ(stats.serverErrors, 1);
  EXPECT_EQ(stats.malformedResponses, 1);
  EXPECT_EQ(stats.networkErrors, 0);
  EXPECT_EQ(stats.total(), 3);
  const std::vector<std::string> lines = log.lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("connection 'scripted': session rejected"), std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("server error on GET /services/data/v62.0/query; retry 1 of 3"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[2].find("malformed response"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("retry 2 of 3"), std::string::npos) << lines[2];
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find("SELECT"), std::string::npos) << "no SOQL in the log: " << line;
  }
}

}  // namespace
}  // namespace sfsync::salesforce
