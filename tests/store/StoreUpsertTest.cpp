// Conformance: upsert resolution (create, update, composite keys, null keys, update-only, ambiguous
// keys, duplicates within a request, row-level load failures), value round trips per column type,
// and select with equality filters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <limits>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

using ::testing::HasSubstr;

class StoreUpsertTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store()
                    .ensureTable(tableSpec("Contact", {col("Id"), col("Email"), col("First"),
                                                       col("Last"), col("Note")}),
                                 {"Id"})
                    .ok());
  }
};

TEST_P(StoreUpsertTest, CreatesThenUpdatesTheSameRow) {
  std::vector<RowOutcome> first =
      upsertOk(request("Contact", {"Id", "Note"}, {"Id"}, {{text("001"), text("one")}}));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].action, RowAction::kCreated);
  EXPECT_EQ(first[0].gsid.size(), 36u) << first[0].gsid;

  std::vector<RowOutcome> second =
      upsertOk(request("Contact", {"Id", "Note"}, {"Id"}, {{text("001"), text("two")}}));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].action, RowAction::kUpdated);
  EXPECT_EQ(second[0].gsid, first[0].gsid);
  EXPECT_TRUE(second[0].reasonCode.empty());

  EXPECT_EQ(countOf("Contact"), 1);
  EXPECT_EQ(selectOk("Contact", {"gsid", "Id", "Note"}),
            (std::vector<Row>{{Value{first[0].gsid}, text("001"), text("two")}}));
}

TEST_P(StoreUpsertTest, UpdateLeavesColumnsOutsideTheRequestAlone) {
  upsertOk(
      request("Contact", {"Id", "Email", "Note"}, {"Id"}, {{text("1"), text("a@x"), text("n1")}}));
  upsertOk(request("Contact", {"Id", "Note"}, {"Id"}, {{text("1"), text("n2")}}));
  EXPECT_EQ(selectOk("Contact", {"Email", "Note"}), (std::vector<Row>{{text("a@x"), text("n2")}}));
}

TEST_P(StoreUpsertTest, CompositeKeysMatchOnEveryColumn) {
  const std::vector<std::string> cols = {"First", "Last", "Note"};
  const std::vector<std::string> key = {"First", "Last"};
  std::vector<RowOutcome> out = upsertOk(request("Contact", cols, key,
                                                 {{text("Ann"), text("Lee"), text("a")},
                                                  {text("Ann"), text("Kim"), text("b")},
                                                  {text("Bob"), text("Lee"), text("c")}}));
  ASSERT_EQ(out.size(), 3u);
  for (const RowOutcome& o : out) EXPECT_EQ(o.action, RowAction::kCreated);

  std::vector<RowOutcome> again =
      upsertOk(request("Contact", cols, key, {{text("Ann"), text("Kim"), text("b2")}}));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].action, RowAction::kUpdated);
  EXPECT_EQ(again[0].gsid, out[1].gsid);
  EXPECT_EQ(countOf("Contact"), 3);
  EXPECT_EQ(selectOk("Contact", {"Note"}, {{"First", text("Ann")}, {"Last", text("Kim")}}),
            (std::vector<Row>{{text("b2")}}));
}

TEST_P(StoreUpsertTest, NullKeyIsRequiredMissingAndTheRestOfTheRequestLoads) {
  std::vector<RowOutcome> out =
      upsertOk(request("Contact", {"First", "Last", "Note"}, {"First", "Last"},
                       {{text("Ann"), Value{}, text("x")},
                        {Value{}, Value{}, text("y")},
                        {text("Ann"), text("Lee"), text("z")}}));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].action, RowAction::kRejected);
  EXPECT_EQ(out[0].reasonCode, "REQUIRED_MISSING");
  EXPECT_THAT(out[0].message, HasSubstr("Last"));
  EXPECT_THAT(out[0].message, ::testing::Not(HasSubstr("First")));
  EXPECT_EQ(out[1].reasonCode, "REQUIRED_MISSING");
  EXPECT_THAT(out[1].message, HasSubstr("First"));
  EXPECT_THAT(out[1].message, HasSubstr("Last"));
  EXPECT_TRUE(out[0].gsid.empty());
  EXPECT_EQ(out[2].action, RowAction::kCreated);
  EXPECT_EQ(countOf("Contact"), 1);
}

