// GET /api/activity (filters, keyset paging), /api/activity/{execution} and the CSV downloads.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "admin/AdminServerFixture.h"

namespace sfsync::admin::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::vector<std::string> ids(const Object::Ptr& page) {
  std::vector<std::string> out;
  Array::Ptr rows = page->getArray("executions");
  for (std::size_t i = 0; i < rows->size(); ++i) {
    out.push_back(rows->getObject(static_cast<unsigned>(i))->getValue<std::string>("executionId"));
  }
  return out;
}

Object::Ptr findRow(const Object::Ptr& page, const std::string& id) {
  Array::Ptr rows = page->getArray("executions");
  for (std::size_t i = 0; i < rows->size(); ++i) {
    Object::Ptr row = rows->getObject(static_cast<unsigned>(i));
    if (row->getValue<std::string>("executionId") == id) return row;
  }
  return nullptr;
}

// Percent-encodes a cursor for a query string (base64url needs none, but be safe).
std::string withCursor(const std::string& target, const Object::Ptr& page) {
  if (page->isNull("nextCursor")) return "";
  return target + (target.find('?') == std::string::npos ? "?" : "&") +
         "cursor=" + page->getValue<std::string>("nextCursor");
}

using ActivityApiTest = AdminServerFixture;

TEST_F(ActivityApiTest, ListsEveryExecutionNewestFirstWithAllColumns) {
  Object::Ptr page = getJson("/api/activity");
  const std::vector<std::string> got = ids(page);
  ASSERT_EQ(got.size(), seeded_.executions.size());
  std::vector<std::string> expected;
  for (auto it = seeded_.executions.rbegin(); it != seeded_.executions.rend(); ++it) {
    expected.push_back(it->executionId);
  }
  // Seeded in start-time order, so newest first is the reverse.
  EXPECT_EQ(got, expected);
  EXPECT_EQ(page->getValue<int>("limit"), 50);
  EXPECT_TRUE(page->isNull("nextCursor"));

  const store::ExecutionRecord& r = seeded_.partialWithErrors;
  Object::Ptr row = findRow(page, r.executionId);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->getValue<std::string>("kind"), "job");
  EXPECT_EQ(row->getValue<std::string>("name"), "Company Sync");
  EXPECT_EQ(row->getValue<std::string>("job"), "Company Sync");
  EXPECT_EQ(row->getValue<std::string>("chain"), "Nightly");
  EXPECT_EQ(row->getValue<std::string>("parentId"), seeded_.newestChain.executionId);
  EXPECT_EQ(row->getValue<std::string>("connection"), "Production");
  EXPECT_EQ(row->getValue<std::string>("trigger"), "schedule");
  EXPECT_EQ(row->getValue<std::string>("status"), "Partial Success");
  EXPECT_EQ(row->getValue<std::string>("startTime"), "2026-03-08T02:00:01.000Z");
  EXPECT_EQ(row->getValue<std::string>("endTime"), "2026-03-08T02:04:59.250Z");
  EXPECT_EQ(row->getValue<std::int64_t>("durationMs"), 298250);
  EXPECT_EQ(row->getValue<std::int64_t>("recordsRead"), 500);
  EXPECT_EQ(row->getValue<std::int64_t>("created"), 5);
  EXPECT_EQ(row->getValue<std::int64_t>("updated"), 492);
  EXPECT_EQ(row->getValue<std::int64_t>("skipped"), 0);
  EXPECT_EQ(row->getValue<std::int64_t>("failed"), 3);
  EXPECT_EQ(row->getValue<std::int64_t>("succeeded"), 497);
  EXPECT_EQ(row->getValue<std::int64_t>("apiCalls"), 4);
  EXPECT_EQ(row->getValue<int>("attempts"), 1);
  EXPECT_EQ(row->getValue<std::string>("cursor"), "2026-03-07T02:00:01.000Z");
  EXPECT_TRUE(row->isNull("message"));
  Object::Ptr errorFile = row->getObject("errorFile");
  ASSERT_TRUE(errorFile);
  EXPECT_EQ(errorFile->getValue<std::string>("name"), r.executionId + ".errors.csv");
  EXPECT_EQ(errorFile->getValue<std::string>("url"),
            "/api/activity/" + r.executionId + "/errors.csv");
  EXPECT_TRUE(errorFile->getValue<bool>("available"));
  EXPECT_TRUE(row->isNull("successFile"));

  Object::Ptr chain = findRow(page, seeded_.newestChain.executionId);
  EXPECT_EQ(chain->getValue<std::string>("kind"), "chain");
  EXPECT_TRUE(chain->isNull("job"));
  EXPECT_EQ(chain->getValue<std::string>("chain"), "Nightly");
  EXPECT_TRUE(chain->isNull("parentId"));

  Object::Ptr success = findRow(page, seeded_.withSuccessFile.executionId);
  EXPECT_EQ(success->getObject("successFile")->getValue<std::string>("url"),
            "/api/activity/" + seeded_.withSuccessFile.executionId + "/success.csv");

  Object::Ptr running = findRow(page, seeded_.executions.back().executionId);
  EXPECT_EQ(running->getValue<std::string>("status"), "Running");
  EXPECT_TRUE(running->isNull("endTime"));
  EXPECT_TRUE(running->isNull("durationMs"));

  Object::Ptr gone = findRow(page, seeded_.missingErrorFile.executionId);
  EXPECT_FALSE(gone->getObject("errorFile")->getValue<bool>("available"));
}

