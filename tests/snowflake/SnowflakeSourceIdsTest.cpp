// Delete detection through a SnowflakeSource (Source::deletedIds / Source::listIds): a warehouse
// table has no delete feed (deletedIds answers nothing and sends no statement), and listIds reads
// the identifier column of the job's own table or query with its filter (and a further filter),
// never the incremental bound.
#include <gtest/gtest.h>

#include <algorithm>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/snowflake/SnowflakeSource.h"
#include "snowflake/SnowSimFixture.h"
#include "snowflake/SnowTestSupport.h"

namespace sfsync::snowflake {
namespace {

using snowsim::SimTable;

class SnowflakeSourceIdsTest : public SnowSimFixture {
 protected:
  // The identifiers listIds hands on (sorted), or {"error: ..."}.
  static std::vector<std::string> list(source::Source& src, const std::string& filter = "") {
    std::vector<std::string> ids;
    Status s = src.listIds("Usage", filter, [&](const std::vector<std::string>& batch) {
      ids.insert(ids.end(), batch.begin(), batch.end());
      return Status::OK();
    });
    if (!s.ok()) return {"error: " + s.toString()};
    std::sort(ids.begin(), ids.end());
    return ids;
  }
};

TEST_F(SnowflakeSourceIdsTest, ATableHasNoDeleteFeed) {
  SnowflakeQuery q;
  q.table = "DB.PUBLIC.USAGE";
  q.fields = {"EMAIL", "LOGINS"};
  source::SourcePtr src = source(q);
  source::DeletedIdsAnswer answer;
  answer.answered = true;
  bool called = false;
  Status s = src->deletedIds(
      "Usage", {"2026-01-10T11:00:00Z", "2026-01-10T12:00:00Z"},
      [&](const std::vector<std::string>&) {
        called = true;
        return Status::OK();
      },
      &answer);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_FALSE(answer.answered);  // the caller compares identifiers instead
  EXPECT_FALSE(called);
  EXPECT_EQ(sim_->counters().statements, 0);
}

TEST_F(SnowflakeSourceIdsTest, ListIdsReadsTheIdentifierOfTheFilteredTableWithoutTheCursor) {
  SnowflakeQuery q;
  q.table = "DB.PUBLIC.USAGE";
  q.fields = {"EMAIL", "LOGINS", "UPDATED_AT"};
  q.filter = "LOGINS >= 50";
  q.incrementalColumn = "UPDATED_AT";
  source::SourcePtr src = source(q);
  EXPECT_EQ(list(*src),
            (std::vector<std::string>{"p5@example.com", "p6@example.com", "p7@example.com",
                                      "p8@example.com", "p9@example.com"}));
  EXPECT_EQ(sim_->lastStatement(), "SELECT EMAIL FROM DB.PUBLIC.USAGE WHERE (LOGINS >= 50)");
  // A further filter narrows it (ANDed with the job's).
  EXPECT_EQ(list(*src, "LOGINS < 70"),
            (std::vector<std::string>{"p5@example.com", "p6@example.com"}));
}

TEST_F(SnowflakeSourceIdsTest, ListIdsOfAQueryKeepsItsFilter) {
  SnowflakeQuery q;
  q.query = "SELECT EMAIL, LOGINS FROM DB.PUBLIC.USAGE";
  q.filter = "LOGINS < 20";
  source::SourcePtr src = source(q);
  EXPECT_EQ(list(*src), (std::vector<std::string>{"p0@example.com", "p1@example.com"}));
}

// The Snowflake ConnectionSources: describe() and open() share one source (one OAuth login), open()
// ignores the REST-or-Bulk options, and nothing counts against an API budget.
TEST_F(SnowflakeSourceIdsTest, SnowflakeSourcesDescribeAndOpenOneSource) {
  SnowflakeSettings settings = testing::snowSettings(*sim_, dir_.file("key.pem"));
  settings.auth = SnowflakeAuth::kOAuth;
  settings.clientId = "sim-client";
  settings.clientSecret = "sim-secret";
  settings.refreshToken = "sim-refresh-token";
  SnowflakeSourceSpec spec;
  spec.query.table = "DB.PUBLIC.USAGE";
  spec.query.fields = {"EMAIL", "LOGINS"};
  source::ConnectionSourcesPtr sources = makeSnowflakeSources(settings, clock_, spec);
  EXPECT_STREQ(sources->type(), "snowflake");
  Result<salesforce::ObjectDescribe> described = sources->describe("Usage");
  ASSERT_TRUE(described.ok()) << described.status().toString();
  EXPECT_NE(described->findField("LOGINS"), nullptr);
  EXPECT_NE(described->findField("Id"), nullptr);  // the identifier column
  source::OpenRequest request;
  request.options.api = source::ApiChoice::kBulk;  // not Salesforce: ignored
  Result<source::SourceChoice> opened = sources->open(request);
  ASSERT_TRUE(opened.ok()) << opened.status().toString();
  EXPECT_STREQ(opened->source->api(), "snowflake");
  EXPECT_EQ(opened->reason, "Snowflake SQL API");
  std::int64_t rows = 0;
  source::ExtractRequest extract;
  extract.columns = {"Id", "LOGINS"};
  Status s = opened->source->extract(extract, [&](salesforce::RecordPage& page) {
    rows += static_cast<std::int64_t>(page.rows.size());
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(rows, 10);
  EXPECT_EQ(sim_->counters().tokensIssued, 1);  // one login for the describe and the extract
  EXPECT_EQ(sources->usage().calls, 0);
}

}  // namespace
}  // namespace sfsync::snowflake