TEST_P(StoreUpsertTest, UpdateOnlySkipsRowsWithoutAMatch) {
  const std::vector<RowOutcome> created =
      upsertOk(request("Contact", {"Id", "Note"}, {"Id"}, {{text("1"), text("old")}}));
  std::vector<RowOutcome> out = upsertOk(request(
      "Contact", {"Id", "Note"}, {"Id"}, {{text("2"), text("new")}, {text("1"), text("upd")}},
      /*updateOnly=*/true));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].action, RowAction::kSkipped);
  EXPECT_EQ(out[0].reasonCode, "NO_MATCH_UPDATE_ONLY");
  EXPECT_TRUE(out[0].gsid.empty());
  EXPECT_EQ(out[1].action, RowAction::kUpdated);
  EXPECT_EQ(out[1].gsid, created[0].gsid);
  EXPECT_EQ(countOf("Contact"), 1);
  EXPECT_EQ(selectOk("Contact", {"Note"}), (std::vector<Row>{{text("upd")}}));
}

TEST_P(StoreUpsertTest, SeveralExistingMatchesAreRejectedWithTheirGsids) {
  // Two rows that share an Email, loaded under a different key.
  std::vector<RowOutcome> seed = upsertOk(request(
      "Contact", {"Id", "Email"}, {"Id"},
      {{text("1"), text("dup@x")}, {text("2"), text("dup@x")}, {text("3"), text("one@x")}}));
  ASSERT_EQ(seed.size(), 3u);
  std::vector<std::string> expected = {seed[0].gsid, seed[1].gsid};
  std::sort(expected.begin(), expected.end());

  std::vector<RowOutcome> out =
      upsertOk(request("Contact", {"Email", "Note"}, {"Email"},
                       {{text("dup@x"), text("n")}, {text("one@x"), text("m")}}));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].action, RowAction::kRejected);
  EXPECT_EQ(out[0].reasonCode, "UPSERT_MULTIPLE_MATCHES");
  std::vector<std::string> got = out[0].candidates;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected);
  EXPECT_THAT(out[0].message, HasSubstr(expected[0]));
  EXPECT_THAT(out[0].message, HasSubstr(expected[1]));
  EXPECT_TRUE(out[0].gsid.empty());
  EXPECT_EQ(out[1].action, RowAction::kUpdated);
  EXPECT_EQ(out[1].gsid, seed[2].gsid);
  // The ambiguous rows were not touched.
  EXPECT_EQ(selectOk("Contact", {"Note"}, {{"Email", text("dup@x")}}),
            (std::vector<Row>{{Value{}}, {Value{}}}));
}

// 11 matches (read whole by SQLite's set-based search) and 12 (past what a key search reads) are
// both "more than 10"; a second key of the request still loads.
TEST_P(StoreUpsertTest, ManyMatchesListTheFirstTenCandidates) {
  for (std::int64_t many : {11, 12}) {
    SCOPED_TRACE(many);
    const std::string email = "same" + std::to_string(many) + "@x";
    std::vector<std::vector<Value>> rows;
    for (std::int64_t i = 0; i < many; ++i)
      rows.push_back({integer(100 * many + i), text(email.c_str())});
    upsertOk(request("Contact", {"Id", "Email"}, {"Id"}, rows));
    std::vector<RowOutcome> out =
        upsertOk(request("Contact", {"Email", "Note"}, {"Email"},
                         {{text(email.c_str()), text("n")}, {text("new@x"), text("m")}}));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].reasonCode, "UPSERT_MULTIPLE_MATCHES");
    EXPECT_EQ(out[0].candidates.size(), 10u);
    EXPECT_THAT(out[0].message, HasSubstr("more than 10"));
    EXPECT_EQ(out[1].action, many == 11 ? RowAction::kCreated : RowAction::kUpdated);
  }
  EXPECT_EQ(countOf("Contact"), 24);
}

TEST_P(StoreUpsertTest, ALaterRowSeesAnEarlierInsertOfTheSameRequest) {
  std::vector<RowOutcome> out = upsertOk(request(
      "Contact", {"Id", "Note"}, {"Id"},
      {{text("7"), text("first")}, {text("8"), text("other")}, {text("7"), text("second")}}));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].action, RowAction::kCreated);
  EXPECT_EQ(out[2].action, RowAction::kUpdated);
  EXPECT_EQ(out[2].gsid, out[0].gsid);
  EXPECT_EQ(countOf("Contact"), 2);
  EXPECT_EQ(selectOk("Contact", {"Note"}, {{"Id", text("7")}}),
            (std::vector<Row>{{text("second")}}));
}

