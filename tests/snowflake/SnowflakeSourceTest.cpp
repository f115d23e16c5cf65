// SnowflakeSource against the simulator (issue 14): partitions streamed in order as pages (rows
// decoded while a partition is still arriving), 202 + polling, pages of at most 2000 rows, every
// type of the type table, the 100-option cap of multi-selects (counting held options), the
// incremental cursor as a bind variable at nanosecond precision, re-runs by identifier, SQL errors
// mapped, write statements refused before any request.
#include <gtest/gtest.h>

#include <Poco/Net/NetException.h>

#include <condition_variable>
#include <mutex>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/snowflake/SnowflakeSource.h"
#include "sfsync/snowflake/TypeTable.h"
#include "snowflake/SnowSimFixture.h"
#include "snowflake/SnowTestSupport.h"

namespace sfsync::snowflake {
namespace {

using snowsim::Row;
using snowsim::SimTable;

class SnowflakeSourceTest : public SnowSimFixture {
 protected:
  static SnowflakeQuery table(std::vector<std::string> fields) {
    SnowflakeQuery q;
    q.table = "DB.PUBLIC.USAGE";
    q.fields = std::move(fields);
    return q;
  }

  std::vector<salesforce::RecordPage> extractAll(source::Source& src,
                                                 std::vector<std::string> columns, Status* status) {
    std::vector<salesforce::RecordPage> pages;
    source::ExtractRequest request;
    request.columns = std::move(columns);
    *status = src.extract(request, [&](salesforce::RecordPage& page) {
      pages.push_back(page);
      return Status::OK();
    });
    return pages;
  }

  // Extracts EMAIL into `emails`; `cursor`: the last page's source cursor (its checkpoint).
  static Status readEmails(source::Source& src, std::vector<std::string>& emails,
                           std::string& cursor) {
    source::ExtractRequest request;
    request.columns = {"EMAIL"};
    return src.extract(request, [&](salesforce::RecordPage& page) {
      for (const auto& row : page.rows) emails.push_back(std::get<std::string>(row[0]));
      cursor = page.sourceCursor;
      return Status::OK();
    });
  }

  // Starts `sim` with DB.PUBLIC.BIG, 20,000 rows (EMAIL p<i>@x.com, NOTE 32 pseudo-random hex
  // digits: hard to compress, so half of the gzipped answer holds well over a page of rows; one
  // partition of ~1.2 MB of JSON), and returns a source reading its EMAIL and NOTE.
  source::SourcePtr bigSource(snowsim::SnowflakeSim& sim) {
    SimTable big;
    big.columns = {{"EMAIL", "text", 0}, {"NOTE", "text", 0}};
    big.generatedRows = 20000;
    big.generate = [](std::int64_t i, Row& r) {
      r[0] = "p" + std::to_string(i) + "@x.com";
      std::uint64_t x =
          static_cast<std::uint64_t>(i) * 6364136223846793005ull + 1442695040888963407ull;
      std::string note;
      for (int k = 0; k < 32; ++k, x = x * 6364136223846793005ull + 1) {
        note += "0123456789abcdef"[(x >> 59) & 15];
      }
      r[1] = note;
    };
    sim.setTable("DB.PUBLIC.BIG", big);
    sim.start();
    SnowflakeSourceSpec spec;
    spec.query.table = "DB.PUBLIC.BIG";
    spec.query.fields = {"EMAIL", "NOTE"};
    return makeSnowflakeSource(sfsync::testing::snowSettings(sim, dir_.file("key.pem")), clock_,
                               spec);
  }
};

TEST_F(SnowflakeSourceTest, PartitionsAreStreamedInOrderIntoPages) {
  auto src = source(table({"EMAIL", "LOGINS"}));
  Status s;
  std::vector<salesforce::RecordPage> pages = extractAll(*src, {"Id", "EMAIL", "LOGINS"}, &s);
  ASSERT_TRUE(s.ok()) << s.toString();
  ASSERT_EQ(pages.size(), 1u);  // 10 rows in partitions of 3: one page (pages span partitions)
  EXPECT_EQ(pages[0].pageIndex, 0);
  EXPECT_TRUE(pages[0].done);
  EXPECT_EQ(pages[0].totalSize, 10);
  ASSERT_EQ(pages[0].rows.size(), 10u);
  // Rows arrive in the table's order; "Id" is the identifier (EMAIL).
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(std::get<std::string>(pages[0].rows[i][0]), "p" + std::to_string(i) + "@example.com");
    EXPECT_EQ(std::get<std::string>(pages[0].rows[i][1]), "p" + std::to_string(i) + "@example.com");
    EXPECT_EQ(std::get<std::int64_t>(pages[0].rows[i][2]), i * 10);
  }
  // Partition 0 came with the statement; 1, 2, 3 were fetched one after another.
  EXPECT_EQ(sim_->counters().partitionsFetched, (std::vector<int>{1, 2, 3}));
}

TEST_F(SnowflakeSourceTest, SlowStatementIsPolledUntilDone) {
  SimTable slow = usageTable(4);
  slow.asyncPolls = 3;
  sim_->setTable("DB.PUBLIC.SLOW", slow);
  SnowflakeQuery q;
  q.table = "DB.PUBLIC.SLOW";
  q.fields = {"EMAIL"};
  auto src = source(q);
  Status s;
  std::vector<salesforce::RecordPage> pages = extractAll(*src, {"EMAIL"}, &s);
  ASSERT_TRUE(s.ok()) << s.toString();
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].rows.size(), 4u);  // two partitions, polled answer streamed too
  EXPECT_EQ(sim_->counters().pendingPolls, 3);
  EXPECT_GE(clock_.sleeps().size(), 3u);  // waited pollInterval between polls (fake clock)
}

