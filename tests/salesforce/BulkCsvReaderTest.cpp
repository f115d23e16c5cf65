// BulkCsvReader: Bulk API 2.0 CSV result sets -> typed RecordPages (issue 10): typing by describe
// type, null vs empty, RFC 4180 quoting, header matching, paging, resume inside a set, and every
// malformed shape (cut inside a quote, wrong column count, too few rows, no final line break).
#include "salesforce/BulkCsvReader.h"
#include "salesforce/HttpTransport.h"

#include <gtest/gtest.h>

#include <limits>

namespace sfsync::salesforce {
namespace {

using Rows = std::vector<std::vector<Value>>;

struct Collected {
  std::vector<RecordPage> pages;
  std::vector<bool> lastOfSet;
  Rows rows() const {
    Rows out;
    for (const RecordPage& p : pages) out.insert(out.end(), p.rows.begin(), p.rows.end());
    return out;
  }
};

BulkCsvReader::PageSink collect(Collected& c) {
  return [&c](RecordPage& page, bool last) {
    c.pages.push_back(page);
    c.lastOfSet.push_back(last);
    return Status::OK();
  };
}

const std::vector<std::string> kColumns = {"Id",          "NumberOfEmployees", "AnnualRevenue",
                                           "IsActive__c", "CreatedDate",       "Account.Name"};
const std::vector<BulkCellType> kTypes = {BulkCellType::kString,   BulkCellType::kInt,
                                          BulkCellType::kDouble,   BulkCellType::kBool,
                                          BulkCellType::kDateTime, BulkCellType::kString};

TEST(BulkCsvReaderTest, TypesEachCellLikeTheRestPage) {
  const std::string csv =
      "\"Id\",\"NumberOfEmployees\",\"AnnualRevenue\",\"IsActive__c\",\"CreatedDate\","
      "\"Account.Name\"\n"
      "\"001A\",\"42\",\"1.5E7\",\"true\",\"2025-01-15T10:30:00.000Z\",\"Acme, \"\"Inc\"\"\"\n"
      "\"001B\",,,\"false\",,\n"
      "\"001C\",\"99999999999999999999\",\"12.25\",,\"2025-02-01T00:00:00.000Z\",\"two\nlines\"\n";
  const BulkCsvReader reader(kColumns, kTypes, 100);
  Collected c;
  BulkSetOutcome outcome;
  const Status st = reader.parseSet(csv, 0, 3, collect(c), outcome);
  ASSERT_TRUE(st.ok()) << st.toString();
  const Rows rows = c.rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], Value(std::string("001A")));
  EXPECT_EQ(rows[0][1], Value(std::int64_t{42}));
  EXPECT_EQ(rows[0][2], Value(1.5e7));
  EXPECT_EQ(rows[0][3], Value(true));
  EXPECT_EQ(rows[0][4], Value(std::string("2025-01-15T10:30:00.000+0000")));
  EXPECT_EQ(rows[0][5], Value(std::string("Acme, \"Inc\"")));
  for (std::size_t col = 1; col < kColumns.size(); ++col) {
    if (col != 3) {
      EXPECT_TRUE(isNull(rows[1][col])) << col;
    }
  }
  EXPECT_EQ(rows[1][3], Value(false));
  EXPECT_EQ(rows[2][1], Value(1e20));  // too large for int64: a double, as the JSON reader does
  EXPECT_EQ(rows[2][2], Value(12.25));
  EXPECT_TRUE(isNull(rows[2][3]));
  EXPECT_EQ(rows[2][5], Value(std::string("two\nlines")));
  EXPECT_EQ(outcome.rowsInSet, 3);
  EXPECT_EQ(outcome.delivered, 3);
}

TEST(BulkCsvReaderTest, QuotedEmptyIsAnEmptyStringAndUnquotedEmptyIsNull) {
  const BulkCsvReader reader({"A", "B"}, {BulkCellType::kString, BulkCellType::kString}, 10);
  Collected c;
  BulkSetOutcome outcome;
  ASSERT_TRUE(reader.parseSet("\"A\",\"B\"\n\"\",\n", 0, 1, collect(c), outcome).ok());
  ASSERT_EQ(c.rows().size(), 1u);
  EXPECT_EQ(c.rows()[0][0], Value(std::string()));
  EXPECT_TRUE(isNull(c.rows()[0][1]));
}