TEST_P(StoreUpsertTest, OneRequestCarriesEveryOutcomeAtOnce) {
  std::vector<RowOutcome> seed = upsertOk(
      request("Contact", {"Id", "Note"}, {"Id"}, {{text("1"), text("a")}, {text("2"), text("b")}}));
  std::vector<RowOutcome> out = upsertOk(request("Contact", {"Id", "Note"}, {"Id"},
                                                 {{text("1"), text("a2")},
                                                  {Value{}, text("x")},
                                                  {text("2"), text("b")},
                                                  {text("3"), text("c")},
                                                  {text("4"), text("d")}}));
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].action, RowAction::kUpdated);
  EXPECT_EQ(out[0].gsid, seed[0].gsid);
  EXPECT_FALSE(out[0].unchanged);
  EXPECT_EQ(out[1].reasonCode, "REQUIRED_MISSING");
  EXPECT_EQ(out[2].action, RowAction::kUpdated);
  EXPECT_TRUE(out[2].unchanged);
  EXPECT_EQ(out[3].action, RowAction::kCreated);
  EXPECT_EQ(out[4].action, RowAction::kCreated);
  EXPECT_NE(out[3].gsid, out[4].gsid);
  std::vector<Row> rows = selectOk("Contact", {"gsid", "Id", "Note"});
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a[1] < b[1]; });
  EXPECT_EQ(rows, (std::vector<Row>{{Value{seed[0].gsid}, text("1"), text("a2")},
                                    {Value{seed[1].gsid}, text("2"), text("b")},
                                    {Value{out[3].gsid}, text("3"), text("c")},
                                    {Value{out[4].gsid}, text("4"), text("d")}}));
}

// A key compares with the column's type applied, as SQL compares it: 42 finds '42', and a
// request that names one key both ways sees its own earlier row.
TEST_P(StoreUpsertTest, AKeyOfAnotherTypeMatchesAsTheColumnReadsIt) {
  std::vector<RowOutcome> seed =
      upsertOk(request("Contact", {"Id", "Note"}, {"Id"}, {{text("42"), text("a")}}));
  std::vector<RowOutcome> out = upsertOk(
      request("Contact", {"Id", "Note"}, {"Id"},
              {{integer(42), text("b")}, {integer(7), text("c")}, {text("7"), text("d")}}));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].action, RowAction::kUpdated);
  EXPECT_EQ(out[0].gsid, seed[0].gsid);
  EXPECT_EQ(out[1].action, RowAction::kCreated);
  EXPECT_EQ(out[2].action, RowAction::kUpdated);
  EXPECT_EQ(out[2].gsid, out[1].gsid);
  EXPECT_EQ(countOf("Contact"), 2);
  EXPECT_EQ(selectOk("Contact", {"Note"}, {{"Id", text("7")}}), (std::vector<Row>{{text("d")}}));
}

TEST_P(StoreUpsertTest, RequestWhoseColumnsAreAllKeysUpdatesByMatching) {
  std::vector<RowOutcome> a = upsertOk(request("Contact", {"Id"}, {"Id"}, {{text("1")}}));
  std::vector<RowOutcome> b = upsertOk(request("Contact", {"Id"}, {"Id"}, {{text("1")}}));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].action, RowAction::kUpdated);
  EXPECT_EQ(b[0].gsid, a[0].gsid);
}

TEST_P(StoreUpsertTest, EmptyRequestIsFine) {
  EXPECT_TRUE(upsertOk(request("Contact", {"Id"}, {"Id"}, {})).empty());
}

class StoreValuesTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(
        store()
            .ensureTable(
                tableSpec("Typed", {col("K", ColumnType::kInteger), col("T", ColumnType::kText),
                                    col("I", ColumnType::kInteger), col("R", ColumnType::kReal),
                                    col("B", ColumnType::kBoolean), col("D", ColumnType::kDate),
                                    col("DT", ColumnType::kDateTime)}),
                {"K"})
            .ok());
  }
  const std::vector<std::string> cols_ = {"K", "T", "I", "R", "B", "D", "DT"};
};

