// Bulk API 2.0 query jobs over real HTTP: a started SimServer on a loopback port 0, driven with raw
// Poco HTTP requests (job lifecycle, CSV result sets by locator, faults, API usage).
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>

#include <Poco/Exception.h>

#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {
namespace {

using test::HttpReply;
using test::SimHttpClient;

using CsvField = std::optional<std::string>;  // nullopt: empty unquoted field (null)
using CsvRow = std::vector<CsvField>;

// RFC 4180 with Salesforce's conventions; false on an unterminated quoted field.
bool parseCsv(const std::string& text, std::vector<CsvRow>& rows, char delimiter = ',',
              const std::string& eol = "\n") {
  rows.clear();
  std::size_t i = 0;
  while (i < text.size()) {
    CsvRow row;
    for (;;) {
      CsvField field;
      if (i < text.size() && text[i] == '"') {
        std::string value;
        ++i;
        for (;;) {
          if (i >= text.size()) return false;
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              value.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          value.push_back(text[i++]);
        }
        field = value;
      } else {
        std::string value;
        while (i < text.size() && text[i] != delimiter && text.compare(i, eol.size(), eol) != 0) {
          value.push_back(text[i++]);
        }
        if (!value.empty()) field = value;
      }
      row.push_back(field);
      if (i < text.size() && text[i] == delimiter) {
        ++i;
        continue;
      }
      if (text.compare(i, eol.size(), eol) != 0) return false;  // garbage after a field
      i += eol.size();
      break;
    }
    rows.push_back(std::move(row));
  }
  return true;
}

class BulkQueryHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<SimServer>();
    sim_->start();
    http_ = std::make_unique<SimHttpClient>(sim_->port());
    token_ = http_->loginToken();
  }

  static std::string jobBody(const std::string& soql, const std::string& operation = "query",
                             const std::string& extra = "") {
    Poco::JSON::Object o;
    o.set("operation", operation);
    o.set("query", soql);
    std::ostringstream out;
    o.stringify(out);
    std::string text = out.str();
    if (!extra.empty()) text.insert(text.size() - 1, "," + extra);
    return text;
  }
  HttpReply create(const std::string& soql, const std::string& operation = "query",
                   const std::string& extra = "") {
    return http_->send("POST", kJobs, token_, jobBody(soql, operation, extra));
  }
  std::string createId(const std::string& soql, const std::string& operation = "query") {
    const HttpReply r = create(soql, operation);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.object()->getValue<std::string>("id");
  }
  HttpReply status(const std::string& id) { return http_->send("GET", kJobs + "/" + id, token_); }
  std::string state(const std::string& id) {
    return status(id).object()->getValue<std::string>("state");
  }
  // Polls until the job is finished; returns its final state.
  std::string awaitJob(const std::string& id) {
    for (int i = 0; i < 20; ++i) {
      const std::string s = state(id);
      if (s == "JobComplete" || s == "Failed" || s == "Aborted") return s;
    }
    return "never finished";
  }
  HttpReply results(const std::string& id, const std::string& query = "") {
    return http_->send("GET", kJobs + "/" + id + "/results" + query, token_);
  }
  // Every result set of a completed job (following Sforce-Locator), header once.
  std::vector<CsvRow> allRows(const std::string& id, const std::string& maxRecords = "") {
    std::vector<CsvRow> out;
    std::string locator;
    for (int sets = 0; sets < 1000; ++sets) {
      std::string q = maxRecords.empty() ? "" : "?maxRecords=" + maxRecords;
      if (!locator.empty()) q += (q.empty() ? "?" : "&") + std::string("locator=") + locator;
      const HttpReply r = results(id, q);
      EXPECT_EQ(r.status, 200) << r.body;
      std::vector<CsvRow> rows;
      EXPECT_TRUE(parseCsv(r.body, rows)) << r.body;
      if (r.status != 200 || rows.empty()) break;
      EXPECT_EQ(std::to_string(rows.size() - 1), r.header("Sforce-NumberOfRecords"));
      if (out.empty()) out.push_back(rows[0]);
      out.insert(out.end(), rows.begin() + 1, rows.end());
      locator = r.header("Sforce-Locator");
      if (locator == "null") break;
    }
    return out;
  }

  const std::string kJobs = "/services/data/v62.0/jobs/query";
  std::unique_ptr<SimServer> sim_;
  std::unique_ptr<SimHttpClient> http_;
  std::string token_;
};

