#include <gtest/gtest.h>

#include <Poco/File.h>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/activity/ActivityReport.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/ExecutionLog.h"

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

}  // namespace
}  // namespace sfsync::activity