TEST_P(StoreValuesTest, EveryTypeRoundTrips) {
  using Limits = std::numeric_limits<std::int64_t>;
  const std::vector<Row> rows = {
      {integer(1), text("plain"), integer(Limits::max()), Value{3.141592653589793}, Value{true},
       text("2026-11-23"), text("2026-11-23T10:30:00.123Z")},
      {integer(2),
       Value{std::string("it's \"quoted\"; -- \xC3\xA9\xE2\x82\xAC \xF0\x9F\x98\x80\nnl")},
       integer(Limits::min()), Value{-1.5e-300}, Value{false}, text("1970-01-01"),
       text("1999-12-31T23:59:59.999Z")},
      {integer(3), Value{std::string("nul\0inside", 10)}, integer(0), Value{-0.25}, Value{true},
       Value{}, Value{}},
      {integer(4), Value{}, Value{}, Value{}, Value{}, Value{}, Value{}},
      {integer(5), text(""), integer(-1), Value{1e300}, Value{false}, text(""), text("")},
  };
  std::vector<RowOutcome> out = upsertOk(request("Typed", cols_, {"K"}, rows));
  std::vector<Row> expected = rows;
  if (GetParam() == "postgresql") {
    // PostgreSQL text cannot hold a NUL byte: that row is LOAD_FAILED (and nothing else of the
    // request fails); an empty date or datetime is stored as NULL (native date types).
    ASSERT_EQ(out.size(), rows.size());
    EXPECT_EQ(out[2].action, RowAction::kRejected);
    EXPECT_EQ(out[2].reasonCode, "LOAD_FAILED");
    EXPECT_THAT(out[2].message, HasSubstr("NUL"));
    out.erase(out.begin() + 2);
    expected.erase(expected.begin() + 2);
    expected.back()[5] = Value{};
    expected.back()[6] = Value{};
  }
  for (const RowOutcome& o : out) EXPECT_EQ(o.action, RowAction::kCreated) << o.message;
  std::vector<Row> got = selectOk("Typed", cols_);  // ordered by gsid: sort by K to compare
  std::sort(got.begin(), got.end(), [](const Row& a, const Row& b) {
    return std::get<std::int64_t>(a[0]) < std::get<std::int64_t>(b[0]);
  });
  EXPECT_EQ(got, expected);
}

TEST_P(StoreValuesTest, ValueThatDoesNotFitItsColumnIsLoadFailedAndTheRequestContinues) {
  std::vector<RowOutcome> out = upsertOk(request(
      "Typed", {"K", "I"}, {"K"},
      {{integer(1), integer(10)}, {integer(2), text("not a number")}, {integer(3), integer(30)}}));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].action, RowAction::kCreated);
  EXPECT_EQ(out[1].action, RowAction::kRejected);
  EXPECT_EQ(out[1].reasonCode, "LOAD_FAILED");
  EXPECT_THAT(out[1].message, HasSubstr("I"));
  EXPECT_FALSE(out[1].message.empty());
  EXPECT_EQ(out[2].action, RowAction::kCreated);
  EXPECT_EQ(countOf("Typed"), 2);

  // Same on the update path: the failed update leaves the row as it was.
  out = upsertOk(request("Typed", {"K", "I"}, {"K"}, {{integer(1), text("bad")}}));
  EXPECT_EQ(out[0].reasonCode, "LOAD_FAILED");
  EXPECT_EQ(selectOk("Typed", {"I"}, {{"K", integer(1)}}), (std::vector<Row>{{integer(10)}}));
}

// Refused rows amid a page of new rows: the rows before, between and after them are all created,
// each with its own values and gsid, and only the refused ones are rejected.
TEST_P(StoreValuesTest, RefusedRowsAmidManyNewRowsRejectOnlyThemselves) {
  std::vector<std::vector<Value>> rows;
  for (std::int64_t k = 0; k < 60; ++k) {
    rows.push_back({integer(k), k == 10 || k == 11 || k == 40 ? text("bad") : integer(k * 100)});
  }
  std::vector<RowOutcome> out = upsertOk(request("Typed", {"K", "I"}, {"K"}, rows));
  ASSERT_EQ(out.size(), rows.size());
  std::vector<Row> expected;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    SCOPED_TRACE(k);
    if (k == 10 || k == 11 || k == 40) {
      EXPECT_EQ(out[k].action, RowAction::kRejected);
      EXPECT_EQ(out[k].reasonCode, "LOAD_FAILED");
      continue;
    }
    EXPECT_EQ(out[k].action, RowAction::kCreated);
    expected.push_back({Value{out[k].gsid}, rows[k][0], rows[k][1]});
  }
  std::vector<Row> got = selectOk("Typed", {"gsid", "K", "I"});
  std::sort(got.begin(), got.end(), [](const Row& a, const Row& b) { return a[1] < b[1]; });
  EXPECT_EQ(got, expected);
}

