// ErrorFileReader / CsvReader (issue 16): summaries by reason code and mapping, paged and filtered
// previews, the failed Ids of a re-run, and the caps that keep a large file from growing memory.
#include <gtest/gtest.h>

#include <sstream>

#include "fakes/TempDir.h"
#include "sfsync/activity/CsvReader.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/ErrorFileReader.h"

namespace sfsync::activity {
namespace {

// Writes `n` rows through the real ErrorFile: reason TYPE_CONVERSION for even i (mapping
// Employees), LOOKUP_NO_MATCH for odd i (mapping Parent); Ids 001..., one Id repeated.
std::string writeErrors(testing::TempDir& dir, int n) {
  ErrorFile file(dir.file("errors/job/run.errors.csv"), {"Id", "Name"});
  for (int i = 0; i < n; ++i) {
    const bool even = i % 2 == 0;
    RejectedRecord rejected{even ? "TYPE_CONVERSION" : "LOOKUP_NO_MATCH",
                            "map",
                            even ? "Employees" : "Parent",
                            "v" + std::to_string(i),
                            {},
                            "message, with \"quotes\"\nand a line break"};
    EXPECT_TRUE(
        file.add({Value("001" + std::to_string(i)), Value("Name " + std::to_string(i))}, rejected)
            .ok());
  }
  EXPECT_TRUE(file.close().ok());
  return file.path();
}

TEST(CsvReaderTest, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  std::istringstream in("a,\"b,c\",\"d \"\"e\"\"\"\r\n\"x\ny\",,z\r\nlast");
  CsvReader reader(in, 1000, 1000);
  std::vector<std::string> row;
  ASSERT_TRUE(*reader.next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"a", "b,c", "d \"e\""}));
  ASSERT_TRUE(*reader.next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"x\ny", "", "z"}));
  ASSERT_TRUE(*reader.next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"last"}));
  EXPECT_FALSE(*reader.next(row));
  EXPECT_FALSE(reader.capped());
}

TEST(CsvReaderTest, CapsRecordLengthAndTotalBytes) {
  std::istringstream longRow(std::string(100, 'x') + "\r\n");
  CsvReader small(longRow, 50, 1000);
  std::vector<std::string> row;
  Result<bool> got = small.next(row);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kDataError);

  std::istringstream many("a\r\nb\r\nc\r\nd\r\n");
  CsvReader capped(many, 50, 5);  // stops after the record that crosses 5 bytes
  int rows = 0;
  while (*capped.next(row)) ++rows;
  EXPECT_EQ(rows, 2);
  EXPECT_TRUE(capped.capped());

  std::istringstream open("\"never closed");
  CsvReader unterminated(open, 50, 1000);
  EXPECT_FALSE(unterminated.next(row).ok());
}

TEST(ErrorFileReaderTest, SummaryCountsByReasonAndMappingWithSamples) {
  testing::TempDir dir;
  const std::string path = writeErrors(dir, 7);
  Result<ErrorSummary> summary = ErrorFileReader::summarize(path, ErrorFileLimits{});
  ASSERT_TRUE(summary.ok()) << summary.status().toString();
  EXPECT_EQ(summary->rows, 7);
  EXPECT_FALSE(summary->truncated);
  EXPECT_EQ(summary->header.front(), "Id");
  ASSERT_EQ(summary->byReason.size(), 2u);
  EXPECT_EQ(summary->byReason[0].key, "TYPE_CONVERSION");  // most first
  EXPECT_EQ(summary->byReason[0].count, 4);
  EXPECT_EQ(summary->byReason[1].key, "LOOKUP_NO_MATCH");
  EXPECT_EQ(summary->byReason[1].count, 3);
  EXPECT_EQ(summary->byReason[0].samples.size(), 3u);  // samplesPerGroup
  EXPECT_EQ(summary->byReason[0].samples[0][0], "0010");
  EXPECT_EQ(summary->byReason[0].samples[0].back(), "message, with \"quotes\"\nand a line break");
  ASSERT_EQ(summary->byMapping.size(), 2u);
  EXPECT_EQ(summary->byMapping[0].key, "Employees");
  EXPECT_EQ(summary->byMapping[0].count, 4);
  EXPECT_EQ(summary->byMapping[1].key, "Parent");
}