TEST_F(ActivityApiTest, FiltersByStatusJobChainConnectionAndTime) {
  struct Case {
    std::string query;
    std::function<bool(const store::ExecutionRecord&)> expected;
  };
  const std::vector<Case> cases = {
      {"status=Failed", [](auto& r) { return r.status == "Failed"; }},
      {"status=failed", [](auto& r) { return r.status == "Failed"; }},
      {"status=Partial%20Success", [](auto& r) { return r.status == "Partial Success"; }},
      {"status=partial+success", [](auto& r) { return r.status == "Partial Success"; }},
      {"status=Running", [](auto& r) { return r.status == "Running"; }},
      {"status=Skipped", [](auto& r) { return r.status == "Skipped"; }},
      {"job=Company%20Sync", [](auto& r) { return r.kind == "job" && r.name == "Company Sync"; }},
      {"connection=Sandbox", [](auto& r) { return r.connection == "Sandbox"; }},
      {"chain=Nightly", [](auto& r) { return r.name == "Nightly" || r.chainName == "Nightly"; }},
      {"chain=Nightly&job=Person%20Sync", [](auto& r) { return r.name == "Person Sync"; }},
      {"chain=Nightly&status=Failed",
       [](auto& r) {
         return (r.name == "Nightly" || r.chainName == "Nightly") && r.status == "Failed";
       }},
      {"chain=Nobody", [](auto&) { return false; }},
      {"job=Nobody", [](auto&) { return false; }},
      {"since=2026-03-07", [](auto& r) { return r.startTime >= "2026-03-07"; }},
      {"until=2026-03-02T02:03:00Z", [](auto& r) { return r.startTime < "2026-03-02T02:03"; }},
      // 11:00 in UTC+01:00 is 10:00Z: the Renewal runs start exactly then (since is inclusive).
      {"since=2026-03-05T11:00:00%2B01:00&until=2026-03-06",
       [](auto& r) { return r.startTime >= "2026-03-05T10" && r.startTime < "2026-03-06"; }},
      {"job=&status=&chain=&connection=", [](auto&) { return true; }},
  };
  for (const Case& c : cases) {
    Object::Ptr page = getJson("/api/activity?limit=500&" + c.query);
    std::vector<std::string> expected;
    for (auto it = seeded_.executions.rbegin(); it != seeded_.executions.rend(); ++it) {
      if (c.expected(*it)) expected.push_back(it->executionId);
    }
    EXPECT_EQ(ids(page), expected) << c.query;
    EXPECT_TRUE(page->isNull("nextCursor")) << c.query;
  }
}