TEST_F(SnowflakeSourceTest, EveryTypeOfTheTypeTable) {
  SimTable t;
  t.columns = {{"EMAIL", "text", 0},           {"FEATURES", "array", 0},
               {"ACTIVE", "boolean", 0},       {"SEATS", "fixed", 0},
               {"SCORE", "fixed", 2},          {"RATIO", "real", 0},
               {"SIGNUP", "date", 0},          {"LAST_LOGIN", "timestamp_ntz", 9},
               {"SEEN_TZ", "timestamp_tz", 9}, {"NOTE", "text", 0}};
  t.rows = {{"a@example.com", R"(["export","dashboards"])", "true", "42", "12.50", "0.25", "19000",
             "1616173619.123000000", "1616173619.000000000 1500", std::nullopt}};
  sim_->setTable("DB.PUBLIC.TYPES", t);
  SnowflakeQuery q;
  q.query = "SELECT * FROM DB.PUBLIC.TYPES";
  auto src = source(q);
  Result<salesforce::ObjectDescribe> d = src->describe("Usage");
  ASSERT_TRUE(d.ok()) << d.status().toString();
  const std::vector<std::pair<const char*, const char*>> types = {{"Id", "id"},
                                                                  {"FEATURES", "multipicklist"},
                                                                  {"ACTIVE", "boolean"},
                                                                  {"SEATS", "int"},
                                                                  {"SCORE", "double"},
                                                                  {"RATIO", "double"},
                                                                  {"SIGNUP", "date"},
                                                                  {"LAST_LOGIN", "datetime"},
                                                                  {"SEEN_TZ", "datetime"},
                                                                  {"NOTE", "string"},
                                                                  {"EMAIL", "string"}};
  for (const auto& [name, type] : types) {
    const salesforce::FieldDescribe* f = d->findField(name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_EQ(f->type, type) << name;
  }
  Status s;
  std::vector<salesforce::RecordPage> pages = extractAll(*src, {}, &s);
  ASSERT_TRUE(s.ok()) << s.toString();
  const std::vector<Value>& r = pages.at(0).rows.at(0);
  EXPECT_EQ(std::get<std::string>(r[1]), "export;dashboards");
  EXPECT_EQ(std::get<bool>(r[2]), true);
  EXPECT_EQ(std::get<std::int64_t>(r[3]), 42);
  EXPECT_DOUBLE_EQ(std::get<double>(r[4]), 12.5);
  EXPECT_DOUBLE_EQ(std::get<double>(r[5]), 0.25);
  EXPECT_EQ(std::get<std::string>(r[6]), "2022-01-08");
  EXPECT_EQ(std::get<std::string>(r[7]), "2021-03-19T17:06:59.123Z");
  EXPECT_EQ(std::get<std::string>(r[8]), "2021-03-19T17:06:59.000Z");
  EXPECT_TRUE(isNull(r[9]));
}

TEST_F(SnowflakeSourceTest, MultiSelectKeepsAtMostOneHundredOptionsAndReportsTheRest) {
  SimTable t;
  t.columns = {{"EMAIL", "text", 0}, {"FEATURES", "array", 0}};
  for (int i = 0; i < 105; ++i) {  // option i first appears on row i
    t.rows.push_back(
        {"p" + std::to_string(i) + "@x.com", "[\"f" + std::to_string(i) + "\",\"f0\"]"});
  }
  sim_->setTable("DB.PUBLIC.FEATURES", t);
  SnowflakeQuery q;
  q.table = "DB.PUBLIC.FEATURES";
  q.fields = {"EMAIL", "FEATURES"};
  auto src = source(q);
  Status s;
  std::vector<salesforce::RecordPage> pages = extractAll(*src, {"EMAIL", "FEATURES"}, &s);
  ASSERT_TRUE(s.ok()) << s.toString();
  std::vector<std::string> cells;
  for (const auto& page : pages) {
    for (const auto& row : page.rows) cells.push_back(std::get<std::string>(row[1]));
  }
  ASSERT_EQ(cells.size(), 105u);
  EXPECT_EQ(cells[99], "f99;f0");  // the 100th option still fits
  EXPECT_EQ(cells[100], "f0");     // f100 is the 101st: left out, the known option kept
  EXPECT_EQ(cells[104], "f0");
  EXPECT_NE(src->note().find("FEATURES: 5 value(s) beyond the 100-option cap"), std::string::npos)
      << src->note();
  EXPECT_NE(src->note().find("f100"), std::string::npos);
}

TEST_F(SnowflakeSourceTest, UnknownTableIsAClearInvalidArgument) {
  SnowflakeQuery q;
  q.table = "DB.PUBLIC.NOPE";
  q.fields = {"EMAIL"};
  auto src = source(q);
  Status s;
  extractAll(*src, {"EMAIL"}, &s);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.remoteCode(), "SNOWFLAKE_002003");
  EXPECT_NE(s.message().find("does not exist or not authorized"), std::string::npos);
}