TEST_P(StoreValuesTest, SelectFiltersOnEqualityAndNull) {
  upsertOk(request("Typed", {"K", "T", "B"}, {"K"},
                   {{integer(1), text("a"), Value{true}},
                    {integer(2), text("a"), Value{false}},
                    {integer(3), text("b"), Value{true}},
                    {integer(4), Value{}, Value{true}}}));
  auto keys = [&](const std::vector<std::pair<std::string, Value>>& equals) {
    std::vector<std::int64_t> k;
    for (const Row& r : selectOk("Typed", {"K"}, equals)) k.push_back(std::get<std::int64_t>(r[0]));
    std::sort(k.begin(), k.end());
    return k;
  };
  EXPECT_EQ(keys({}), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(keys({{"T", text("a")}}), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(keys({{"T", text("a")}, {"B", Value{true}}}), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(keys({{"T", Value{}}}), (std::vector<std::int64_t>{4}));
  EXPECT_EQ(keys({{"T", text("zzz")}}), (std::vector<std::int64_t>{}));

  // Rows come back ordered by gsid, and gsid can be a filter.
  std::vector<Row> all = selectOk("Typed", {"gsid", "K"});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const Row& a, const Row& b) {
    return std::get<std::string>(a[0]) < std::get<std::string>(b[0]);
  }));
  EXPECT_EQ(selectOk("Typed", {"K"}, {{"gsid", all[2][0]}}), (std::vector<Row>{{all[2][1]}}));
}

// Issue 10: an update whose values the row already holds is not rewritten and reports unchanged.
TEST_P(StoreValuesTest, AnUpdateTheRowAlreadyHoldsIsUnchanged) {
  const std::vector<Row> rows = {
      {integer(1), text("plain"), integer(7), Value{3.141592653589793}, Value{true},
       text("2026-11-23"), text("2026-11-23T10:30:00.123Z")},
      {integer(2), Value{}, Value{}, Value{}, Value{}, Value{}, Value{}},
      {integer(3), text(""), integer(-1), Value{-0.25}, Value{false}, text("1970-01-01"), Value{}},
  };
  for (const RowOutcome& o : upsertOk(request("Typed", cols_, {"K"}, rows))) {
    EXPECT_EQ(o.action, RowAction::kCreated) << o.message;
    EXPECT_FALSE(o.unchanged);
  }
  for (const RowOutcome& o : upsertOk(request("Typed", cols_, {"K"}, rows))) {
    EXPECT_EQ(o.action, RowAction::kUpdated) << o.message;
    EXPECT_TRUE(o.unchanged);
  }
  // One value differs in rows 1 and 3 (a boolean flipped, a real that becomes null); row 2 is
  // sent as stored: only it is unchanged.
  std::vector<Row> changed = rows;
  changed[0][4] = Value{false};
  changed[2][3] = Value{};
  std::vector<RowOutcome> out = upsertOk(request("Typed", cols_, {"K"}, changed));
  ASSERT_EQ(out.size(), 3u);
  for (const RowOutcome& o : out) EXPECT_EQ(o.action, RowAction::kUpdated) << o.message;
  EXPECT_FALSE(out[0].unchanged);
  EXPECT_TRUE(out[1].unchanged);
  EXPECT_FALSE(out[2].unchanged);
  // A null that gets a value is a change too.
  changed[1][1] = text("now set");
  out = upsertOk(request("Typed", cols_, {"K"}, {changed[1]}));
  EXPECT_FALSE(out[0].unchanged);
  std::vector<Row> got = selectOk("Typed", cols_);
  std::sort(got.begin(), got.end(), [](const Row& a, const Row& b) {
    return std::get<std::int64_t>(a[0]) < std::get<std::int64_t>(b[0]);
  });
  EXPECT_EQ(got, changed);
}