TEST_F(ActivityApiTest, PagesAreStableWhileRowsAreInserted) {
  // Ties: five runs starting at the same millisecond, straddling page boundaries.
  for (int i = 0; i < 5; ++i) {
    store::ExecutionRecord r;
    r.executionId = "0195f000-0000-7000-8000-1000000000" + std::to_string(10 + i);
    r.name = "Tie Sync";
    r.connection = "Production";
    r.trigger = "cli";
    r.status = "Success";
    r.startTime = "2026-03-04T12:00:00.000Z";
    r.endTime = "2026-03-04T12:00:01.000Z";
    ASSERT_TRUE(store_->saveExecution(r).ok());
  }
  Result<std::vector<store::ExecutionRecord>> before = store_->listExecutions({});
  ASSERT_TRUE(before.ok());
  std::vector<std::string> expected;
  for (const auto& r : *before) expected.push_back(r.executionId);

  std::vector<std::string> seen;
  std::string target = "/api/activity?limit=4";
  int inserted = 0;
  while (!target.empty()) {
    Object::Ptr page = getJson(target);
    for (const std::string& id : ids(page)) seen.push_back(id);
    // A newer run starts and an older one is back-filled between page requests.
    store::ExecutionRecord newer;
    newer.executionId = "0195f000-0000-7000-8000-20000000" + std::to_string(1000 + inserted);
    newer.name = "Late Sync";
    newer.trigger = "run-now";
    newer.status = "Running";
    newer.startTime = "2026-03-09T00:00:" + std::to_string(10 + inserted) + ".000Z";
    ASSERT_TRUE(store_->saveExecution(newer).ok());
    ++inserted;
    target = withCursor("/api/activity?limit=4", page);
  }
  EXPECT_EQ(seen, expected) << "duplicates or gaps across pages";
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  EXPECT_GT(inserted, 8);
}

TEST_F(ActivityApiTest, ConcurrentReadersAndAWriterSeeConsistentPages) {
  std::vector<std::string> expected;
  for (auto it = seeded_.executions.rbegin(); it != seeded_.executions.rend(); ++it) {
    expected.push_back(it->executionId);
  }
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 200 && !done; ++i) {
      store::ExecutionRecord r;
      r.executionId = "0195f000-0000-7000-8000-3000000" + std::to_string(10000 + i);
      r.name = "Busy Sync";
      r.trigger = "schedule";
      r.status = "Success";
      r.startTime = "2026-03-20T00:00:00.000Z";  // newer than every seeded run
      r.endTime = "2026-03-20T00:00:01.000Z";
      EXPECT_TRUE(store_->saveExecution(r).ok());
    }
  });
  std::vector<std::vector<std::string>> seenByReader(3);
  std::vector<std::thread> readers;
  for (std::size_t t = 0; t < seenByReader.size(); ++t) {
    readers.emplace_back([&, t] {
      const std::string base = "/api/activity?limit=" + std::to_string(3 + t);
      std::string target = base;
      while (!target.empty()) {
        HttpReply reply = client_->get(target, kAliceToken);
        if (reply.status != 200) {
          seenByReader[t].push_back("HTTP " + std::to_string(reply.status));
          return;
        }
        Object::Ptr page = parseObject(reply.body);
        for (const std::string& id : ids(page)) seenByReader[t].push_back(id);
        target = withCursor(base, page);
      }
    });
  }
  for (std::thread& r : readers) r.join();
  done = true;
  writer.join();
  for (const std::vector<std::string>& seen : seenByReader) {
    // Rows inserted meanwhile may lead the first page; after them come exactly the seeded runs.
    std::vector<std::string> rest;
    for (const std::string& id : seen) {
      if (id.rfind("0195f000-0000-7000-8000-3000000", 0) != 0) rest.push_back(id);
    }
    EXPECT_EQ(rest, expected);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  }
}

TEST_F(ActivityApiTest, ChainFilterPagesToo) {
  std::vector<std::string> expected;
  for (auto it = seeded_.executions.rbegin(); it != seeded_.executions.rend(); ++it) {
    if (it->name == "Nightly" || it->chainName == "Nightly") expected.push_back(it->executionId);
  }
  std::vector<std::string> seen;
  std::string target = "/api/activity?chain=Nightly&limit=5";
  while (!target.empty()) {
    Object::Ptr page = getJson(target);
    for (const std::string& id : ids(page)) seen.push_back(id);
    target = withCursor("/api/activity?chain=Nightly&limit=5", page);
  }
  EXPECT_EQ(seen, expected);
}