TEST_F(BulkQueryHttpTest, CreateAnswersSalesforceJobInfo) {
  const HttpReply r = create("SELECT Id, Name FROM Account");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto o = r.object();
  const std::string id = o->getValue<std::string>("id");
  EXPECT_EQ(id.size(), 18u);
  EXPECT_EQ(id.substr(0, 3), "750");
  EXPECT_EQ(o->getValue<std::string>("operation"), "query");
  EXPECT_EQ(o->getValue<std::string>("object"), "Account");
  EXPECT_EQ(o->getValue<std::string>("state"), "UploadComplete");
  EXPECT_EQ(o->getValue<std::string>("concurrencyMode"), "Parallel");
  EXPECT_EQ(o->getValue<std::string>("contentType"), "CSV");
  EXPECT_EQ(o->getValue<std::string>("lineEnding"), "LF");
  EXPECT_EQ(o->getValue<std::string>("columnDelimiter"), "COMMA");
  EXPECT_DOUBLE_EQ(o->getValue<double>("apiVersion"), 62.0);
  EXPECT_EQ(o->getValue<std::string>("createdById").substr(0, 3), "005");
  EXPECT_NE(r.body.find("\"apiVersion\":62.0"), std::string::npos) << r.body;
  EXPECT_NE(o->getValue<std::string>("createdDate").find("+0000"), std::string::npos);
}

TEST_F(BulkQueryHttpTest, JobAdvancesOneStepPerStatusPoll) {
  const std::string id = createId("SELECT Id FROM Account");
  const HttpReply first = status(id);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.object()->getValue<std::string>("state"), "InProgress");
  EXPECT_EQ(first.object()->getValue<std::string>("jobType"), "V2Query");
  EXPECT_EQ(first.object()->getValue<int>("numberRecordsProcessed"), 0);
  const auto done = status(id).object();
  EXPECT_EQ(done->getValue<std::string>("state"), "JobComplete");
  EXPECT_EQ(done->getValue<int>("numberRecordsProcessed"), 10);
  EXPECT_EQ(done->getValue<int>("retries"), 0);
  EXPECT_TRUE(done->has("totalProcessingTime"));
  EXPECT_EQ(state(id), "JobComplete");  // stays complete

  sim_->setBulkPollsToComplete(0);
  const std::string now = createId("SELECT Id FROM Account");
  EXPECT_EQ(results(now).status, 200);  // complete without a single poll
  sim_->setBulkPollsToComplete(4);
  const std::string slow = createId("SELECT Id FROM Account");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(state(slow), "InProgress");
  EXPECT_EQ(state(slow), "JobComplete");
}

TEST_F(BulkQueryHttpTest, OrderByOrLimitTurnsPkChunkingOff) {
  sim_->setBulkPollsToComplete(0);
  const auto chunked = [&](const std::string& soql) {
    return status(createId(soql)).object()->getValue<bool>("isPkChunkingSupported");
  };
  EXPECT_TRUE(chunked("SELECT Id FROM Account WHERE Name != null"));
  EXPECT_FALSE(chunked("SELECT Id FROM Account ORDER BY Id"));
  EXPECT_FALSE(chunked("SELECT Id FROM Account LIMIT 5"));
  EXPECT_EQ(sim_->bulkJobQueries().back(), "SELECT Id FROM Account LIMIT 5");
}

TEST_F(BulkQueryHttpTest, ResultsBeforeCompletionAreRefused) {
  const std::string id = createId("SELECT Id FROM Account");
  HttpReply r = results(id);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALIDJOBSTATE");
  EXPECT_EQ(state(id), "InProgress");
  r = results(id);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(state(id), "JobComplete");
  EXPECT_EQ(results(id).status, 200);
}