TEST_F(SnowflakeSourceTest, FilterAndIncrementalColumnRestrictTheRowsThroughABindVariable) {
  SnowflakeQuery q = table({"EMAIL", "LOGINS", "UPDATED_AT"});
  q.filter = "LOGINS >= 20";
  q.incrementalColumn = "UPDATED_AT";
  SnowflakeSourceSpec spec;
  spec.query = q;
  spec.since = Cursor{{"FIXED", "1006"}, false};
  auto src = source(spec);
  std::vector<std::string> emails;
  std::string cursor;
  Status s = readEmails(*src, emails, cursor);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(emails,
            (std::vector<std::string>{"p7@example.com", "p8@example.com", "p9@example.com"}));
  EXPECT_EQ(sim_->lastStatement(),
            "SELECT EMAIL, LOGINS, UPDATED_AT FROM DB.PUBLIC.USAGE WHERE (LOGINS >= 20) AND "
            "UPDATED_AT > ? ORDER BY UPDATED_AT");
  ASSERT_EQ(sim_->lastBindings().size(), 1u);
  EXPECT_EQ(sim_->lastBindings()[0].type, "FIXED");
  EXPECT_EQ(sim_->lastBindings()[0].value, "1006");
  // The page carries the cursor up to its last row, inclusive (a checkpoint).
  EXPECT_EQ(cursor, R"({"type":"FIXED","value":"1009","inclusive":true})");
}