TEST(ErrorFileReaderTest, PagesFilterByReasonAndBoundTheLimit) {
  testing::TempDir dir;
  const std::string path = writeErrors(dir, 9);
  Result<ErrorRowsPage> all = ErrorFileReader::page(path, "", 0, 4, ErrorFileLimits{});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->matched, 9);
  ASSERT_EQ(all->rows.size(), 4u);
  EXPECT_EQ(all->rows[0][0], "0010");

  Result<ErrorRowsPage> lookups =
      ErrorFileReader::page(path, "LOOKUP_NO_MATCH", 2, 10, ErrorFileLimits{});
  ASSERT_TRUE(lookups.ok());
  EXPECT_EQ(lookups->matched, 4);  // i = 1, 3, 5, 7
  ASSERT_EQ(lookups->rows.size(), 2u);
  EXPECT_EQ(lookups->rows[0][0], "0015");
  EXPECT_EQ(lookups->rows[1][0], "0017");

  Result<ErrorRowsPage> past = ErrorFileReader::page(path, "", 100, 10, ErrorFileLimits{});
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->rows.empty());

  for (int limit : {0, ErrorFileReader::kMaxPageLimit + 1}) {
    EXPECT_EQ(ErrorFileReader::page(path, "", 0, limit, ErrorFileLimits{}).status().code(),
              StatusCode::kInvalidArgument)
        << limit;
  }
}

TEST(ErrorFileReaderTest, ScanAndGroupCapsSayTruncated) {
  testing::TempDir dir;
  const std::string path = writeErrors(dir, 50);
  ErrorFileLimits limits;
  limits.maxScanBytes = 1000;  // a few rows only
  Result<ErrorSummary> capped = ErrorFileReader::summarize(path, limits);
  ASSERT_TRUE(capped.ok());
  EXPECT_TRUE(capped->truncated);
  EXPECT_LT(capped->rows, 50);
  EXPECT_GT(capped->rows, 0);

  ErrorFileLimits oneGroup;
  oneGroup.maxGroups = 1;
  Result<ErrorSummary> grouped = ErrorFileReader::summarize(path, oneGroup);
  ASSERT_TRUE(grouped.ok());
  EXPECT_TRUE(grouped->truncated);
  EXPECT_EQ(grouped->rows, 50);
  EXPECT_EQ(grouped->byReason.size(), 1u);

  ErrorFileLimits shortRows;
  shortRows.maxRecordBytes = 20;
  EXPECT_EQ(ErrorFileReader::summarize(path, shortRows).status().code(), StatusCode::kDataError);
}

TEST(ErrorFileReaderTest, FailedIdsAreDistinctInFileOrder) {
  testing::TempDir dir;
  ErrorFile file(dir.file("e.csv"), {"Name", "Id"});
  for (const char* id : {"b", "a", "b", ""}) {
    ASSERT_TRUE(
        file.add({Value(std::string("n")), Value(std::string(id))}, {"X", "load", "", "", {}, ""})
            .ok());
  }
  ASSERT_TRUE(file.close().ok());
  Result<std::vector<std::string>> ids = ErrorFileReader::failedIds(file.path(), {});
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::string>{"b", "a"}));
}

TEST(ErrorFileReaderTest, MissingFileIsNotFoundAndForeignCsvIsADataError) {
  testing::TempDir dir;
  EXPECT_EQ(ErrorFileReader::summarize(dir.file("gone.csv"), {}).status().code(),
            StatusCode::kNotFound);
  dir.write("other.csv", "a,b\r\n1,2\r\n");
  EXPECT_EQ(ErrorFileReader::summarize(dir.file("other.csv"), {}).status().code(),
            StatusCode::kDataError);
  EXPECT_EQ(ErrorFileReader::failedIds(dir.file("other.csv"), {}).status().code(),
            StatusCode::kDataError);
}

}  // namespace
}  // namespace sfsync::activity