// Duplicate keys within one run: rows tagged with the run (sfsync_run) and the record's stamp.
class StoreDuplicateKeysTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store()
                    .ensureTable(tableSpec("Person", {col("Email"), col("Name"),
                                                      col(kRunTagColumn, ColumnType::kInteger),
                                                      col(kRunStampColumn)}),
                                 {"Email"})
                    .ok());
  }
  // One row per (email, name, stamp), all written by run `run`.
  static UpsertRequest tagged(std::int64_t run,
                              const std::vector<std::array<const char*, 3>>& rows) {
    UpsertRequest r =
        request("Person", {"Email", "Name", kRunTagColumn, kRunStampColumn}, {"Email"}, {});
    r.runColumn = kRunTagColumn;
    r.stampColumn = kRunStampColumn;
    for (const auto& [email, name, stamp] : rows) {
      r.rows.push_back({text(email), text(name), integer(run), text(stamp)});
    }
    return r;
  }
};

TEST_P(StoreDuplicateKeysTest, TheNewestStampWinsWithinOneRunInAnyOrder) {
  std::vector<RowOutcome> out = upsertOk(tagged(7, {{"a@x", "old", "2024-01-01T00:00:01Z"},
                                                    {"a@x", "new", "2024-01-01T00:00:03Z"},
                                                    {"a@x", "older", "2024-01-01T00:00:02Z"}}));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].action, RowAction::kCreated);
  EXPECT_FALSE(out[0].duplicate);
  EXPECT_EQ(out[1].action, RowAction::kUpdated);  // newer: overwrites, counted as a duplicate
  EXPECT_TRUE(out[1].duplicate);
  EXPECT_EQ(out[2].action, RowAction::kSkipped);  // older than what the run wrote: not written
  EXPECT_TRUE(out[2].duplicate);
  EXPECT_EQ(out[2].reasonCode, reason::kDuplicateKeyOlder);
  EXPECT_EQ(out[2].gsid, out[0].gsid);  // but linked to the row
  EXPECT_EQ(selectOk("Person", {"Name"}), (std::vector<Row>{{text("new")}}));

  // A later request of the same run (the next page) sees it too; an equal stamp wins.
  out = upsertOk(tagged(
      7, {{"a@x", "stale", "2024-01-01T00:00:00Z"}, {"a@x", "same", "2024-01-01T00:00:03Z"}}));
  EXPECT_EQ(out[0].action, RowAction::kSkipped);
  EXPECT_EQ(out[1].action, RowAction::kUpdated);
  EXPECT_TRUE(out[0].duplicate && out[1].duplicate);
  EXPECT_EQ(selectOk("Person", {"Name"}), (std::vector<Row>{{text("same")}}));
}

// A stamp may end with the record's identity (after kStampIdentitySeparator): the same record read
// again by the same run (a resume) is an ordinary update whatever its order part says; another
// record with an equal order part is a duplicate.
TEST_P(StoreDuplicateKeysTest, TheSameRecordReadAgainIsNoDuplicate) {
  const std::string sep(1, kStampIdentitySeparator);
  const std::string newer = "2024-01-02" + sep + "003A";
  const std::string older = "2024-01-01" + sep + "003A";  // the same record, its stamp went back
  const std::string twin = "2024-01-02" + sep + "003B";   // another record, the same order part
  upsertOk(tagged(7, {{"a@x", "first", newer.c_str()}}));
  std::vector<RowOutcome> out = upsertOk(tagged(7, {{"a@x", "again", older.c_str()}}));
  EXPECT_EQ(out[0].action, RowAction::kUpdated);
  EXPECT_FALSE(out[0].duplicate);
  out = upsertOk(tagged(7, {{"a@x", "twin", twin.c_str()}}));
  EXPECT_EQ(out[0].action, RowAction::kUpdated);  // newer than the row's (older) stamp
  EXPECT_TRUE(out[0].duplicate);
  out = upsertOk(tagged(7, {{"a@x", "back", older.c_str()}, {"a@x", "b-twin", twin.c_str()}}));
  EXPECT_EQ(out[0].action, RowAction::kSkipped);  // 003A is older than 003B's row now
  EXPECT_TRUE(out[0].duplicate);
  EXPECT_EQ(out[1].action, RowAction::kUpdated);
  EXPECT_FALSE(out[1].duplicate);  // 003B again, within one request
  EXPECT_EQ(selectOk("Person", {"Name"}), (std::vector<Row>{{text("b-twin")}}));
  // A tie: another record (003C) with the row's order part: a duplicate, and the later one wins.
  const std::string tie = "2024-01-02" + sep + "003C";
  out = upsertOk(tagged(7, {{"a@x", "tie", tie.c_str()}}));
  EXPECT_EQ(out[0].action, RowAction::kUpdated);
  EXPECT_TRUE(out[0].duplicate);
  EXPECT_FALSE(sameStampIdentity("x" + sep, "y" + sep));  // an empty identity names no record
  EXPECT_FALSE(sameStampIdentity("2024", "2024"));        // no identity at all
}

