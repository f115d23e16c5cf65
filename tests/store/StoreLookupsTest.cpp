// Store::lookupGsids (a page's derived-mapping keys resolved in one statement): rows marked deleted
// are no candidates, equality follows the column's type, several matches come back ascending, a
// large page of keys, uncommitted writes are seen, and unknown names are errors, not crashes.
#include <gtest/gtest.h>

#include "fakes/TempDir.h"
#include "sfsync/store/Store.h"

namespace sfsync::store {
namespace {

using Gsids = std::vector<std::vector<std::string>>;

class StoreLookupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
  }

  // Company rows (SfdcAccountId, Employees, IsDeleted) with their gsids, by SfdcAccountId.
  std::map<std::string, std::string> load(const std::vector<Row>& rows) {
    TableSpec spec{"Company",
                   {{"SfdcAccountId", ColumnType::kText},
                    {"Employees", ColumnType::kInteger},
                    {kIsDeletedColumn, ColumnType::kBoolean}}};
    EXPECT_TRUE(store_->ensureTable(spec, {}).ok());
    // Keyed by (SfdcAccountId, Employees), so one Id may have several rows.
    UpsertRequest request{"Company",
                          {"SfdcAccountId", "Employees", kIsDeletedColumn},
                          {"SfdcAccountId", "Employees"},
                          false,
                          rows};
    Result<std::vector<RowOutcome>> outcomes = store_->upsert(request);
    EXPECT_TRUE(outcomes.ok()) << outcomes.status().toString();
    std::map<std::string, std::string> gsids;
    for (std::size_t i = 0; outcomes.ok() && i < rows.size(); ++i) {
      gsids[valueToText(rows[i][0]) + "/" + valueToText(rows[i][1])] = (*outcomes)[i].gsid;
    }
    return gsids;
  }

  Gsids lookup(const std::vector<std::string>& columns, const std::vector<Row>& keys) {
    Result<Gsids> found = store_->lookupGsids("Company", columns, keys);
    EXPECT_TRUE(found.ok()) << found.status().toString();
    return found.ok() ? *found : Gsids{};
  }

  static Value text(const char* s) { return Value(std::string(s)); }

  sfsync::testing::TempDir dir_;
  StorePtr store_;
};

TEST_F(StoreLookupsTest, MarkedRowsAreNoCandidatesAndNullsNeverMatch) {
  auto g = load({{text("A"), Value(std::int64_t{1}), Value(true)},
                 {text("B"), Value(std::int64_t{2}), Value(false)},
                 {text("C"), Value(std::int64_t{3}), Value{}}});
  const Gsids found =
      lookup({"SfdcAccountId"}, {{text("A")}, {text("B")}, {text("C")}, {Value{}}, {text("Z")}});
  EXPECT_EQ(found, (Gsids{{}, {g["B/2"]}, {g["C/3"]}, {}, {}}));
}

TEST_F(StoreLookupsTest, EqualityFollowsTheColumnTypeAndSeveralMatchesAreAscending) {
  auto g = load({{text("A"), Value(std::int64_t{42}), Value{}},
                 {text("A"), Value(std::int64_t{7}), Value{}},
                 {text("99"), Value(std::int64_t{1}), Value{}}});
  // An Employees of 42 matches the text "42" and the integer 42; "42x" matches nothing.
  EXPECT_EQ(lookup({"Employees"}, {{text("42")}, {Value(std::int64_t{42})}, {text("42x")}}),
            (Gsids{{g["A/42"]}, {g["A/42"]}, {}}));
  // And the other way round: the text SfdcAccountId "99" matches the integer 99.
  EXPECT_EQ(lookup({"SfdcAccountId"}, {{Value(std::int64_t{99})}, {text("99")}}),
            (Gsids{{g["99/1"]}, {g["99/1"]}}));
  std::vector<std::string> both{g["A/42"], g["A/7"]};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(lookup({"sfdcaccountid"}, {{text("A")}}), Gsids{both});  // column names: any case
  // Composite keys AND their columns.
  EXPECT_EQ(lookup({"SfdcAccountId", "Employees"},
                   {{text("A"), Value(std::int64_t{7})}, {text("A"), Value(std::int64_t{8})}}),
            (Gsids{{g["A/7"]}, {}}));
}

TEST_F(StoreLookupsTest, ResolvesAPageOfKeysInAnyOrderAndSeesUncommittedRows) {
  std::vector<Row> rows;
  std::vector<Row> keys;
  for (int i = 0; i < 1500; ++i) {
    rows.push_back({Value("Id" + std::to_string(i)), Value(std::int64_t{i}), Value{}});
    keys.push_back({Value("Id" + std::to_string(1499 - i))});
  }
  Status s = store_->transaction([&] {
    auto g = load(rows);
    const Gsids found = lookup({"SfdcAccountId"}, keys);
    EXPECT_EQ(found.size(), keys.size());
    for (std::size_t k = 0; k < keys.size() && k < found.size(); ++k) {
      const int i = 1499 - static_cast<int>(k);
      EXPECT_EQ(found[k],
                std::vector<std::string>{g["Id" + std::to_string(i) + "/" + std::to_string(i)]})
          << k;
    }
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.toString();
}

// The statement is cached: a table that gains the delete mark later (a job switched to
// onSourceDelete markDeleted) must get a statement that filters on it.
TEST_F(StoreLookupsTest, ATableThatGainsTheDeleteMarkIsFilteredFromThenOn) {
  TableSpec plain{"Widget", {{"Code", ColumnType::kText}}};
  ASSERT_TRUE(store_->ensureTable(plain, {}).ok());
  UpsertRequest request{"Widget", {"Code"}, {"Code"}, false, {}};
  std::vector<Row> keys;
  for (int i = 0; i < 400; ++i) {  // one full batch: the statement that gets cached
    request.rows.push_back({Value("W" + std::to_string(i))});
    keys.push_back({Value("W" + std::to_string(i))});
  }
  ASSERT_TRUE(store_->upsert(request).ok());
  auto before = store_->lookupGsids("Widget", {"Code"}, keys);
  ASSERT_TRUE(before.ok()) << before.status().toString();
  EXPECT_EQ((*before)[0].size(), 1u);

  TableSpec marked = plain;
  marked.columns.push_back({kIsDeletedColumn, ColumnType::kBoolean});
  ASSERT_TRUE(store_->ensureTable(marked, {}).ok());
  UpsertRequest mark{"Widget",
                     {"Code", kIsDeletedColumn},
                     {"Code"},
                     false,
                     {{Value(std::string("W0")), Value(true)}}};
  ASSERT_TRUE(store_->upsert(mark).ok());
  auto after = store_->lookupGsids("Widget", {"Code"}, keys);
  ASSERT_TRUE(after.ok()) << after.status().toString();
  EXPECT_TRUE((*after)[0].empty());  // W0 is marked deleted now
  EXPECT_EQ((*after)[1].size(), 1u);
}

TEST_F(StoreLookupsTest, MissingTablesMatchNothingAndBadArgumentsAreErrors) {
  Result<Gsids> absent = store_->lookupGsids("Nothing", {"SfdcAccountId"}, {{text("A")}});
  ASSERT_TRUE(absent.ok()) << absent.status().toString();
  EXPECT_EQ(*absent, Gsids{{}});
  load({{text("A"), Value(std::int64_t{1}), Value{}}});
  EXPECT_EQ(store_->lookupGsids("Company", {"Nope"}, {{text("A")}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      store_->lookupGsids("Company", {"SfdcAccountId"}, {{text("A"), text("B")}}).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->lookupGsids("Company", {}, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sfsync::store
