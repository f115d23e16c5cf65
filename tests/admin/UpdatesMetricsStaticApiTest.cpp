// GET /api/updates (update activity, keyset paging over equal times), /metrics and the page's
// files.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "admin/AdminServerFixture.h"

namespace sfsync::admin::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

using UpdatesApiTest = AdminServerFixture;

TEST_F(UpdatesApiTest, ListsChangesNewestFirst) {
  Object::Ptr page = getJson("/api/updates");
  Array::Ptr updates = page->getArray("updates");
  ASSERT_EQ(updates->size(), 4u);
  Object::Ptr newest = updates->getObject(0);
  EXPECT_EQ(newest->getValue<std::string>("time"), "2026-03-07T08:15:00.000Z");
  EXPECT_EQ(newest->getValue<std::string>("actor"), "admin");
  EXPECT_EQ(newest->getValue<std::string>("kind"), "connection");
  EXPECT_EQ(newest->getValue<std::string>("name"), "Sandbox");
  EXPECT_EQ(newest->getValue<std::string>("action"), "removed");
  EXPECT_EQ(newest->getValue<std::string>("diff"),
            "- connection.Sandbox.loginUrl = https://test.salesforce.com");
  EXPECT_EQ(newest->getValue<std::string>("id"), "0195f000-0000-7000-9000-000000000004");
  EXPECT_TRUE(page->isNull("nextCursor"));
}

TEST_F(UpdatesApiTest, PagingKeepsRowsThatShareATime) {
  // Three more changes at the very millisecond of two seeded ones.
  for (int i = 0; i < 3; ++i) {
    store::UpdateRecord u{"0195f000-0000-7000-9000-00000000010" + std::to_string(i),
                          "2026-03-05T12:30:00.000Z",
                          "ci",
                          "job",
                          "Person Sync",
                          "edited",
                          "- a\n+ b"};
    ASSERT_TRUE(store_->saveUpdate(u).ok());
  }
  Result<std::vector<store::UpdateRecord>> all = store_->listUpdates(0, "");
  ASSERT_TRUE(all.ok());
  std::vector<std::string> expected;
  for (const auto& u : *all) expected.push_back(u.id);
  ASSERT_EQ(expected.size(), 7u);

  for (int limit = 1; limit <= 4; ++limit) {
    std::vector<std::string> seen;
    std::string target = "/api/updates?limit=" + std::to_string(limit);
    while (true) {
      Object::Ptr page = getJson(target);
      Array::Ptr rows = page->getArray("updates");
      EXPECT_LE(rows->size(), static_cast<std::size_t>(limit));
      for (unsigned i = 0; i < rows->size(); ++i) {
        seen.push_back(rows->getObject(i)->getValue<std::string>("id"));
      }
      if (page->isNull("nextCursor")) break;
      target = "/api/updates?limit=" + std::to_string(limit) +
               "&cursor=" + page->getValue<std::string>("nextCursor");
    }
    EXPECT_EQ(seen, expected) << "limit " << limit;
  }
}

TEST_F(UpdatesApiTest, BadParameters) {
  for (const auto& [query, parameter] : std::vector<std::pair<std::string, std::string>>{
           {"limit=x", "limit"}, {"cursor=abc", "cursor"}, {"job=Company", "job"}}) {
    HttpReply reply = get("/api/updates?" + query);
    EXPECT_EQ(reply.status, 400) << query;
    EXPECT_EQ(parseObject(reply.body)->getValue<std::string>("parameter"), parameter);
  }
}

using MetricsTest = AdminServerFixture;

