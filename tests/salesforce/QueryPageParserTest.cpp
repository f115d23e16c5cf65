#include "salesforce/QueryPageParser.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <iostream>

namespace sfsync::salesforce {
namespace {

using Row = std::vector<Value>;

Value str(const char* s) { return Value(std::string(s)); }
Value i64(std::int64_t i) { return Value(i); }
const Value kNull;

// Parses `body` for `columns`; fails the test on a parse error.
RecordPage parseOk(const std::vector<std::string>& columns, const std::string& body,
                   std::string* next = nullptr) {
  QueryPageParser parser(columns);
  RecordPage page;
  page.columns = columns;
  std::string nextUrl;
  const Status s = parser.parse(body, page, nextUrl);
  EXPECT_TRUE(s.ok()) << s.toString();
  if (next) *next = nextUrl;
  return page;
}

const char* kContactsPage = R"({
  "totalSize": 3, "done": false,
  "nextRecordsUrl": "/services/data/v62.0/query/01gXX0000000001-2000",
  "records": [
    {"attributes": {"type": "Contact", "url": "/services/data/v62.0/sobjects/Contact/003A"},
     "Id": "003000000000001AAA", "LastName": "O'Brien", "Age__c": 42, "Score__c": 9.5,
     "IsDeleted": false,
     "Account": {"attributes": {"type": "Account", "url": "/x"}, "Name": "Acme",
                 "Owner": {"attributes": {"type": "User"}, "Manager": {"attributes": {},
                           "Email": "boss@acme.example"}}}},
    {"attributes": {"type": "Contact"}, "Id": "003000000000002AAA", "LastName": "Null Account",
     "Age__c": null, "Score__c": 3, "IsDeleted": true, "Account": null},
    {"attributes": {"type": "Contact"}, "Id": "003000000000003AAA", "LastName": "No Manager",
     "Age__c": -1, "Score__c": 1e2, "IsDeleted": false,
     "Account": {"attributes": {"type": "Account"}, "Name": "Beta", "Owner": {"Manager": null}}}
  ]})";

TEST(QueryPageParserTest, FlattensRecordsInRequestedColumnOrder) {
  const std::vector<std::string> columns = {"Account.Owner.Manager.Email",
                                            "LastName",
                                            "Id",
                                            "Account.Name",
                                            "Age__c",
                                            "Score__c",
                                            "IsDeleted"};
  std::string next;
  const RecordPage page = parseOk(columns, kContactsPage, &next);
  EXPECT_EQ(page.totalSize, 3);
  EXPECT_FALSE(page.done);
  EXPECT_EQ(next, "/services/data/v62.0/query/01gXX0000000001-2000");
  ASSERT_EQ(page.rows.size(), 3u);
  EXPECT_EQ(page.rows[0], (Row{str("boss@acme.example"), str("O'Brien"), str("003000000000001AAA"),
                               str("Acme"), i64(42), Value(9.5), Value(false)}));
  // Null hop at the first level: every path through Account is null.
  EXPECT_EQ(page.rows[1], (Row{kNull, str("Null Account"), str("003000000000002AAA"), kNull, kNull,
                               i64(3), Value(true)}));
  // Null hop deeper down.
  EXPECT_EQ(page.rows[2], (Row{kNull, str("No Manager"), str("003000000000003AAA"), str("Beta"),
                               i64(-1), Value(100.0), Value(false)}));
}

TEST(QueryPageParserTest, MatchesKeysCaseInsensitively) {
  const std::vector<std::string> columns = {"id", "LASTNAME", "account.NAME",
                                            "Account.owner.manager.EMAIL"};
  const RecordPage page = parseOk(columns, kContactsPage);
  ASSERT_EQ(page.rows.size(), 3u);
  EXPECT_EQ(page.rows[0], (Row{str("003000000000001AAA"), str("O'Brien"), str("Acme"),
                               str("boss@acme.example")}));
}