TEST(BulkCsvReaderTest, HeaderMatchesColumnsCaseInsensitivelyInTheCallersOrder) {
  const BulkCsvReader reader({"name", "OWNER.EMAIL", "Missing__c", "Id"},
                             std::vector<BulkCellType>(4, BulkCellType::kString), 10);
  Collected c;
  BulkSetOutcome outcome;
  ASSERT_TRUE(reader
                  .parseSet("\"Id\",\"Name\",\"Owner.Email\",\"Extra\"\n\"1\",\"n\",\"e\",\"x\"\n",
                            0, 1, collect(c), outcome)
                  .ok());
  const Rows rows = c.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0],
            (std::vector<Value>{std::string("n"), std::string("e"), Value{}, std::string("1")}));
  EXPECT_EQ(c.pages[0].columns,
            (std::vector<std::string>{"name", "OWNER.EMAIL", "Missing__c", "Id"}));
}

std::string idSet(int rows) {
  std::string csv = "\"Id\"\n";
  for (int i = 0; i < rows; ++i) csv += "\"" + std::to_string(i) + "\"\n";
  return csv;
}

TEST(BulkCsvReaderTest, PagesHoldAtMostPageRowsAndCarryTheirPositionInTheSet) {
  const BulkCsvReader reader({"Id"}, {BulkCellType::kString}, 3);
  Collected c;
  BulkSetOutcome outcome;
  ASSERT_TRUE(reader.parseSet(idSet(7), 0, 7, collect(c), outcome).ok());
  ASSERT_EQ(c.pages.size(), 3u);
  EXPECT_EQ(c.pages[0].rows.size(), 3u);
  EXPECT_EQ(c.pages[1].rows.size(), 3u);
  EXPECT_EQ(c.pages[2].rows.size(), 1u);
  EXPECT_EQ(c.pages[0].bulkRowsIntoSet, 3);
  EXPECT_EQ(c.pages[2].bulkRowsIntoSet, 7);
  EXPECT_EQ(c.lastOfSet, (std::vector<bool>{false, false, true}));
}

TEST(BulkCsvReaderTest, ExactMultipleOfThePageSizeEndsWithAFullLastPage) {
  const BulkCsvReader reader({"Id"}, {BulkCellType::kString}, 3);
  Collected c;
  BulkSetOutcome outcome;
  ASSERT_TRUE(reader.parseSet(idSet(6), 0, 6, collect(c), outcome).ok());
  ASSERT_EQ(c.pages.size(), 2u);
  EXPECT_EQ(c.pages[1].rows.size(), 3u);
  EXPECT_EQ(c.lastOfSet, (std::vector<bool>{false, true}));
}

TEST(BulkCsvReaderTest, EmptySetGivesOneEmptyLastPage) {
  const BulkCsvReader reader({"Id"}, {BulkCellType::kString}, 3);
  for (const std::string& body : {std::string("\"Id\"\n"), std::string()}) {
    Collected c;
    BulkSetOutcome outcome;
    ASSERT_TRUE(reader.parseSet(body, 0, 0, collect(c), outcome).ok()) << body;
    ASSERT_EQ(c.pages.size(), 1u);
    EXPECT_TRUE(c.pages[0].rows.empty());
    EXPECT_TRUE(c.lastOfSet[0]);
  }
}

TEST(BulkCsvReaderTest, SkipRowsResumesAfterTheRowsAlreadyDelivered) {
  const BulkCsvReader reader({"Id"}, {BulkCellType::kString}, 2);
  Collected c;
  BulkSetOutcome outcome;
  ASSERT_TRUE(reader.parseSet(idSet(5), 3, 5, collect(c), outcome).ok());
  const Rows rows = c.rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], Value(std::string("3")));
  EXPECT_EQ(rows[1][0], Value(std::string("4")));
  EXPECT_EQ(c.pages.back().bulkRowsIntoSet, 5);
  EXPECT_EQ(outcome.delivered, 2);
}