TEST_F(SnowflakeSourceTest, TimestampCursorKeepsNanosecondsSoNoRowOfTheLastMillisecondIsReadAgain) {
  SimTable t;
  t.columns = {{"EMAIL", "text", 0}, {"UPDATED_AT", "timestamp_ntz", 9}};
  t.rows = {{"a@x.com", "1616173619.123456789"},
            {"b@x.com", "1616173619.123456790"},  // 1 ns later, the same millisecond
            {"c@x.com", "1616173619.123000000"}};
  sim_->setTable("DB.PUBLIC.TS", t);
  SnowflakeSourceSpec spec;
  spec.query.table = "DB.PUBLIC.TS";
  spec.query.fields = {"EMAIL", "UPDATED_AT"};
  spec.query.incrementalColumn = "UPDATED_AT";
  Result<Cursor> since =
      Cursor::fromCell({"UPDATED_AT", "timestamp_ntz", 9}, "1616173619.123456789");
  ASSERT_TRUE(since.ok()) << since.status().toString();
  spec.since = *since;
  auto src = source(spec);
  std::vector<std::string> emails;
  std::string cursor;
  Status s = readEmails(*src, emails, cursor);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(emails, (std::vector<std::string>{"b@x.com"}));
  ASSERT_EQ(sim_->lastBindings().size(), 1u);
  EXPECT_EQ(sim_->lastBindings()[0].type, "TIMESTAMP_NTZ");
  EXPECT_EQ(sim_->lastBindings()[0].value, "1616173619123456789");
  Result<Cursor> end = Cursor::parse(cursor);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(end->display(), "2021-03-19T17:06:59.123456790Z (inclusive)");
}

