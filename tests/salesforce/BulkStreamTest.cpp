// Bulk API 2.0 result sets streamed from the socket (issue 10): pages are handed out while the
// rest of a set is still being read, the read-ahead of a prefetched set is bounded, and a reset,
// a malformed tail, the size cap and a stalled stream in the middle of a set keep their guarantees
// (rows handed out once, in order; fetched again or failed as before).
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "fakes/FakeClock.h"
#include "salesforce/BulkCsvStream.h"
#include "salesforce/BulkPrefetch.h"
#include "salesforce/HttpSalesforceClient.h"
#include "salesforce/ScriptedServer.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {
namespace {

using sfsync::testing::Reply;
using sfsync::testing::ScriptedServer;
using sfsync::testing::SeenRequest;

const std::string kJobId = "750000000000001AAA";
const std::string kDescribe =
    R"({"name":"Account","fields":[{"name":"Id","type":"id"},{"name":"Name","type":"string"}]})";
constexpr auto kGenerous = std::chrono::seconds(30);

std::string header() { return "\"Id\",\"Name\"\n"; }

// Rows [from, to); `pad` widens each Name.
std::string rows(int from, int to, std::size_t pad = 0) {
  std::string out;
  const std::string filler(pad, 'x');
  for (int i = from; i < to; ++i) {
    out += "\"" + std::to_string(i) + "\",\"n" + std::to_string(i) + filler + "\"\n";
  }
  return out;
}

std::vector<std::string> idsUpTo(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(std::to_string(i));
  return out;
}

bool isDescribe(const SeenRequest& r) { return r.uri.find("/describe") != std::string::npos; }
bool isResults(const SeenRequest& r) { return r.uri.find("/results") != std::string::npos; }

std::vector<std::pair<std::string, std::string>> setHeaders(const std::string& locator,
                                                            std::int64_t rowCount) {
  return {{"Sforce-Locator", locator}, {"Sforce-NumberOfRecords", std::to_string(rowCount)}};
}

// A reply whose body is written by `write` after the head (chunked unless `declared` > 0).
// With `declared`, the connection is closed after the handler (a body shorter than declared).
Reply streamed(const std::string& locator, std::int64_t rowCount,
               std::function<void(std::ostream&)> write, std::size_t declared = 0) {
  Reply reply(200, "", setHeaders(locator, rowCount));
  if (declared > 0) reply.headers.emplace_back("Connection", "close");
  reply.stream = std::move(write);
  reply.declaredLength = declared;
  return reply;
}

// A flag the test and the server's threads wait on, with a generous deadline.
struct Signal {
  std::mutex mu;
  std::condition_variable cv;
  bool set = false;
  void raise() {
    std::lock_guard<std::mutex> lock(mu);
    set = true;
    cv.notify_all();
  }
  bool wait() {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, kGenerous, [this] { return set; });
  }
};

class BulkStreamTest : public ::testing::Test {
 protected:
  ConnectionSettings settingsFor(const ScriptedServer& server, int pageRows = 100) const {
    ConnectionSettings s = sfsync::testing::scriptedConnection(server);
    s.queryBatchSize = pageRows;
    return s;
  }

  std::size_t resultRequests(const ScriptedServer& server) const {
    std::size_t n = 0;
    for (const SeenRequest& r : server.dataRequests()) n += isResults(r) ? 1 : 0;
    return n;
  }

  // Downloads kJobId's results keeping every Id; `delivered` counts rows as they are handed out.
  Status download(SalesforceClient& c, std::vector<std::string>& ids,
                  std::function<void(const RecordPage&)> onPage = nullptr) {
    return c.bulkQueryResults(kJobId, "Account", {"Id", "Name"}, {}, [&](RecordPage& page) {
      for (const auto& row : page.rows) ids.push_back(std::get<std::string>(row[0]));
      delivered += static_cast<int>(page.rows.size());
      if (onPage) onPage(page);
      return Status::OK();
    });
  }

  std::atomic<int> delivered{0};
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
};

