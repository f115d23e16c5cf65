#include <gtest/gtest.h>

#include <Poco/File.h>
#include <unistd.h>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/activity/ActivityReport.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/activity/SuccessFile.h"

namespace sfsync::activity {
namespace {

TEST(ErrorFileTest, QuotesPerRfc4180) {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {{"plain", "plain"},
                        {"a,b", "\"a,b\""},
                        {"say \"hi\"", "\"say \"\"hi\"\"\""},
                        {"two\nlines", "\"two\nlines\""},
                        {"", ""}};
  for (const auto& c : cases) EXPECT_EQ(ErrorFile::csvField(c.in), c.out) << c.in;
}

TEST(ErrorFileTest, CreatedOnlyOnFirstRejectedRecord) {
  testing::TempDir dir;
  const std::string path = dir.file("errors/job/run.errors.csv");
  {
    ErrorFile file(path, {"Id", "Name"});
    EXPECT_TRUE(file.close().ok());
    EXPECT_TRUE(file.path().empty());
  }
  EXPECT_FALSE(Poco::File(path).exists());

  ErrorFile file(path, {"Id", "Name"});
  RejectedRecord r{"UPSERT_MULTIPLE_MATCHES", "load", "", "", {"g1", "g2"}, "2 rows match"};
  ASSERT_TRUE(file.add({Value(std::string("001")), Value(std::string("A, Inc"))}, r).ok());
  ASSERT_TRUE(file.close().ok());
  EXPECT_EQ(file.path(), path);
  EXPECT_EQ(file.rows(), 1);
  EXPECT_EQ(testing::readFile(path),
            "Id,Name,reason_code,stage,mapping,value,candidates,message\r\n"
            "001,\"A, Inc\",UPSERT_MULTIPLE_MATCHES,load,,,g1;g2,2 rows match\r\n");
}

TEST(ExecutionLogTest, DerivesStatusFromCounts) {
  struct Case {
    std::int64_t created, updated, skipped, failed;
    bool runFailed;
    std::string status;
  };
  const Case cases[] = {
      {5, 0, 0, 0, false, "Success"},         {0, 0, 0, 0, false, "Success"},
      {3, 1, 0, 2, false, "Partial Success"}, {0, 0, 1, 1, false, "Partial Success"},
      {0, 0, 0, 4, false, "Failed"},          {5, 0, 0, 0, true, "Failed"},
  };
  for (const auto& c : cases) {
    store::ExecutionRecord r;
    r.created = c.created;
    r.updated = c.updated;
    r.skipped = c.skipped;
    r.failed = c.failed;
    EXPECT_EQ(ExecutionLog::deriveStatus(r, c.runFailed), c.status);
  }
}

TEST(ActivityReportTest, ListsRowsAndErrorFiles) {
  store::ExecutionRecord r;
  r.executionId = "0123456789abcdef";
  r.kind = "job";
  r.name = "Company Sync";
  r.status = "Partial Success";
  r.failed = 1;
  r.errorFile = "/tmp/x.errors.csv";
  const std::string text = formatActivity({r});
  EXPECT_NE(text.find("EXECUTION"), std::string::npos);
  EXPECT_NE(text.find("0123456789abcdef  job"), std::string::npos) << text;
  EXPECT_NE(text.find("Partial Success"), std::string::npos);
  EXPECT_NE(text.find("0123456789abcdef error file: /tmp/x.errors.csv"), std::string::npos) << text;
}

TEST(ActivityReportTest, ShowsRetriesAndEveryTargetOfAMultiTargetJob) {
  store::ExecutionRecord r;
  r.executionId = "e1";
  r.name = "Company Person Sync";
  r.retries = 3;
  r.targets = {{"Person", 15, 5045, 279, 0}, {"Company Person", 5339, 0, 0, 0}};
  const std::string text = formatActivity({r});
  EXPECT_NE(text.find("RETRIES"), std::string::npos) << text;
  EXPECT_NE(text.find("e1 target Person: created 15, updated 5045, skipped 279, failed 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("e1 target Company Person: created 5339, updated 0, skipped 0, failed 0\n"),
            std::string::npos)
      << text;
  r.targets.resize(1);  // one target: the row's own counts say it
  EXPECT_EQ(formatActivity({r}).find(" target "), std::string::npos);
}

TEST(ActivityReportTest, ShowsModeDeletedCursorAndApiUsage) {
  store::ExecutionRecord r;
  r.executionId = "e7";
  r.kind = "job";
  r.name = "Account Replica";
  r.status = "Deferred";
  r.mode = "incremental";
  r.api = "bulk";
  r.deleted = 42;
  r.apiCalls = 9;
  r.apiRemaining = 1234;
  r.cursor = "2026-01-01T00:00:00.000Z|001A";
  r.cursorEnd = "2026-01-02T00:00:00.000Z|001B";
  const std::string text = formatActivity({r});
  const std::string header = text.substr(0, text.find('\n'));
  EXPECT_NE(header.find("STATUS    MODE"), std::string::npos) << text;
  EXPECT_NE(header.find("FAILED  DELETED"), std::string::npos) << text;
  const std::string row = text.substr(header.size() + 1, text.find('\n', header.size() + 1));
  EXPECT_NE(row.find("Deferred  incremental/bulk"), std::string::npos) << text;
  // DELETED sits under its header.
  EXPECT_EQ(row.substr(header.find("DELETED"), 2), "42") << text;
  EXPECT_NE(
      text.find("e7 cursor: 2026-01-01T00:00:00.000Z|001A -> 2026-01-02T00:00:00.000Z|001B\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("e7 API: 9 calls, 1234 remaining"), std::string::npos) << text;

  r.mode = "full";
  r.api = "";
  r.cursor = "";
  r.cursorEnd = "";
  r.apiRemaining = -1;  // unknown: no API line
  const std::string full = formatActivity({r});
  EXPECT_NE(full.find("Deferred  full "), std::string::npos) << full;
  EXPECT_EQ(full.find(" cursor: "), std::string::npos) << full;
  EXPECT_EQ(full.find(" API: "), std::string::npos) << full;
}

TEST(SuccessFileTest, NamesEachTargetsGsidAndStatus) {
  testing::TempDir dir;
  SuccessFile file(dir.file("s.csv"), {"Id", "Email"}, {"Person", "Company Person"});
  ASSERT_TRUE(file.add({Value(std::string("003")), Value(std::string("a@b.c"))},
                       {{"p1", "Created"}, {"cp1", "Updated"}})
                  .ok());
  ASSERT_TRUE(file.close().ok());
  EXPECT_EQ(testing::readFile(dir.file("s.csv")),
            "Id,Email,Person gsid,Person status,Company Person gsid,Company Person status\r\n"
            "003,a@b.c,p1,Created,cp1,Updated\r\n");

  SuccessFile single(dir.file("one.csv"), {"Id"}, {"Company"});
  ASSERT_TRUE(single.add({Value(std::string("001"))}, {{"g1", "Created"}}).ok());
  ASSERT_TRUE(single.close().ok());
  EXPECT_EQ(testing::readFile(dir.file("one.csv")), "Id,gsid,status\r\n001,g1,Created\r\n");
}

TEST(CsvFileTest, AFullDiskIsAnErrorNotASilentlyShortFile) {
  testing::TempDir dir;
  const std::string path = dir.file("full.csv");
  ASSERT_EQ(::symlink("/dev/full", path.c_str()), 0);  // every write fails with ENOSPC
  CsvFile file(path, {"Id"});
  Status written = file.addRow({"001"});  // may sit in the buffer until close
  Status closed = file.close();
  EXPECT_TRUE(!written.ok() || !closed.ok());
  EXPECT_EQ((written.ok() ? closed : written).code(), StatusCode::kIoError);
}

// Issue 11: a run holds its files while a group of pages is uncommitted.
TEST(CsvFileTest, HeldRowsAreWrittenOnReleaseAndDroppedOnDiscard) {
  testing::TempDir dir;
  const std::string path = dir.file("held.csv");
  CsvFile file(path, {"Id", "Name"});
  file.hold();
  ASSERT_TRUE(file.addRow({"001", "A, Inc"}).ok());
  EXPECT_TRUE(file.path().empty());  // not created while its only rows are held
  EXPECT_EQ(file.rows(), 0);
  file.discard();
  ASSERT_TRUE(file.release().ok());  // nothing left to release: still no file
  EXPECT_FALSE(Poco::File(path).exists());

  file.hold();
  ASSERT_TRUE(file.addRow({"002", "B"}).ok());
  ASSERT_TRUE(file.addRow({"003", "C"}).ok());
  ASSERT_TRUE(file.release().ok());
  EXPECT_EQ(file.rows(), 2);
  ASSERT_TRUE(file.addRow({"004", "D"}).ok());  // released: written at once again
  file.hold();
  ASSERT_TRUE(file.addRow({"005", "rolled back"}).ok());
  file.discard();
  ASSERT_TRUE(file.close().ok());
  EXPECT_EQ(file.path(), path);
  EXPECT_EQ(file.rows(), 3);
  EXPECT_EQ(testing::readFile(path), "Id,Name\r\n002,B\r\n003,C\r\n004,D\r\n");
}

}  // namespace
}  // namespace sfsync::activity