TEST_F(BulkQueryHttpTest, CreateErrors) {
  HttpReply r = create("SELECT Id, Nope FROM Account");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALID_FIELD");
  EXPECT_NE(r.errorMessage().find("No such column 'Nope'"), std::string::npos);
  r = create("SELECT Id FROM Nothing__c");
  EXPECT_EQ(r.errorCode(), "INVALID_TYPE");
  r = create("SELECT Id FROM");
  EXPECT_EQ(r.errorCode(), "MALFORMED_QUERY");
  r = create("SELECT COUNT() FROM Account");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "API_ERROR");
  r = create("SELECT Id FROM Account OFFSET 5");
  EXPECT_EQ(r.errorCode(), "API_ERROR");
  r = create("SELECT Id FROM Account", "insert");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALIDJOB");
  r = create("SELECT Id FROM Account", "query", "\"contentType\":\"JSON\"");
  EXPECT_EQ(r.errorCode(), "INVALIDJOB");
  r = create("SELECT Id FROM Account", "query", "\"columnDelimiter\":\"COLON\"");
  EXPECT_EQ(r.errorCode(), "INVALIDJOB");
  r = create("SELECT Id FROM Account", "query", "\"lineEnding\":\"CR\"");
  EXPECT_EQ(r.errorCode(), "INVALIDJOB");
  r = http_->send("POST", kJobs, token_, "{\"operation\":");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "JSON_PARSER_ERROR");
  r = http_->send("PUT", kJobs, token_, jobBody("SELECT Id FROM Account"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(sim_->dataRequests(), 11);
}

TEST_F(BulkQueryHttpTest, UnknownJobIsNotFound) {
  const std::string id = "750Sm0000000099AAA";
  for (const HttpReply& r :
       {status(id), results(id), http_->send("DELETE", kJobs + "/" + id, token_),
        http_->send("PATCH", kJobs + "/" + id, token_, R"({"state":"Aborted"})")}) {
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(r.errorCode(), "NOT_FOUND");
  }
}

TEST_F(BulkQueryHttpTest, ResultSetsFollowTheLocatorWithMaxRecords) {
  const std::string id = createId("SELECT Id, Name FROM Account ORDER BY Id");
  ASSERT_EQ(awaitJob(id), "JobComplete");
  HttpReply r = results(id, "?maxRecords=4");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.contentType, "text/csv");
  EXPECT_EQ(r.header("Sforce-NumberOfRecords"), "4");
  EXPECT_EQ(r.header("Sforce-Locator"), "NA");  // base64("4")
  EXPECT_FALSE(r.limitInfo.empty());
  std::vector<CsvRow> first;
  ASSERT_TRUE(parseCsv(r.body, first));
  ASSERT_EQ(first.size(), 5u);
  EXPECT_EQ(first[0], (CsvRow{"Id", "Name"}));
  // A locator can be used again and gives the same set.
  const HttpReply second = results(id, "?maxRecords=4&locator=NA");
  EXPECT_EQ(results(id, "?maxRecords=4&locator=NA").body, second.body);
  EXPECT_EQ(second.header("Sforce-Locator"), "OA");  // base64("8")
  const HttpReply last = results(id, "?maxRecords=4&locator=OA");
  EXPECT_EQ(last.header("Sforce-NumberOfRecords"), "2");
  EXPECT_EQ(last.header("Sforce-Locator"), "null");

  const std::vector<CsvRow> all = allRows(id, "3");
  ASSERT_EQ(all.size(), 11u);
  std::set<std::string> ids;
  for (std::size_t i = 1; i < all.size(); ++i) ids.insert(*all[i][0]);
  EXPECT_EQ(ids.size(), 10u);
  EXPECT_EQ(allRows(id).size(), 11u);  // no maxRecords: one set

  for (const char* bad :
       {"?locator=zzz", "?locator=MTAwMDA", "?locator=%21", "?maxRecords=0", "?maxRecords=x"}) {
    r = results(id, bad);
    EXPECT_EQ(r.status, 400) << bad;
  }
  EXPECT_EQ(results(id, "?locator=MTAwMDA").errorCode(), "INVALID_LOCATOR");
}