TEST(QueryPageParserTest, MissingColumnsAreNullAndAttributesAreSkipped) {
  const std::vector<std::string> columns = {"Nope__c", "Id", "Account.Nope", "attributes.type"};
  const RecordPage page = parseOk(columns, kContactsPage);
  ASSERT_EQ(page.rows.size(), 3u);
  EXPECT_EQ(page.rows[0], (Row{kNull, str("003000000000001AAA"), kNull, str("Contact")}));
}

TEST(QueryPageParserTest, CompoundValuesRequestedAsColumnsKeepTheirJsonText) {
  const std::string body = R"({"totalSize":1,"done":true,"records":[
    {"Id":"1","BillingAddress":{"city":"Paris","country":"FR"},"Tags":[1,"a"],"Account":{"Name":"A"}}]})";
  const RecordPage page = parseOk({"BillingAddress", "Tags", "Account", "Account.Name"}, body);
  ASSERT_EQ(page.rows.size(), 1u);
  EXPECT_EQ(page.rows[0], (Row{str(R"({"city":"Paris","country":"FR"})"), str(R"([1,"a"])"),
                               str(R"({"Name":"A"})"), str("A")}));
}

TEST(QueryPageParserTest, DuplicateColumnsAreBothFilled) {
  const RecordPage page = parseOk(
      {"Name", "name", "Id"}, R"({"done":true,"totalSize":1,"records":[{"Name":"X","Id":"1"}]})");
  ASSERT_EQ(page.rows.size(), 1u);
  EXPECT_EQ(page.rows[0], (Row{str("X"), str("X"), str("1")}));
}

TEST(QueryPageParserTest, TopLevelFieldsInAnyOrder) {
  std::string next = "stale";
  const RecordPage page = parseOk(
      {"Id"}, R"({"records":[],"nextRecordsUrl":null,"extra":{"x":[1]},"done":true,"totalSize":0})",
      &next);
  EXPECT_TRUE(page.done);
  EXPECT_TRUE(page.rows.empty());
  EXPECT_EQ(next, "");
}

TEST(QueryPageParserTest, NumbersStringsBooleansAndNulls) {
  const std::string body = R"({"totalSize":1,"done":true,"records":[{"I":9007199254740993,
    "Big":123456789012345678901234567890,"D":0.1,"E":-2.5e-3,"S":"caf\u00e9 \"q\"","T":true,
    "F":false,"N":null}]})";
  const RecordPage page = parseOk({"I", "Big", "D", "E", "S", "T", "F", "N"}, body);
  ASSERT_EQ(page.rows.size(), 1u);
  const Row& r = page.rows[0];
  EXPECT_EQ(r[0], i64(9007199254740993));  // exact: not squeezed through a double
  ASSERT_TRUE(std::holds_alternative<double>(r[1]));
  EXPECT_DOUBLE_EQ(std::get<double>(r[1]), 1.2345678901234568e29);
  EXPECT_EQ(r[2], Value(0.1));
  EXPECT_EQ(r[3], Value(-0.0025));
  EXPECT_EQ(r[4], str("caf\xC3\xA9 \"q\""));
  EXPECT_EQ(r[5], Value(true));
  EXPECT_EQ(r[6], Value(false));
  EXPECT_EQ(r[7], kNull);
}

TEST(QueryPageParserTest, EveryTruncationIsRejected) {
  const std::string body = kContactsPage;
  QueryPageParser parser({"Id", "Account.Name"});
  for (std::size_t n = 0; n < body.size(); ++n) {
    // Cutting only trailing whitespace still leaves a complete document.
    if (body.find_first_not_of(" \n\t\r", n) == std::string::npos) break;
    RecordPage page;
    std::string next;
    const Status s = parser.parse(std::string_view(body).substr(0, n), page, next);
    EXPECT_EQ(s.code(), StatusCode::kDataError) << "accepted a page cut at byte " << n;
  }
}