TEST_F(MetricsTest, PrometheusTextFormat) {
  HttpReply reply = get("/metrics");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = reply.body;
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.insert(line);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');

  for (const char* expected : {
           "# TYPE sfsync_runs_total counter",
           "sfsync_runs_total{kind=\"chain\",name=\"Nightly\",status=\"Failed\"} 1",
           "sfsync_runs_total{kind=\"chain\",name=\"Nightly\",status=\"Partial Success\"} 4",
           "sfsync_runs_total{kind=\"chain\",name=\"Nightly\",status=\"Success\"} 3",
           "sfsync_runs_total{kind=\"job\",name=\"Company Sync\",status=\"Failed\"} 1",
           "sfsync_runs_total{kind=\"job\",name=\"Person Sync\",status=\"Skipped\"} 1",
           "# TYPE sfsync_records_total counter",
           "sfsync_records_total{job=\"Company Sync\",outcome=\"read\"} 4000",
           "sfsync_records_total{job=\"Company Sync\",outcome=\"failed\"} 12",
           "sfsync_records_total{job=\"Person Sync\",outcome=\"skipped\"} 539",
           "sfsync_api_calls_total{connection=\"Sandbox\"} 21",
           "# TYPE sfsync_last_success_timestamp_seconds gauge",
           // 2026-03-08T02:09:30Z (Person Sync, day 8) and 2026-03-07T10:00:42.5Z (Renewal Sync).
           "sfsync_last_success_timestamp_seconds{kind=\"job\",name=\"Person Sync\"} "
           "1772935770.000",
           "sfsync_last_success_timestamp_seconds{kind=\"job\",name=\"Renewal Sync\"} "
           "1772877642.500",
           "sfsync_last_success_timestamp_seconds{kind=\"chain\",name=\"Nightly\"} 1772849370.000",
           "sfsync_last_execution_timestamp_seconds{kind=\"job\",name=\"Renewal Sync\"} "
           "1772964000.000",
       }) {
    EXPECT_TRUE(lines.count(expected)) << "missing: " << expected << "\n" << text;
  }
  // Every sample line is "name{labels} value"; every metric has HELP and TYPE.
  for (const std::string& line : lines) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_NE(line.find("} "), std::string::npos) << line;
  }
}

TEST_F(MetricsTest, LabelValuesAreEscaped) {
  store::ExecutionRecord odd;
  odd.executionId = "odd-1";
  odd.name = "Quote \" and \\ back\nslash";
  odd.trigger = "cli";
  odd.status = "Success";
  odd.startTime = "2026-03-10T00:00:00.000Z";
  odd.endTime = "2026-03-10T00:00:01.000Z";
  ASSERT_TRUE(store_->saveExecution(odd).ok());
  HttpReply reply = get("/metrics");
  EXPECT_NE(reply.body.find("job=\"Quote \\\" and \\\\ back\\nslash\""), std::string::npos)
      << reply.body;
}

using StaticAssetsTest = AdminServerFixture;

TEST_F(StaticAssetsTest, ServesTheEmbeddedPage) {
  HttpReply page = client_->get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<script src=\"app.js\""), std::string::npos);
  EXPECT_NE(page.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(page.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(client_->get("/index.html").body, page.body);

  // Byte-identical to the sources the build embedded.
  for (const auto& [target, file, type] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/app.js", "app.js", "text/javascript; charset=utf-8"},
           {"/style.css", "style.css", "text/css; charset=utf-8"},
           {"/", "index.html", "text/html; charset=utf-8"}}) {
    HttpReply reply = client_->get(target);
    EXPECT_EQ(reply.header("Content-Type"), type);
    EXPECT_EQ(reply.body,
              sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/src/admin/web/" + file))
        << target;
  }
}

TEST_F(StaticAssetsTest, OnlyThePagesFilesExist) {
  for (const char* target : {"/favicon.ico", "/etc/passwd", "/..%2F..%2Fetc%2Fpasswd",
                             "/web/app.js", "/EmbedWebAssets.cmake"}) {
    EXPECT_EQ(client_->get(target).status, 404) << target;
  }
  EXPECT_EQ(client_->post("/").status, 405);
}

TEST_F(StaticAssetsTest, WebRootServesEditedFiles) {
  dir_.write("web/app.js", "console.log('dev copy');\n");
  AdminOptions options;
  options.webRoot = dir_.file("web");
  startServer(options);
  EXPECT_EQ(client_->get("/app.js").body, "console.log('dev copy');\n");
  EXPECT_EQ(client_->get("/style.css").status, 404);  // missing from the web root
}

}  // namespace
}  // namespace sfsync::admin::testing