TEST_F(BulkQueryHttpTest, CsvQuotingAndValueFormats) {
  sim_->clearObject("Account");
  const std::string tricky = "Comma, \"quoted\"\nsecond line J\xC3\xBCrgen Wei\xC3\x9F";
  Poco::JSON::Object rec;
  rec.set("Name", tricky);
  rec.set("NumberOfEmployees", 42);
  rec.set("AnnualRevenue", 15000.0);
  rec.set("CreatedDate", "2025-01-15T10:30:00.000+0000");
  std::ostringstream json;
  rec.stringify(json);
  const std::string id = sim_->insertRecord("Account", json.str());
  sim_->setBulkPollsToComplete(0);
  const std::string job = createId(
      "SELECT Id, Name, NumberOfEmployees, AnnualRevenue, Industry, CreatedDate, IsDeleted, "
      "Owner.Name FROM Account");
  const HttpReply r = results(job);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            "\"Id\",\"Name\",\"NumberOfEmployees\",\"AnnualRevenue\",\"Industry\",\"CreatedDate\","
            "\"IsDeleted\",\"Owner.Name\"\n\"" +
                id +
                "\",\"Comma, \"\"quoted\"\"\nsecond line J\xC3\xBCrgen Wei\xC3\x9F\",\"42\","
                "\"15000.0\",,\"2025-01-15T10:30:00.000Z\",\"false\",\n");
  std::vector<CsvRow> rows;
  ASSERT_TRUE(parseCsv(r.body, rows));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][1], tricky);
  EXPECT_EQ(rows[1][4], std::nullopt);  // null Industry
  EXPECT_EQ(rows[1][7], std::nullopt);  // no Owner
}

TEST_F(BulkQueryHttpTest, OtherDelimitersAndLineEndings) {
  sim_->setBulkPollsToComplete(0);
  const HttpReply c = create("SELECT Id, Name FROM Account WHERE Name = 'Cyberdyne Systems'",
                             "query", R"("columnDelimiter":"PIPE","lineEnding":"CRLF")");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.object()->getValue<std::string>("columnDelimiter"), "PIPE");
  const HttpReply r = results(c.object()->getValue<std::string>("id"));
  std::vector<CsvRow> rows;
  ASSERT_TRUE(parseCsv(r.body, rows, '|', "\r\n")) << r.body;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (CsvRow{"Id", "Name"}));
  EXPECT_EQ(rows[1][1], "Cyberdyne Systems");
}

// The text a Bulk CSV field holds for a REST JSON value (numbers compared separately).
std::optional<std::string> restText(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return std::nullopt;
  if (v.isBoolean()) return v.extract<bool>() ? "true" : "false";
  std::string s = v.convert<std::string>();
  if (v.isString() && s.size() == 28 && s.compare(23, 5, "+0000") == 0) s = s.substr(0, 23) + "Z";
  return s;
}