TEST_P(StoreDuplicateKeysTest, ARowOfAnotherRunIsAnOrdinaryUpdate) {
  upsertOk(tagged(7, {{"a@x", "run7", "2024-06-01T00:00:00Z"}}));
  std::vector<RowOutcome> out = upsertOk(tagged(8, {{"a@x", "run8", "2020-01-01T00:00:00Z"}}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].action, RowAction::kUpdated);
  EXPECT_FALSE(out[0].duplicate);
  EXPECT_EQ(selectOk("Person", {"Name", kRunTagColumn}),
            (std::vector<Row>{{text("run8"), integer(8)}}));
}

TEST_P(StoreDuplicateKeysTest, AnUnchangedRowStillTakesTheRunsTag) {
  upsertOk(tagged(7, {{"a@x", "same", "2024-06-01T00:00:00Z"}}));
  // Run 8 reads the record again with its values unchanged (a newer stamp): nothing of the data is
  // rewritten, but the row now carries run 8's tag and stamp ...
  std::vector<RowOutcome> out = upsertOk(tagged(8, {{"a@x", "same", "2024-06-02T00:00:00Z"}}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].action, RowAction::kUpdated);
  EXPECT_TRUE(out[0].unchanged);
  EXPECT_FALSE(out[0].duplicate);
  EXPECT_EQ(selectOk("Person", {"Name", kRunTagColumn, kRunStampColumn}),
            (std::vector<Row>{{text("same"), integer(8), text("2024-06-02T00:00:00Z")}}));
  // ... so an older record of run 8 with the same key is still a duplicate and loses.
  out = upsertOk(tagged(8, {{"a@x", "older", "2024-06-01T12:00:00Z"}}));
  EXPECT_EQ(out[0].action, RowAction::kSkipped);
  EXPECT_TRUE(out[0].duplicate);
  EXPECT_EQ(selectOk("Person", {"Name"}), (std::vector<Row>{{text("same")}}));
}

TEST_P(StoreDuplicateKeysTest, WhatARunWroteRollsBackWithItsTransaction) {
  Status rolledBack = store().transaction([&] {
    EXPECT_FALSE(upsertOk(tagged(7, {{"a@x", "new", "2024-01-01T00:00:09Z"}})).empty());
    return Status::Unavailable("roll back");
  });
  EXPECT_FALSE(rolledBack.ok());
  std::vector<RowOutcome> out = upsertOk(tagged(7, {{"a@x", "old", "2024-01-01T00:00:01Z"}}));
  EXPECT_EQ(out[0].action, RowAction::kCreated);
  EXPECT_FALSE(out[0].duplicate);
}

TEST_P(StoreDuplicateKeysTest, TagColumnsMustBeNonKeyColumnsOfTheRequestAndComeTogether) {
  UpsertRequest r = tagged(7, {{"a@x", "n", "s"}});
  r.stampColumn.clear();
  EXPECT_EQ(store().upsert(r).status().code(), StatusCode::kInvalidArgument);
  r = tagged(7, {{"a@x", "n", "s"}});
  r.runColumn = "Email";
  EXPECT_EQ(store().upsert(r).status().code(), StatusCode::kInvalidArgument);
  r = tagged(7, {{"a@x", "n", "s"}});
  r.stampColumn = "Nope";
  EXPECT_EQ(store().upsert(r).status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreUpsertTest, ::testing::ValuesIn(storeBackends()),
                         backendName);
INSTANTIATE_TEST_SUITE_P(Backends, StoreDuplicateKeysTest, ::testing::ValuesIn(storeBackends()),
                         backendName);
INSTANTIATE_TEST_SUITE_P(Backends, StoreValuesTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