TEST(QueryPageParserTest, RejectsMalformedPages) {
  const std::vector<std::string> cases = {
      "",
      "[]",
      "null",
      R"({"done":true})",                                    // no records
      R"({"records":[]})",                                   // no done
      R"({"done":"yes","records":[]})",                      // done not boolean
      R"({"done":true,"totalSize":1.5,"records":[]})",       // totalSize not integer
      R"({"done":true,"nextRecordsUrl":5,"records":[]})",    // url not a string
      R"({"done":true,"records":[1]})",                      // record not an object
      R"({"done":true,"records":[{"Id":"1"},]})",            // trailing comma
      R"({"done":true,"records":[{"Id":"1" "Name":"x"}]})",  // missing comma
      R"({"done":true,"records":[{"Id":01}]})",              // bad number
      R"({"done":true,"records":[{"x":{"y":tru}}]})",        // bad literal in a skipped value
      R"({"done":true,"records":[]} trailing)",
      R"({"done":true,"records":[]}})",
  };
  QueryPageParser parser({"Id"});
  for (const auto& body : cases) {
    RecordPage page;
    std::string next;
    const Status s = parser.parse(body, page, next);
    EXPECT_EQ(s.code(), StatusCode::kDataError) << "accepted: " << body;
  }
}

// Each record costs a row of every column, however short its JSON: a page of empty records (3
// bytes each) would otherwise cost thousands of times its size. The cap is far above what
// Salesforce sends (2,000).
TEST(QueryPageParserTest, APageWithMoreRecordsThanTheCapIsRefused) {
  const auto pageOf = [](std::size_t records) {
    std::string body = R"({"done":true,"totalSize":0,"records":[)";
    for (std::size_t i = 0; i < records; ++i) body += i == 0 ? "{}" : ",{}";
    return body + "]}";
  };
  QueryPageParser parser({"Id", "Name"});
  RecordPage page;
  std::string next;
  EXPECT_TRUE(parser.parse(pageOf(QueryPageParser::kMaxRecordsPerPage), page, next).ok());
  EXPECT_EQ(page.rows.size(), QueryPageParser::kMaxRecordsPerPage);
  const Status s = parser.parse(pageOf(QueryPageParser::kMaxRecordsPerPage + 1), page, next);
  EXPECT_EQ(s.code(), StatusCode::kDataError);
  EXPECT_NE(s.message().find("more than 10000 records in one page"), std::string::npos)
      << s.toString();
}

TEST(QueryPageParserTest, ErrorsNameTheOffset) {
  QueryPageParser parser({"Id"});
  RecordPage page;
  std::string next;
  const Status s = parser.parse(R"({"done":true,"records":[{"Id":x}]})", page, next);
  EXPECT_EQ(s.code(), StatusCode::kDataError);
  EXPECT_NE(s.message().find("byte 30"), std::string::npos) << s.message();
}

// ---- parse speed (run with --gtest_also_run_disabled_tests --gtest_filter=*ParseSpeed*) ----

std::string makePage(int pageNo, int records) {
  std::string out =
      R"({"totalSize":200000,"done":false,"nextRecordsUrl":"/services/data/v62.0/query/01gXX-)" +
      std::to_string(pageNo) + R"(","records":[)";
  for (int i = 0; i < records; ++i) {
    const int n = pageNo * records + i;
    if (i) out += ',';
    const std::string id =
        "001" + std::string(15 - std::to_string(n).size(), '0') + std::to_string(n);
    out +=
        R"({"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/)" + id +
        R"("},"Id":")" + id + R"(","Name":"Account )" + std::to_string(n) +
        R"( \"Quoted\" GmbH","NumberOfEmployees":)" + std::to_string(n % 5000) +
        R"(,"Industry":"Manufacturing","AnnualRevenue":)" + std::to_string(n * 13.25) +
        R"(,"Phone":"+49 30 1234)" + std::to_string(n % 1000) +
        R"(","Website":"https://example.com/a)" + std::to_string(n) +
        R"(","BillingCity":"M\u00fcnchen","BillingCountry":"Germany","IsDeleted":false,)"
        R"("CreatedDate":"2025-01-15T10:30:00.000+0000","SystemModstamp":"2025-02-01T08:00:00.000+0000",)"
        R"("Owner":{"attributes":{"type":"User","url":"/services/data/v62.0/sobjects/User/005"},"Email":"owner)" +
        std::to_string(n % 50) + R"(@example.com"}})";
  }
  out += "]}";
  return out;
}