TEST_F(SnowflakeSourceTest, RowsAreDecodedWhileThePartitionIsStillArriving) {
  // The simulator holds every large answer half-sent until a page has reached us (or 60 s pass):
  // a client that collected the whole partition first would see its first page only afterwards.
  std::mutex mu;
  std::condition_variable cv;
  bool pageSeen = false;
  bool pageSeenWhileHeld = false;
  snowsim::SnowSimOptions options = simOptions();
  options.rowsPerPartition = 20000;
  options.midBody = [&] {
    std::unique_lock<std::mutex> lock(mu);
    if (cv.wait_for(lock, std::chrono::seconds(60), [&] { return pageSeen; })) {
      pageSeenWhileHeld = true;
    }
  };
  snowsim::SnowflakeSim sim(options);
  auto src = bigSource(sim);
  source::ExtractRequest request;
  request.columns = {"EMAIL", "NOTE"};
  std::int64_t rows = 0;
  Status s = src->extract(request, [&](salesforce::RecordPage& page) {
    rows += static_cast<std::int64_t>(page.rows.size());
    std::lock_guard<std::mutex> lock(mu);
    pageSeen = true;
    cv.notify_all();
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(rows, 20000);
  EXPECT_TRUE(pageSeenWhileHeld);
}

TEST_F(SnowflakeSourceTest, AnAnswerCutOffMidwayIsFetchedAgainWithoutRepeatingRows) {
  int answers = 0;
  snowsim::SnowSimOptions options = simOptions();
  options.rowsPerPartition = 20000;
  options.midBody = [&answers] {  // the first large answer: the connection drops halfway
    if (++answers == 1) throw Poco::Net::ConnectionAbortedException("simulated cut");
  };
  snowsim::SnowflakeSim sim(options);
  auto src = bigSource(sim);
  source::ExtractRequest request;
  request.columns = {"EMAIL"};
  std::int64_t next = 0;
  bool inOrder = true;
  Status s = src->extract(request, [&](salesforce::RecordPage& page) {
    for (const auto& row : page.rows) {
      inOrder = inOrder && std::get<std::string>(row[0]) == "p" + std::to_string(next) + "@x.com";
      ++next;
    }
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(answers, 2);
  EXPECT_EQ(sim.counters().statements, 2);  // the POST again (retry=true, same requestId)
  EXPECT_EQ(next, 20000);                   // every row once, in order
  EXPECT_TRUE(inOrder);
}

TEST_F(SnowflakeSourceTest, ReRunReadsOnlyTheGivenIdentifiers) {
  SnowflakeSourceSpec spec;
  spec.query = table({"EMAIL", "LOGINS"});
  spec.onlyIdentifiers = {"p2@example.com", "p7@example.com", "gone@example.com"};
  auto src = source(spec);
  Status s;
  std::vector<salesforce::RecordPage> pages = extractAll(*src, {"Id", "LOGINS"}, &s);
  ASSERT_TRUE(s.ok()) << s.toString();
  std::vector<std::string> ids;
  for (const auto& page : pages) {
    for (const auto& row : page.rows) ids.push_back(std::get<std::string>(row[0]));
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"p2@example.com", "p7@example.com"}));
  EXPECT_EQ(sim_->lastStatement(),
            "SELECT EMAIL, LOGINS FROM DB.PUBLIC.USAGE WHERE EMAIL IN (?, ?, ?)");
  EXPECT_EQ(sim_->lastBindings().size(), 3u);
}

TEST_F(SnowflakeSourceTest, ThePlaceholdersAndBindingsMustMatch) {
  // The simulator checks bindings like Snowflake: a ? without a value is refused.
  SnowflakeSourceSpec spec;
  spec.query.query = "SELECT EMAIL FROM DB.PUBLIC.USAGE WHERE LOGINS > ?";
  auto src = source(spec);
  Status s;
  extractAll(*src, {"EMAIL"}, &s);
  EXPECT_EQ(s.remoteCode(), "SNOWFLAKE_002049") << s.toString();
}

TEST_F(SnowflakeSourceTest, HeldOptionsCountAgainstTheCap) {
  SimTable t;
  t.columns = {{"EMAIL", "text", 0}, {"FEATURES", "array", 0}};
  t.rows = {{"a@x.com", R"(["old1","new1","new2"])"}};
  sim_->setTable("DB.PUBLIC.FEATURES", t);
  SnowflakeSourceSpec spec;
  spec.query.table = "DB.PUBLIC.FEATURES";
  spec.query.fields = {"EMAIL", "FEATURES"};
  for (int i = 0; i < 99; ++i)
    spec.existingOptions["features"].push_back("old" + std::to_string(i));
  auto src = source(spec);
  Status s;
  std::vector<salesforce::RecordPage> pages = extractAll(*src, {"EMAIL", "FEATURES"}, &s);
  ASSERT_TRUE(s.ok()) << s.toString();
  // 99 held + new1 = 100: new2 is left out; old1 (held) is always kept.
  EXPECT_EQ(std::get<std::string>(pages.at(0).rows.at(0)[1]), "old1;new1");
  EXPECT_NE(src->note().find("FEATURES: 1 value(s) beyond the 100-option cap"), std::string::npos)
      << src->note();
}

TEST_F(SnowflakeSourceTest, WritingStatementsAreRefusedBeforeAnyRequest) {
  for (const char* sql : {"INSERT INTO DB.PUBLIC.USAGE VALUES ('x')", "  delete from t",
                          "MERGE INTO t USING s ON 1=1", "SELECT 1; DROP TABLE t",
                          "/* hi */ UPDATE t SET a = 1", "COPY INTO @stage FROM t"}) {
    SnowflakeQuery q;
    q.query = sql;
    Status valid = q.validate();
    EXPECT_EQ(valid.code(), StatusCode::kInvalidArgument) << sql;
    EXPECT_NE(valid.message().find("source.query"), std::string::npos) << sql;
    auto src = source(q);
    Status s;
    extractAll(*src, {}, &s);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << sql;
  }
  SnowflakeQuery ok;
  ok.query = "WITH x AS (SELECT 1) SELECT * FROM x";
  EXPECT_TRUE(ok.validate().ok());
  EXPECT_EQ(sim_->counters().statements, 0);
}

TEST(SnowflakeSourcePagesTest, ALargePartitionIsHandedOnInPagesOfAtMost2000Rows) {
  testing::FakeClock clock;
  snowsim::SnowSimOptions options;
  options.publicKeyPem = testing::kSnowPublicKeyPem;
  options.rowsPerPartition = 5000;
  options.nowSeconds = [&clock] {
    return static_cast<std::int64_t>(std::chrono::system_clock::to_time_t(clock.now()));
  };
  snowsim::SnowflakeSim sim(options);
  SimTable big;
  big.columns = {{"EMAIL", "text", 0}};
  big.generatedRows = 6500;  // partitions of 5000 and 1500 rows
  big.generate = [](std::int64_t i, Row& r) { r[0] = "p" + std::to_string(i) + "@x.com"; };
  sim.setTable("DB.PUBLIC.BIG", big);
  sim.start();
  testing::TempDir dir;
  dir.write("key.pem", testing::kSnowPrivateKeyPem);
  SnowflakeSourceSpec spec;
  spec.query.table = "DB.PUBLIC.BIG";
  spec.query.fields = {"EMAIL"};
  auto src = makeSnowflakeSource(testing::snowSettings(sim, dir.file("key.pem")), clock, spec);
  source::ExtractRequest request;
  request.columns = {"EMAIL"};
  std::vector<std::size_t> sizes;
  std::vector<int> indexes;
  std::string last;
  Status s = src->extract(request, [&](salesforce::RecordPage& page) {
    sizes.push_back(page.rows.size());
    indexes.push_back(page.pageIndex);
    EXPECT_EQ(page.done, sizes.size() == 4u);
    last = std::get<std::string>(page.rows.back()[0]);
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2000, 2000, 2000, 500}));  // across partitions
  EXPECT_EQ(indexes, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(last, "p6499@x.com");
}

// Reads one Snowflake string literal at the start of `sql` (a backslash escapes the next character,
// '' is a quote) and returns {its text, where it ended}; end = npos when the literal never closes.
std::pair<std::string, std::size_t> readSnowflakeLiteral(const std::string& sql) {
  std::string text;
  for (std::size_t i = 1; i < sql.size(); ++i) {
    if (sql[i] == '\\' && i + 1 < sql.size()) {
      text += sql[++i];
    } else if (sql[i] == '\'' && i + 1 < sql.size() && sql[i + 1] == '\'') {
      text += sql[++i];
    } else if (sql[i] == '\'') {
      return {text, i + 1};
    } else {
      text += sql[i];
    }
  }
  return {text, std::string::npos};
}

TEST(SnowflakeTextLiteral, BackslashesAndQuotesStayInsideTheLiteral) {
  for (const std::string cursor : {"x\\' OR 1=1 --", "ends in a backslash\\", "it's", "\\\\'\\"}) {
    const std::string sql = textLiteral(cursor) + " ORDER BY A";
    const auto [text, end] = readSnowflakeLiteral(sql);
    EXPECT_EQ(text, cursor);
    EXPECT_EQ(end, textLiteral(cursor).size()) << sql;
  }
}

TEST(SnowflakeTimestamps, TruncatedToMillisecondsWithoutCarryOrPre1970Error) {
  ResultColumn column;
  column.name = "UPDATED_AT";
  column.type = "timestamp_ntz";
  const auto iso = [&](const std::string& text) {
    Result<Value> v = decodeCell(column, text);
    return v.ok() && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v)
                                                             : "error: " + v.status().toString();
  };
  // Rounding would give ...:59.000 (no carry) or ...:00.000 (past a row not yet read).
  EXPECT_EQ(iso("1616173619.999600000"), "2021-03-19T17:06:59.999Z");
  EXPECT_EQ(iso("1616173619.123456789"), "2021-03-19T17:06:59.123Z");
  EXPECT_EQ(iso("1616173619"), "2021-03-19T17:06:59.000Z");
  EXPECT_EQ(iso("-1.000000000"), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(iso("-0.250000000"), "1969-12-31T23:59:59.750Z");
  EXPECT_EQ(iso("-86400.5"), "1969-12-30T23:59:59.500Z");
  column.type = "timestamp_tz";
  EXPECT_EQ(iso("1616173619.5 1440"), "2021-03-19T17:06:59.500Z");
  EXPECT_NE(iso("12x.5").find("not a valid value"), std::string::npos);
}

}  // namespace
}  // namespace sfsync::snowflake