TEST_F(ActivityApiTest, BadParametersAre400NamingTheParameter) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"limit=abc", "limit"},
      {"limit=0", "limit"},
      {"limit=501", "limit"},
      {"limit=-1", "limit"},
      {"limit=99999999999", "limit"},
      {"status=Bogus", "status"},
      {"since=notadate", "since"},
      {"since=2026-02-30", "since"},
      {"until=2026-03-01T25:00:00Z", "until"},
      {"until=2026-03-01T10:00:00Zjunk", "until"},
      {"since=2026-03-05&until=2026-03-05", "until"},
      {"cursor=not-a-cursor", "cursor"},
      {"cursor=%00", "cursor"},
      {"limit=5&limit=6", "limit"},
      {"colour=red", "colour"},
  };
  for (const auto& [query, parameter] : cases) {
    HttpReply reply = get("/api/activity?" + query);
    EXPECT_EQ(reply.status, 400) << query;
    Object::Ptr error = parseObject(reply.body);
    EXPECT_EQ(error->getValue<std::string>("parameter"), parameter) << query;
    EXPECT_NE(error->getValue<std::string>("error").find(parameter), std::string::npos)
        << query << ": " << reply.body;
  }
  EXPECT_EQ(get("/api/activity/" + seeded_.newestChain.executionId + "?x=1").status, 400);
  EXPECT_EQ(get("/api/activity?since=%zz").status, 400);  // malformed escape
}

TEST_F(ActivityApiTest, DetailShowsAChainWithItsJobRuns) {
  Object::Ptr detail = getJson("/api/activity/" + seeded_.newestChain.executionId);
  EXPECT_EQ(detail->getObject("execution")->getValue<std::string>("executionId"),
            seeded_.newestChain.executionId);
  Array::Ptr children = detail->getArray("children");
  ASSERT_EQ(children->size(), 2u);
  std::set<std::string> names;
  for (unsigned i = 0; i < children->size(); ++i) {
    names.insert(children->getObject(i)->getValue<std::string>("name"));
  }
  EXPECT_EQ(names, (std::set<std::string>{"Company Sync", "Person Sync"}));

  Object::Ptr job = getJson("/api/activity/" + seeded_.partialWithErrors.executionId);
  EXPECT_EQ(job->getArray("children")->size(), 0u);
}

TEST_F(ActivityApiTest, DetailShowsRetriesAndEveryTargetOfAMultiTargetJob) {
  store::ExecutionRecord r = seeded_.withSuccessFile;
  r.executionId = "multi-target-1";
  r.retries = 3;
  r.targets = {{"Person", 15, 5045, 0, 2}, {"Company Person", 5339, 0, 0, 1}};
  ASSERT_TRUE(store_->saveExecution(r).ok());
  Object::Ptr job = getJson("/api/activity/multi-target-1")->getObject("execution");
  EXPECT_EQ(job->getValue<int>("retries"), 3);
  Array::Ptr targets = job->getArray("targets");
  ASSERT_EQ(targets->size(), 2u);
  EXPECT_EQ(targets->getObject(1)->getValue<std::string>("target"), "Company Person");
  EXPECT_EQ(targets->getObject(1)->getValue<int>("created"), 5339);
  EXPECT_EQ(targets->getObject(0)->getValue<int>("updated"), 5045);
  EXPECT_EQ(targets->getObject(0)->getValue<int>("failed"), 2);
}

TEST_F(ActivityApiTest, DetailShowsWriteBackCounts) {
  store::ExecutionRecord r = seeded_.withSuccessFile;
  r.executionId = "write-back-1";
  r.outboundSent = 200;
  r.outboundSucceeded = 199;
  r.outboundFailed = 1;
  r.conflicts = 4;
  ASSERT_TRUE(store_->saveExecution(r).ok());
  Object::Ptr outbound =
      getJson("/api/activity/write-back-1")->getObject("execution")->getObject("outbound");
  ASSERT_TRUE(outbound);
  EXPECT_EQ(outbound->getValue<int>("sent"), 200);
  EXPECT_EQ(outbound->getValue<int>("succeeded"), 199);
  EXPECT_EQ(outbound->getValue<int>("failed"), 1);
  EXPECT_EQ(outbound->getValue<int>("conflicts"), 4);
}