TEST(QueryPageParserTest, DISABLED_ParseSpeed) {
  constexpr int kPages = 100;
  constexpr int kPerPage = 2000;
  std::vector<std::string> pages;
  std::size_t bytes = 0;
  for (int p = 0; p < kPages; ++p) {
    pages.push_back(makePage(p, kPerPage));
    bytes += pages.back().size();
  }
  const std::vector<std::string> columns = {"Id",          "Name",           "NumberOfEmployees",
                                            "Industry",    "AnnualRevenue",  "Phone",
                                            "Website",     "BillingCity",    "BillingCountry",
                                            "CreatedDate", "SystemModstamp", "Owner.Email"};
  const QueryPageParser parser(columns);
  using Clock = std::chrono::steady_clock;
  auto runOurs = [&]() {
    std::size_t rows = 0;
    const auto t0 = Clock::now();
    for (const auto& body : pages) {
      RecordPage page;
      std::string next;
      const Status s = parser.parse(body, page, next);
      ASSERT_TRUE(s.ok()) << s.toString();
      rows += page.rows.size();
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    EXPECT_EQ(rows, std::size_t(kPages) * kPerPage);
    std::cout << "QueryPageParser: " << rows << " records, " << bytes / 1e6 << " MB in " << secs
              << " s = " << rows / secs << " records/s, " << bytes / 1e6 / secs << " MB/s\n";
  };
  runOurs();  // first run touches fresh memory
  runOurs();

  // For comparison: Poco's DOM, walking the same columns (no nested paths).
  const auto t0 = Clock::now();
  std::size_t rows = 0;
  for (const auto& body : pages) {
    Poco::JSON::Parser domParser;
    const auto root = domParser.parse(body).extract<Poco::JSON::Object::Ptr>();
    const auto records = root->getArray("records");
    for (std::size_t i = 0; i < records->size(); ++i) {
      const auto rec = records->getObject(static_cast<unsigned>(i));
      for (const auto& c : columns) (void)rec->get(c);
      ++rows;
    }
  }
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::cout << "Poco::JSON DOM:  " << rows << " records in " << secs << " s = " << rows / secs
            << " records/s, " << bytes / 1e6 / secs << " MB/s\n";
}

}  // namespace
}  // namespace sfsync::salesforce

namespace sfsync::salesforce {
namespace {

TEST(QueryPageParserTest, StructuredCellsAndInvalidUtf8AreReported) {
  const std::string body =
      "{\"totalSize\":2,\"done\":true,\"records\":["
      "{\"Id\":\"1\",\"Name\":\"ok\",\"BillingAddress\":{\"city\":\"P\"}},"
      "{\"Id\":{\"x\": 1},\"Name\":\"bad \xFF\",\"BillingAddress\":null}]}";
  const RecordPage page = parseOk({"Id", "Name", "BillingAddress"}, body);
  ASSERT_EQ(page.rows.size(), 2u);
  EXPECT_EQ(page.rows[1][0], str(R"({"x": 1})"));
  EXPECT_EQ(page.rows[1][1], str("bad \xEF\xBF\xBD"));
  using Cell = std::pair<std::uint32_t, std::uint32_t>;
  EXPECT_EQ(page.structuredCells, (std::vector<Cell>{{0, 2}, {1, 0}}));
  EXPECT_EQ(page.invalidUtf8Strings, 1);

  // A parser is reused for every page: the next parse starts clean.
  RecordPage again = page;
  std::string next;
  ASSERT_TRUE(
      QueryPageParser({"Id"}).parse(R"({"done":true,"records":[{"Id":"2"}]})", again, next).ok());
  EXPECT_TRUE(again.structuredCells.empty());
  EXPECT_EQ(again.invalidUtf8Strings, 0);
}

}  // namespace
}  // namespace sfsync::salesforce