// The server sends half a set and waits until the client has handed out a page of it: a client
// that read the whole body before parsing would never see that page (the server gives up after
// 30 s and the test fails).
TEST_F(BulkStreamTest, PagesAreHandedOutWhileTheSetIsStillArriving) {
  auto firstPage = std::make_shared<Signal>();
  auto pageBeforeRest = std::make_shared<std::atomic<bool>>(false);
  ScriptedServer server(nullptr, [=](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    return streamed("null", 1000, [=](std::ostream& out) {
      out << header() << rows(0, 500);
      out.flush();
      *pageBeforeRest = firstPage->wait();
      out << rows(500, 1000);
    });
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids, [&](const RecordPage&) { firstPage->raise(); });
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_TRUE(*pageBeforeRest);
  EXPECT_EQ(ids, idsUpTo(1000));
  EXPECT_EQ(client->retryStats().total(), 0);
}

// The same through the prefetch path: the second set is asked for while the first loads, and its
// pages too are handed out before the server has sent all of it.
TEST_F(BulkStreamTest, PrefetchedSetIsStreamedToo) {
  auto firstPage = std::make_shared<Signal>();
  auto pageBeforeRest = std::make_shared<std::atomic<bool>>(false);
  ScriptedServer server(nullptr, [=](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    if (r.uri.find("locator=L1") == std::string::npos) {
      return Reply(200, header() + rows(0, 300), setHeaders("L1", 300));
    }
    return streamed("null", 700, [=](std::ostream& out) {
      out << header() << rows(300, 600);
      out.flush();
      *pageBeforeRest = firstPage->wait();
      out << rows(600, 1000);
    });
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids, [&](const RecordPage& page) {
    if (page.bulkLocator == "L1") firstPage->raise();
  });
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_TRUE(*pageBeforeRest);
  EXPECT_EQ(ids, idsUpTo(1000));
  EXPECT_EQ(resultRequests(server), 2u);
  EXPECT_EQ(client->retryStats().total(), 0);
}

// The CSV parser takes a set in any chunking (here one byte at a time, so every quote, escaped
// quote and line break inside a value straddles a chunk) with the same rows as the whole body, and
// hands a full page out as soon as the next row starts, before the set has ended.
TEST(BulkCsvStreamTest, ByteByByteEqualsWholeAndPagesLeaveBeforeTheEnd) {
  const std::string body =
      "\"Id\",\"Name\",\"Employees\"\n\"1\",\"a, \"\"quoted\"\"\",\"10\"\n"
      "\"2\",\"two\nlines\",\"\"\n\"3\",\"\",\"30\"\n\"4\",\"four\",\"40\"\n";
  const BulkCsvReader reader({"Id", "Name", "Employees"},
                             {BulkCellType::kString, BulkCellType::kString, BulkCellType::kInt}, 2);
  std::vector<std::vector<Value>> whole;
  BulkSetOutcome outcome;
  ASSERT_TRUE(reader
                  .parseSet(
                      body, 0, 4,
                      [&whole](RecordPage& page, bool) {
                        for (auto& row : page.rows) whole.push_back(row);
                        return Status::OK();
                      },
                      outcome)
                  .ok());
  ASSERT_EQ(whole.size(), 4u);
  std::vector<std::vector<Value>> chunked;
  std::size_t fedWhenFirstPageLeft = 0;
  std::size_t fed = 0;
  const BulkCsvReader::PageSink sink = [&](RecordPage& page, bool) {
    if (chunked.empty()) fedWhenFirstPageLeft = fed;
    for (auto& row : page.rows) chunked.push_back(row);
    return Status::OK();
  };
  BulkCsvStream stream(reader, 0, sink);
  for (; fed < body.size(); ++fed) ASSERT_TRUE(stream.feed(&body[fed], 1).ok()) << fed;
  ASSERT_TRUE(stream.finish(4).ok());
  EXPECT_EQ(chunked, whole);
  EXPECT_EQ(std::get<std::string>(whole[0][1]), "a, \"quoted\"");
  EXPECT_EQ(std::get<std::string>(whole[1][1]), "two\nlines");
  EXPECT_GT(fedWhenFirstPageLeft, 0u);
  EXPECT_LT(fedWhenFirstPageLeft, body.size()) << "the first page waited for the end of the set";
  EXPECT_EQ(stream.outcome().delivered, 4);
}

// The prefetch reads a large body at most its window ahead of take(): the test waits until the
// window is full (the rest waits in TCP), then drains it; the window never held more than its
// size plus one read, and every byte arrived in order.
TEST(BulkPrefetchWindowTest, ReadAheadIsBoundedByTheWindow) {
  constexpr std::int64_t kWindow = 64 << 10;
  constexpr int kRows = 40000;
  const std::string body = header() + rows(0, kRows, 90);  // ~4 MB
  ScriptedServer server(nullptr, [&body](const SeenRequest&, int) {
    return streamed("null", kRows, [&body](std::ostream& out) {
      for (std::size_t at = 0; at < body.size(); at += 8192) out << body.substr(at, 8192);
    });
  });
  BulkPrefetch prefetch(TransportOptions{}, nullptr, kWindow);
  HttpRequest request;
  request.url = server.baseUrl() + "/services/data/v62.0/jobs/query/x/results";
  prefetch.start(request);
  const auto deadline = std::chrono::steady_clock::now() + kGenerous;
  while (prefetch.peakBufferedBytes() < kWindow && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // polls the condition
  }
  ASSERT_GE(prefetch.peakBufferedBytes(), kWindow) << "the window never filled";
  std::string received;
  HttpResponse head;
  BodyStream stream;
  stream.begin = [](const HttpResponse& h, bool& s) {
    s = true;
    return h.sforceLocator == "null" ? Status::OK() : Status::DataError("head lost");
  };
  stream.write = [&received](const char* d, std::size_t n) {
    received.append(d, n);
    return Status::OK();
  };
  const Status st = prefetch.take(head, stream);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(received == body) << received.size() << " of " << body.size() << " bytes";
  EXPECT_LE(prefetch.peakBufferedBytes(), kWindow + (64 << 10));
}

// Through the client: a 24 MB second set, asked for while the first loads, arrives whole and in
// order, and no download window held more than the prefetch window (plus one read).
TEST_F(BulkStreamTest, SetLargerThanTheWindowArrivesWholeThroughTheWindow) {
  constexpr int kRows = 200000;
  constexpr std::size_t kPad = 110;  // ~125 bytes a row
  ScriptedServer server(nullptr, [=](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    if (r.uri.find("locator=L1") == std::string::npos) {
      return Reply(200, header() + rows(0, 10), setHeaders("L1", 10));
    }
    return streamed("null", kRows - 10, [=](std::ostream& out) {
      out << header();
      for (int from = 10; from < kRows; from += 1000)
        out << rows(from, std::min(from + 1000, kRows), kPad);
    });
  });
  auto client = makeHttpClient(settingsFor(server, 2000), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids, idsUpTo(kRows));
  auto* http = dynamic_cast<HttpSalesforceClient*>(client.get());
  ASSERT_NE(http, nullptr);
  EXPECT_LE(http->bulkPeakBufferedBytesForTest(), BulkPrefetch::kWindowBytes + (64 << 10));
}

// The connection is cut after 2,500 of 5,000 rows: those already handed out are not handed out
// again, and the set is fetched again from the start with them skipped.
TEST_F(BulkStreamTest, ResetInTheMiddleOfAStreamedSetResumesWithoutDuplicatesOrGaps) {
  auto handedBeforeRetry = std::make_shared<std::atomic<int>>(-1);
  ScriptedServer server(nullptr, [=](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    const std::string body = header() + rows(0, 5000);
    if (handedBeforeRetry->load() < 0) {
      *handedBeforeRetry = 0;
      const std::string half = header() + rows(0, 2500);
      return streamed(
          "null", 5000, [half](std::ostream& out) { out << half; }, body.size());
    }
    *handedBeforeRetry = delivered.load();
    return Reply(200, body, setHeaders("null", 5000));
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids, idsUpTo(5000));
  EXPECT_GT(*handedBeforeRetry, 0) << "nothing was handed out before the reset: not streamed";
  EXPECT_EQ(client->retryStats().networkErrors, 1);
  EXPECT_EQ(resultRequests(server), 2u);
}

// The set's tail is malformed (cut inside a quoted value, then the body ends): the rows before it
// were handed out as they arrived; the set is fetched again and only the rest is handed out.
TEST_F(BulkStreamTest, MalformedTailOfAStreamedSetIsFetchedAgainWithoutDuplicates) {
  auto attempts = std::make_shared<std::atomic<int>>(0);
  ScriptedServer server(nullptr, [=](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    std::string body = header() + rows(0, 3000);
    if (++*attempts == 1) body = header() + rows(0, 2999) + "\"2999\",\"n29\n";
    return streamed("null", 3000, [body](std::ostream& out) { out << body; });
  });
  auto client = makeHttpClient(settingsFor(server), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids, idsUpTo(3000));
  EXPECT_EQ(client->retryStats().malformedResponses, 1);
  EXPECT_EQ(resultRequests(server), 2u);
}

// Salesforce gzips result sets for a client that accepts it: the inflated body is streamed the
// same way (two sets, the second through the prefetch window).
TEST_F(BulkStreamTest, GzippedSetsAreStreamedInflated) {
  ScriptedServer server(nullptr, [](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    const bool second = r.uri.find("locator=L1") != std::string::npos;
    Reply reply(200, header() + (second ? rows(20000, 50000, 20) : rows(0, 20000, 20)),
                setHeaders(second ? "null" : "L1", second ? 30000 : 20000));
    reply.gzip = true;
    return reply;
  });
  auto client = makeHttpClient(settingsFor(server, 2000), clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids, idsUpTo(50000));
  EXPECT_EQ(client->retryStats().total(), 0);
  for (const SeenRequest& r : server.dataRequests()) EXPECT_EQ(r.acceptEncoding, "gzip");
}

// A set larger than maxResponseBytes streams through (its memory is a page, not the set): the cap
// of a streamed set is maxStreamedResponseBytes. Before, a 100,000-row set of rows wider than
// ~670 bytes failed RESPONSE_TOO_LARGE with the default settings.
TEST_F(BulkStreamTest, ASetLargerThanMaxResponseBytesStreamsThrough) {
  ScriptedServer server(nullptr, [](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    return streamed("null", 40000, [](std::ostream& out) {
      out << header();
      for (int from = 0; from < 40000; from += 1000) out << rows(from, from + 1000, 50);
    });
  });
  ConnectionSettings settings = settingsFor(server, 2000);
  settings.maxResponseBytes = 1 << 20;  // the set is ~2.7 MB; a page ~130 KB
  auto client = makeHttpClient(settings, clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids, idsUpTo(40000));
  EXPECT_EQ(resultRequests(server), 1u);
}

// A chunked set (no Content-Length to refuse up front) passes maxStreamedResponseBytes mid-stream:
// the download fails RESPONSE_TOO_LARGE at the cap, not retried, after handing out what fitted.
TEST_F(BulkStreamTest, CapExceededMidStreamFailsTheDownload) {
  ScriptedServer server(nullptr, [](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    return streamed("null", 40000, [](std::ostream& out) {
      out << header();
      for (int from = 0; from < 40000; from += 1000) out << rows(from, from + 1000, 50);
    });
  });
  ConnectionSettings settings = settingsFor(server);
  settings.maxStreamedResponseBytes = 1 << 20;  // the set is ~2.7 MB
  auto client = makeHttpClient(settings, clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  EXPECT_EQ(st.code(), StatusCode::kDataError) << st.toString();
  EXPECT_EQ(st.remoteCode(), kResponseTooLarge);
  EXPECT_EQ(resultRequests(server), 1u);
  EXPECT_GT(ids.size(), 0u);
  EXPECT_LT(ids.size(), 16000u);  // at most what fits in 1 MiB (~65 bytes a row)
  EXPECT_EQ(ids, idsUpTo(static_cast<int>(ids.size())));
  EXPECT_NE(st.message().find("connection.scripted.maxStreamedResponseBytes = 1048576"),
            std::string::npos)
      << st.message();
}

// One record over maxResponseBytes (a field that never ends) fails the set RESPONSE_TOO_LARGE
// after at most one more 64 KiB read, whatever maxStreamedResponseBytes allows: a record is held
// whole, so it is capped like a page.
TEST_F(BulkStreamTest, ARecordOverMaxResponseBytesFailsTheSet) {
  ScriptedServer server(nullptr, [](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    return streamed("null", 2, [](std::ostream& out) {
      out << header() << rows(0, 1) << "\"1\",\"";
      const std::string block(64 * 1024, 'y');
      for (int i = 0; i < 64; ++i) out << block;  // 4 MiB of one quoted field
      out << "\"\n";
    });
  });
  ConnectionSettings settings = settingsFor(server);
  settings.maxResponseBytes = 1 << 20;
  auto client = makeHttpClient(settings, clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  EXPECT_EQ(st.code(), StatusCode::kDataError) << st.toString();
  EXPECT_EQ(st.remoteCode(), kResponseTooLarge);
  EXPECT_NE(st.message().find("more than 1048576 bytes of field text"), std::string::npos)
      << st.message();
  EXPECT_EQ(resultRequests(server), 1u);  // not fetched again
}

// The server sends part of a set and stalls: the whole-response deadline (1 s here) cuts it, the
// set is fetched again, and the rows handed out before the stall are skipped.
TEST_F(BulkStreamTest, StalledStreamHitsTheDeadlineAndIsFetchedAgain) {
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  struct Release {  // destroyed before the server: its stalled handler may finish
    std::shared_ptr<std::promise<void>> p;
    ~Release() { p->set_value(); }
  } guard{release};
  auto attempts = std::make_shared<std::atomic<int>>(0);
  ScriptedServer server(nullptr, [=](const SeenRequest& r, int) {
    if (isDescribe(r)) return Reply(200, kDescribe);
    const std::string body = header() + rows(0, 2000);
    if (++*attempts > 1) return Reply(200, body, setHeaders("null", 2000));
    return streamed(
        "null", 2000,
        [released](std::ostream& out) {
          out << header() << rows(0, 1000);
          out.flush();
          released.wait();  // stalls until the test ends
        },
        body.size());
  });
  ConnectionSettings settings = settingsFor(server);
  settings.responseDeadline = std::chrono::seconds(1);
  auto client = makeHttpClient(settings, clock_);
  std::vector<std::string> ids;
  const Status st = download(*client, ids);
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(ids, idsUpTo(2000));
  EXPECT_EQ(client->retryStats().networkErrors, 1);
  EXPECT_EQ(resultRequests(server), 2u);
}

}  // namespace
}  // namespace sfsync::salesforce
