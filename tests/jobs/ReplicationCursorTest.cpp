// ReplicationCursor (the stored cursor + checkpoint JSON) and PageSpill's Bulk positions: what a
// resumed run reads back is exactly what the interrupted run wrote.
#include <gtest/gtest.h>

#include "fakes/TempDir.h"
#include "jobs/PageSpill.h"
#include "jobs/ReplicationCursor.h"

namespace sfsync::jobs {
namespace {

TEST(ReplicationCursorTest, RoundTripsTheCursorAndTheInFlightCheckpoint) {
  ReplicationCursor c;
  c.cursor = {"2025-03-01T11:07:00.000+0000", "0035g0000000tvxAAA"};
  c.lastFullAt = "2026-12-05T02:00:00.000Z";
  RunCheckpoint run;
  run.mode = "incremental";
  run.api = "bulk";
  run.startedAt = "2026-12-05T03:00:00.000Z";
  run.start = c.cursor;
  run.high = {"2025-03-02T00:00:00.000+0000", "0035g00000011kFAAQ"};
  run.bulkJobId = "7505g000001";
  run.bulkLocator = "MTAwMDA";
  run.bulkRowsIntoSet = 4000;
  run.deferredPending = true;
  run.runTag = 0x7123456789abcdefLL;  // all 63 bits survive the JSON
  run.stampLayout = "2/LastModifiedDate";
  c.run = run;

  Result<ReplicationCursor> back = ReplicationCursor::parse(c.toJson());
  ASSERT_TRUE(back.ok()) << back.status().toString();
  EXPECT_EQ(back->cursor.text(), "2025-03-01T11:07:00.000+0000 0035g0000000tvxAAA");
  EXPECT_EQ(back->lastFullAt, c.lastFullAt);
  ASSERT_TRUE(back->run.has_value());
  EXPECT_EQ(back->run->mode, "incremental");
  EXPECT_EQ(back->run->api, "bulk");
  EXPECT_EQ(back->run->start.text(), c.cursor.text());
  EXPECT_EQ(back->run->high.text(), run.high.text());
  EXPECT_EQ(back->run->bulkJobId, run.bulkJobId);
  EXPECT_EQ(back->run->bulkLocator, run.bulkLocator);
  EXPECT_EQ(back->run->bulkRowsIntoSet, 4000);
  EXPECT_TRUE(back->run->deferredPending);
  EXPECT_EQ(back->run->runTag, run.runTag);
  EXPECT_EQ(back->run->stampLayout, run.stampLayout);

  c.run.reset();
  back = ReplicationCursor::parse(c.toJson());
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->run.has_value());
}

TEST(ReplicationCursorTest, ACheckpointOfAnOlderVersionHasNoRunTag) {
  ReplicationCursor c;
  c.run = RunCheckpoint{};
  c.run->runTag = 5;
  std::string json = c.toJson();
  const std::string field = "\"runTag\":5";
  ASSERT_NE(json.find(field), std::string::npos) << json;
  json.replace(json.find(field), field.size(), "\"unknown\":0");
  Result<ReplicationCursor> back = ReplicationCursor::parse(json);
  ASSERT_TRUE(back.ok() && back->run.has_value());
  EXPECT_EQ(back->run->runTag, 0);  // ReplicationRun then makes a new one
}

TEST(ReplicationCursorTest, GarbageIsADataErrorNotACrash) {
  for (const char* text : {"", "not json", "[1,2]", "{\"run\": 5}", "{\"stamp\": {}}"}) {
    Result<ReplicationCursor> parsed = ReplicationCursor::parse(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kDataError) << text;
    }
  }
}

TEST(ReplicationCursorTest, PointsOrderByStampThenId) {
  const CursorPoint a{"2025-01-01T00:00:00.000+0000", "001B"};
  const CursorPoint b{"2025-01-01T00:00:00.000+0000", "001C"};
  const CursorPoint c{"2025-01-01T00:00:01.000+0000", "001A"};
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(b < c);
  EXPECT_TRUE(CursorPoint{} < a);
  EXPECT_TRUE(a <= a);
  EXPECT_FALSE(c <= b);
}

TEST(ReplicationCursorTest, SpilledPagesKeepTheirBulkPosition) {
  testing::TempDir dir;
  PageSpill spill(dir.file("extract.bin"));
  salesforce::RecordPage page;
  page.columns = {"Id"};
  page.rows = {{Value(std::string("001A"))}};
  page.bulkLocator = "LOC1";
  page.bulkRowsIntoSet = 2000;
  ASSERT_TRUE(spill.append(page).ok());
  page.bulkLocator = "";
  page.bulkRowsIntoSet = 7;
  ASSERT_TRUE(spill.append(page).ok());
  std::vector<std::pair<std::string, std::int64_t>> seen;
  ASSERT_TRUE(spill
                  .replay([&](salesforce::RecordPage& p) {
                    seen.emplace_back(p.bulkLocator, p.bulkRowsIntoSet);
                    return Status::OK();
                  })
                  .ok());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(std::string("LOC1"), std::int64_t{2000}));
  EXPECT_EQ(seen[1], std::make_pair(std::string(""), std::int64_t{7}));
}

}  // namespace
}  // namespace sfsync::jobs