TEST_F(BulkQueryHttpTest, BulkRowsEqualRestRows) {
  sim_->generateAccounts(300);
  sim_->generateContacts(700);
  const std::string soql =
      "SELECT Id, FirstName, LastName, Email, Account.Name, Account.AnnualRevenue, "
      "Account.NumberOfEmployees, ReportsTo.Email, CreatedDate, SystemModstamp FROM Contact";
  std::map<std::string, CsvRow> bulk;
  const std::string id = createId(soql);
  ASSERT_EQ(awaitJob(id), "JobComplete");
  const std::vector<CsvRow> rows = allRows(id, "250");
  ASSERT_FALSE(rows.empty());
  for (std::size_t i = 1; i < rows.size(); ++i) bulk[*rows[i][0]] = rows[i];

  std::size_t restCount = 0;
  HttpReply page = http_->get(SimHttpClient::queryPath(soql), token_);
  for (;;) {
    ASSERT_EQ(page.status, 200) << page.body;
    const auto o = page.object();
    const auto records = o->getArray("records");
    for (std::size_t k = 0; k < records->size(); ++k) {
      const auto rec = records->getObject(static_cast<unsigned>(k));
      const std::string recId = rec->getValue<std::string>("Id");
      ASSERT_EQ(bulk.count(recId), 1u) << recId;
      const CsvRow& row = bulk[recId];
      ++restCount;
      for (std::size_t c = 0; c < rows[0].size(); ++c) {
        const std::string path = *rows[0][c];
        Poco::Dynamic::Var v;
        const std::size_t dot = path.find('.');
        if (dot == std::string::npos) {
          v = rec->get(path);
        } else {
          const auto parent = rec->getObject(path.substr(0, dot));
          if (parent) v = parent->get(path.substr(dot + 1));
        }
        const std::optional<std::string> expected = restText(v);
        if (expected && v.isNumeric()) {
          ASSERT_TRUE(row[c]) << path;
          EXPECT_DOUBLE_EQ(std::stod(*row[c]), v.convert<double>()) << path;
        } else {
          EXPECT_EQ(row[c], expected) << recId << " " << path;
        }
      }
    }
    if (o->getValue<bool>("done")) break;
    page = http_->get(o->getValue<std::string>("nextRecordsUrl"), token_);
  }
  EXPECT_EQ(restCount, bulk.size());
  EXPECT_EQ(restCount, 720u);  // 20 sample contacts + 700
}