TEST_F(ActivityApiTest, DetailShowsUnchangedCounts) {
  store::ExecutionRecord r = seeded_.withSuccessFile;
  r.executionId = "unchanged-1";
  r.updated = 120;
  r.unchanged = 100;
  r.targets = {{"Company", 0, 120, 0, 0, 100}};
  ASSERT_TRUE(store_->saveExecution(r).ok());
  Object::Ptr execution = getJson("/api/activity/unchanged-1")->getObject("execution");
  EXPECT_EQ(execution->getValue<int>("updated"), 120);
  EXPECT_EQ(execution->getValue<int>("unchanged"), 100);
  Poco::JSON::Array::Ptr targets = execution->getArray("targets");
  ASSERT_TRUE(targets);
  ASSERT_EQ(targets->size(), 1u);
  EXPECT_EQ(targets->getObject(0)->getValue<int>("unchanged"), 100);
}

TEST_F(ActivityApiTest, UnknownExecutionsAndResourcesAre404) {
  for (const std::string& target :
       {std::string("/api/activity/no-such-execution"),
        std::string("/api/activity/nope/errors.csv"), std::string("/api/activity/nope/success.csv"),
        "/api/activity/" + seeded_.newestChain.executionId + "/other.csv",
        "/api/activity/" + seeded_.newestChain.executionId + "/errors.csv/more"}) {
    HttpReply reply = get(target);
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_EQ(reply.reason, "Not Found") << target;
    EXPECT_EQ(reply.header("Content-Type"), "application/json; charset=utf-8") << target;
    EXPECT_NE(parseObject(reply.body)->getValue<std::string>("error"), "") << target;
  }
}

TEST_F(ActivityApiTest, ErrorFileDownloadIsByteIdentical) {
  const std::string id = seeded_.partialWithErrors.executionId;
  HttpReply reply = get("/api/activity/" + id + "/errors.csv");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, seeded_.errorFileBytes);
  EXPECT_EQ(reply.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(reply.header("Content-Disposition"),
            "attachment; filename=\"Company_Sync-" + id + ".errors.csv\"");
  EXPECT_EQ(reply.header("Content-Length"), std::to_string(seeded_.errorFileBytes.size()));
  EXPECT_EQ(reply.header("Cache-Control"), "no-store");
}

TEST_F(ActivityApiTest, SuccessFileDownloadIsByteIdentical) {
  const std::string id = seeded_.withSuccessFile.executionId;
  HttpReply reply = get("/api/activity/" + id + "/success.csv");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, seeded_.successFileBytes);
  EXPECT_EQ(reply.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(reply.header("Content-Disposition"),
            "attachment; filename=\"Person_Sync-" + id + ".success.csv\"");
}

TEST_F(ActivityApiTest, DownloadsWithoutAFileAre404) {
  // No error file recorded, no success file recorded, and a recorded file that was deleted.
  EXPECT_EQ(get("/api/activity/" + seeded_.withSuccessFile.executionId + "/errors.csv").status,
            404);
  EXPECT_EQ(get("/api/activity/" + seeded_.partialWithErrors.executionId + "/success.csv").status,
            404);
  HttpReply gone = get("/api/activity/" + seeded_.missingErrorFile.executionId + "/errors.csv");
  EXPECT_EQ(gone.status, 404);
  EXPECT_NE(gone.body.find("no longer exists"), std::string::npos);
}

TEST_F(ActivityApiTest, TheUrlNeverNamesAFile) {
  // Whatever the id segment holds, it is only looked up in the store.
  for (const char* target :
       {"/api/activity/..%2F..%2F..%2Fetc%2Fpasswd/errors.csv",
        "/api/activity/%2Fetc%2Fpasswd/errors.csv", "/api/activity/../../etc/passwd"}) {
    HttpReply reply = get(target);
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_EQ(reply.body.find("root:"), std::string::npos);
  }
}

TEST_F(ActivityApiTest, OnlyGetIsAllowed) {
  HttpReply reply = post("/api/activity");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.header("Allow"), "GET");
  EXPECT_EQ(client_->request("HEAD", "/api/activity", kAliceToken).status, 200);
}

}  // namespace
}  // namespace sfsync::admin::testing