TEST(BulkCsvReaderTest, SkipBeyondTheSetIsAnInvalidPosition) {
  const BulkCsvReader reader({"Id"}, {BulkCellType::kString}, 2);
  Collected c;
  BulkSetOutcome outcome;
  const Status st = reader.parseSet(idSet(2), 5, 2, collect(c), outcome);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.toString();
  EXPECT_TRUE(outcome.beyondSet);
  EXPECT_TRUE(c.pages.empty());
}

struct MalformedCase {
  const char* name;
  std::string body;
  std::int64_t expected;
};

TEST(BulkCsvReaderTest, MalformedSetsAreDataErrorsAndTheLastPageIsWithheld) {
  const std::vector<MalformedCase> cases = {
      {"cut inside a quote", "\"Id\",\"Name\"\n\"1\",\"a\"\n\"2\",\"unterminated\n", -1},
      {"too many fields", "\"Id\",\"Name\"\n\"1\",\"a\"\n\"2\",\"b\",\"c\"\n", -1},
      {"too few fields", "\"Id\",\"Name\"\n\"1\",\"a\"\n\"2\"\n", -1},
      {"fewer rows than Sforce-NumberOfRecords", "\"Id\",\"Name\"\n\"1\",\"a\"\n", 2},
      {"more rows than Sforce-NumberOfRecords", "\"Id\",\"Name\"\n\"1\",\"a\"\n\"2\",\"b\"\n", 1},
      {"huge Sforce-NumberOfRecords", "\"Id\",\"Name\"\n\"1\",\"a\"\n",
       std::numeric_limits<std::int64_t>::max()},
      {"no final line break", "\"Id\",\"Name\"\n\"1\",\"a\"\n\"2\",", -1},
      {"text after a closing quote", "\"Id\",\"Name\"\n\"1\"x,\"a\"\n", -1},
      {"no header", "", 3},
      {"a header wider than any select list", std::string(20000, ',') + "\n", 0},
  };
  const BulkCsvReader reader({"Id", "Name"}, {BulkCellType::kString, BulkCellType::kString}, 100);
  for (const MalformedCase& mc : cases) {
    Collected c;
    BulkSetOutcome outcome;
    const Status st = reader.parseSet(mc.body, 0, mc.expected, collect(c), outcome);
    EXPECT_EQ(st.code(), StatusCode::kDataError) << mc.name << ": " << st.toString();
    EXPECT_TRUE(c.pages.empty()) << mc.name;  // the page in progress is never handed out
  }
}

TEST(BulkCsvReaderTest, InvalidUtf8IsReplacedAndCounted) {
  const BulkCsvReader reader({"Name"}, {BulkCellType::kString}, 10);
  Collected c;
  BulkSetOutcome outcome;
  ASSERT_TRUE(reader
                  .parseSet("\"Name\"\n\"a\xff"
                            "b\"\n\"ok\"\n",
                            0, 2, collect(c), outcome)
                  .ok());
  ASSERT_EQ(c.rows().size(), 2u);
  EXPECT_EQ(c.rows()[0][0], Value(std::string("a\xEF\xBF\xBD"
                                              "b")));
  EXPECT_EQ(c.pages[0].invalidUtf8Strings, 1);
}

TEST(BulkCsvReaderTest, SinkStatusStopsTheParseAndIsReturnedAsIs) {
  const BulkCsvReader reader({"Id"}, {BulkCellType::kString}, 2);
  int calls = 0;
  BulkSetOutcome outcome;
  const Status st = reader.parseSet(
      idSet(10), 0, 10,
      [&calls](RecordPage&, bool) {
        ++calls;
        return Status::IoError("disk full");
      },
      outcome);
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_TRUE(outcome.sinkStopped);
  EXPECT_EQ(calls, 1);
}