TEST_F(BulkQueryHttpTest, QueryAllIncludesDeletedRows) {
  const std::string soql = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Cyberdyne Systems'";
  sim_->setBulkPollsToComplete(0);
  std::vector<CsvRow> rows = allRows(createId(soql));
  ASSERT_EQ(rows.size(), 2u);
  const std::string id = *rows[1][0];
  sim_->deleteRecord("Account", id);
  EXPECT_EQ(allRows(createId(soql)).size(), 1u);  // header only
  rows = allRows(createId(soql, "queryAll"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (CsvRow{id, "true"}));
  const HttpReply r = create(soql, "queryAll");
  EXPECT_EQ(r.object()->getValue<std::string>("operation"), "queryAll");
}

TEST_F(BulkQueryHttpTest, ResultIsSnapshottedAtCreation) {
  const std::string id = createId("SELECT Id FROM Account");
  sim_->insertRecord("Account", R"({"Name":"Late Arrival"})");
  ASSERT_EQ(awaitJob(id), "JobComplete");
  EXPECT_EQ(allRows(id).size(), 11u);
}

TEST_F(BulkQueryHttpTest, AbortAndDelete) {
  const std::string id = createId("SELECT Id FROM Account");
  EXPECT_EQ(http_->send("DELETE", kJobs + "/" + id, token_).status, 400);  // still running
  HttpReply r = http_->send("PATCH", kJobs + "/" + id, token_, R"({"state":"JobComplete"})");
  EXPECT_EQ(r.status, 400);
  r = http_->send("PATCH", kJobs + "/" + id, token_, R"({"state":"Aborted"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.object()->getValue<std::string>("state"), "Aborted");
  EXPECT_EQ(state(id), "Aborted");
  EXPECT_EQ(state(id), "Aborted");
  EXPECT_EQ(results(id).status, 400);
  r = http_->send("PATCH", kJobs + "/" + id, token_, R"({"state":"Aborted"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.errorCode(), "INVALIDJOBSTATE");

  const HttpReply list = http_->send("GET", kJobs, token_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.object()->getArray("records")->size(), 1u);
  r = http_->send("DELETE", kJobs + "/" + id, token_);
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(status(id).status, 404);
}

TEST_F(BulkQueryHttpTest, HeldJobStaysInProgressUntilReleased) {
  sim_->holdBulkJobs(true);
  const std::string id = createId("SELECT Id FROM Account");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(state(id), "InProgress");
  EXPECT_EQ(results(id).status, 400);
  sim_->holdBulkJobs(false);
  EXPECT_EQ(awaitJob(id), "JobComplete");
  sim_->setBulkPollsToComplete(0);
  sim_->holdBulkJobs(true);
  const std::string held = createId("SELECT Id FROM Account");
  EXPECT_EQ(results(held).status, 400);  // even "complete at once" jobs are held
  EXPECT_EQ(state(held), "InProgress");
}

TEST_F(BulkQueryHttpTest, FailNextJob) {
  sim_->failNextBulkJob("Query timed out: too many records");
  const std::string id = createId("SELECT Id FROM Account");
  const auto o = status(id).object();
  EXPECT_EQ(o->getValue<std::string>("state"), "Failed");
  EXPECT_EQ(o->getValue<std::string>("errorMessage"), "Query timed out: too many records");
  EXPECT_EQ(results(id).status, 400);
  EXPECT_EQ(awaitJob(createId("SELECT Id FROM Account")), "JobComplete");  // only once
}

TEST_F(BulkQueryHttpTest, MalformedResultOnceCutsInsideAQuotedField) {
  sim_->setBulkPollsToComplete(0);
  const std::string id = createId("SELECT Id, Name FROM Account");
  sim_->malformedBulkResultOnce();
  const HttpReply bad = results(id);
  EXPECT_EQ(bad.status, 200);
  EXPECT_EQ(bad.header("Sforce-NumberOfRecords"), "10");
  EXPECT_EQ(bad.header("Sforce-Locator"), "null");
  std::vector<CsvRow> rows;
  EXPECT_FALSE(parseCsv(bad.body, rows)) << bad.body;
  const HttpReply good = results(id);
  EXPECT_GT(good.body.size(), bad.body.size());
  EXPECT_EQ(good.body.compare(0, bad.body.size(), bad.body), 0);
  EXPECT_TRUE(parseCsv(good.body, rows));
}

TEST_F(BulkQueryHttpTest, ResetNextResponsesDropsTheConnection) {
  sim_->setBulkPollsToComplete(0);
  const std::string id = createId("SELECT Id FROM Account");
  const std::int64_t used = sim_->apiUsage();
  sim_->resetNextResponses(2);
  EXPECT_THROW(results(id), Poco::Exception);
  EXPECT_THROW(http_->get(SimHttpClient::queryPath("SELECT Id FROM Account"), token_),
               Poco::Exception);
  EXPECT_EQ(results(id).status, 200);
  EXPECT_EQ(http_->get(SimHttpClient::queryPath("SELECT Id FROM Account"), token_).status, 200);
  EXPECT_EQ(sim_->apiUsage(), used + 2);  // the dropped calls are not counted
}

TEST_F(BulkQueryHttpTest, BulkCallsCountAsApiCalls) {
  const std::int64_t before = sim_->apiUsage();
  const std::string id = createId("SELECT Id FROM Account");
  ASSERT_EQ(awaitJob(id), "JobComplete");  // 2 polls
  const HttpReply r = results(id);
  EXPECT_EQ(sim_->apiUsage(), before + 4);
  EXPECT_EQ(r.limitInfo, "api-usage=" + std::to_string(before + 4) + "/15000");

  sim_->fail500Once(1);
  HttpReply failed = results(id);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.errorCode(), "UNKNOWN_EXCEPTION");
  EXPECT_EQ(results(id).status, 200);

  sim_->setApiLimit(100, 100);
  failed = create("SELECT Id FROM Account");
  EXPECT_EQ(failed.status, 403);
  EXPECT_EQ(failed.errorCode(), "REQUEST_LIMIT_EXCEEDED");
  EXPECT_EQ(results(id).status, 403);

  sim_->setApiLimit(15000, 0);
  sim_->expireSessionOnce();
  EXPECT_EQ(results(id).status, 401);
}

}  // namespace
}  // namespace sfsync::sim