TEST(BulkCsvReaderTest, ThrowingSinkBecomesAnInternalStatus) {
  const BulkCsvReader reader({"Id"}, {BulkCellType::kString}, 2);
  BulkSetOutcome outcome;
  const Status st = reader.parseSet(
      idSet(10), 0, 10, [](RecordPage&, bool) -> Status { throw std::runtime_error("boom"); },
      outcome);
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_NE(st.message().find("boom"), std::string::npos);
}

// Wide rows: a page is handed on at kMaxPageTextBytes of field text even before pageRows rows, so
// a page's memory does not grow with the row width; every row arrives once, in order.
TEST(BulkCsvReaderTest, WideRowsAreHandedOnInPagesOfBoundedText) {
  const std::size_t width = 512 * 1024;
  const int rowCount = 20;  // 10 MiB of text: more than one page of kMaxPageTextBytes
  std::string body = "\"Id\",\"Body\"\n";
  for (int i = 0; i < rowCount; ++i) {
    body += "\"" + std::to_string(i) + "\",\"" + std::string(width, 'w') + "\"\n";
  }
  const BulkCsvReader reader({"Id", "Body"}, {BulkCellType::kString, BulkCellType::kString}, 2000);
  std::vector<std::size_t> pageSizes;
  std::vector<std::string> ids;
  BulkSetOutcome outcome;
  const Status st = reader.parseSet(
      body, 0, rowCount,
      [&](RecordPage& page, bool) {
        pageSizes.push_back(page.rows.size());
        for (const auto& row : page.rows) ids.push_back(std::get<std::string>(row[0]));
        return Status::OK();
      },
      outcome);
  ASSERT_TRUE(st.ok()) << st.toString();
  const auto perPage = static_cast<std::size_t>(BulkCsvReader::kMaxPageTextBytes) / width;
  ASSERT_GE(pageSizes.size(), 2u);
  for (std::size_t n : pageSizes) EXPECT_LE(n, perPage + 1);
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(rowCount));
  for (int i = 0; i < rowCount; ++i) EXPECT_EQ(ids[static_cast<std::size_t>(i)], std::to_string(i));
}

// One record over maxRecordBytes (here in complete fields; BulkStreamTest covers a field still
// being read) is RESPONSE_TOO_LARGE, not a malformed set.
TEST(BulkCsvReaderTest, ARecordOverTheRecordCapIsTooLarge) {
  const BulkCsvReader reader({"Id", "Body"}, {BulkCellType::kString, BulkCellType::kString}, 10,
                             1000);
  const auto setWith = [](std::size_t width) {
    return "\"Id\",\"Body\"\n\"1\",\"short\"\n\"2\",\"" + std::string(width, 'a') + "\"\n";
  };
  const auto ok = [](RecordPage&, bool) { return Status::OK(); };
  BulkSetOutcome outcome;
  const Status wide = reader.parseSet(setWith(1200), 0, 2, ok, outcome);
  EXPECT_EQ(wide.code(), StatusCode::kDataError) << wide.toString();
  EXPECT_EQ(wide.remoteCode(), kResponseTooLarge) << wide.toString();
  const Status fits = reader.parseSet(setWith(900), 0, 2, ok, outcome);  // 901 bytes: under
  EXPECT_TRUE(fits.ok()) << fits.toString();
}

TEST(BulkCsvReaderTest, DescribeTypesMapToCellTypes) {
  EXPECT_EQ(bulkCellTypeOf("int"), BulkCellType::kInt);
  EXPECT_EQ(bulkCellTypeOf("double"), BulkCellType::kDouble);
  EXPECT_EQ(bulkCellTypeOf("currency"), BulkCellType::kDouble);
  EXPECT_EQ(bulkCellTypeOf("percent"), BulkCellType::kDouble);
  EXPECT_EQ(bulkCellTypeOf("boolean"), BulkCellType::kBool);
  EXPECT_EQ(bulkCellTypeOf("datetime"), BulkCellType::kDateTime);
  EXPECT_EQ(bulkCellTypeOf("date"), BulkCellType::kString);
  EXPECT_EQ(bulkCellTypeOf("reference"), BulkCellType::kString);
}

}  // namespace
}  // namespace sfsync::salesforce
