// Conformance: ensureTable (create, widen, type changes, bad specs), identifiers that need quoting,
// and the not-found / invalid-argument contract of select, count and upsert.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

using ::testing::HasSubstr;

class StoreTablesTest : public StoreTest {};

TEST_P(StoreTablesTest, CreatesEmptyTableWithGsidAndColumns) {
  const TableSpec spec =
      tableSpec("Company", {col("Name"), col("Employees", ColumnType::kInteger)});
  ASSERT_TRUE(store().ensureTable(spec, {"Name"}).ok());
  EXPECT_EQ(countOf("Company"), 0);
  EXPECT_TRUE(selectOk("Company", {"gsid", "Name", "Employees"}).empty());
  // Idempotent.
  Status again = store().ensureTable(spec, {"Name"});
  EXPECT_TRUE(again.ok()) << again.toString();
}

TEST_P(StoreTablesTest, WidensButNeverDrops) {
  ASSERT_TRUE(store().ensureTable(tableSpec("Company", {col("Id"), col("Old")}), {}).ok());
  upsertOk(request("Company", {"Id", "Old"}, {"Id"}, {{text("1"), text("kept")}}));

  // The new spec lacks "Old" and adds "Added".
  Status s = store().ensureTable(tableSpec("Company", {col("Id"), col("Added", ColumnType::kReal)}),
                                 {"Added"});
  ASSERT_TRUE(s.ok()) << s.toString();
  const std::vector<Row> rows = selectOk("Company", {"Id", "Old", "Added"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{text("1"), text("kept"), Value{}}));

  upsertOk(request("Company", {"Id", "Added"}, {"Id"}, {{text("1"), Value{2.5}}}));
  EXPECT_EQ(selectOk("Company", {"Old", "Added"})[0], (Row{text("kept"), Value{2.5}}));
}

TEST_P(StoreTablesTest, ChangedColumnTypeIsAnErrorNamingTableColumnAndTypes) {
  ASSERT_TRUE(
      store().ensureTable(tableSpec("Company", {col("Employees", ColumnType::kInteger)}), {}).ok());
  // The same call also asks for a new column: nothing of a failed call may be applied.
  Status s = store().ensureTable(
      tableSpec("Company", {col("Employees", ColumnType::kText), col("Extra")}), {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("Company"));
  EXPECT_THAT(s.message(), HasSubstr("Employees"));
  EXPECT_THAT(s.message(), HasSubstr("integer"));
  EXPECT_THAT(s.message(), HasSubstr("text"));
  EXPECT_EQ(store().select("Company", {"Extra"}).status().code(), StatusCode::kInvalidArgument);

  // Boolean and Integer share a storage class but are different declared types.
  s = store().ensureTable(tableSpec("Company", {col("Employees", ColumnType::kBoolean)}), {});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("boolean"));
}

TEST_P(StoreTablesTest, RejectsBadSpecs) {
  EXPECT_EQ(store().ensureTable(tableSpec("", {col("A")}), {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().ensureTable(tableSpec("T", {col("gsid")}), {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().ensureTable(tableSpec("T", {col("A"), col("a")}), {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().ensureTable(tableSpec("T", {col("")}), {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().ensureTable(tableSpec("sfsync_executions", {col("A")}), {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().ensureTable(tableSpec("T", {col("A")}), {"Missing"}).code(),
            StatusCode::kInvalidArgument);
  // The failed call with a bad index column created nothing.
  EXPECT_EQ(store().select("T", {"A"}).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTablesTest, IdentifiersWithSpacesAndQuotes) {
  const std::string table = "Company \"Person\" 'x'";
  const std::string key = "Key Col";
  const std::string value = "Full \"Name\"; DROP TABLE x; --";
  ASSERT_TRUE(store().ensureTable(tableSpec(table, {col(key), col(value)}), {key, value}).ok());
  std::vector<RowOutcome> out =
      upsertOk(request(table, {key, value}, {key}, {{text("k1"), text("v1")}}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].action, RowAction::kCreated);
  out = upsertOk(request(table, {key, value}, {key}, {{text("k1"), text("v2")}}));
  EXPECT_EQ(out[0].action, RowAction::kUpdated);
  EXPECT_EQ(countOf(table), 1);
  EXPECT_EQ(selectOk(table, {value}, {{key, text("k1")}}), (std::vector<Row>{{text("v2")}}));

  ASSERT_TRUE(store().ensureTable(tableSpec("Company Person", {col("A")}), {}).ok());
  EXPECT_EQ(countOf("Company Person"), 0);
}

TEST_P(StoreTablesTest, ColumnsNamedLikeSqlKeywordsAndRowidsAreOrdinaryColumns) {
  const std::vector<std::string> names = {"rowid", "_rowid_", "oid", "select", "order"};
  std::vector<ColumnSpec> columns;
  for (const std::string& n : names) columns.push_back(col(n, ColumnType::kInteger));
  ASSERT_TRUE(store().ensureTable(tableSpec("Keywords", columns), {}).ok());
  for (std::int64_t pass = 0; pass < 2; ++pass) {
    std::vector<RowOutcome> out = upsertOk(
        request("Keywords", names, {"select"},
                {{integer(10 + pass), integer(20), integer(30), integer(1), integer(50 + pass)},
                 {integer(11 + pass), integer(21), integer(31), integer(2), integer(51 + pass)}}));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].action, pass == 0 ? RowAction::kCreated : RowAction::kUpdated);
  }
  EXPECT_EQ(selectOk("Keywords", names, {{"select", integer(2)}}),
            (std::vector<Row>{{integer(12), integer(21), integer(31), integer(2), integer(52)}}));
}

TEST_P(StoreTablesTest, NamesAreCaseInsensitive) {
  ASSERT_TRUE(store().ensureTable(tableSpec("Company", {col("Email")}), {}).ok());
  ASSERT_TRUE(store().ensureTable(tableSpec("company", {col("EMAIL"), col("Phone")}), {}).ok());
  upsertOk(request("COMPANY", {"email", "phone"}, {"eMail"}, {{text("a@x"), text("1")}}));
  EXPECT_EQ(countOf("Company"), 1);
  EXPECT_EQ(selectOk("company", {"EMAIL", "Phone"}), (std::vector<Row>{{text("a@x"), text("1")}}));
}

TEST_P(StoreTablesTest, MissingTablesAndColumns) {
  EXPECT_EQ(countOf("Nope"), 0);
  EXPECT_EQ(store().select("Nope", {"gsid"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().upsert(request("Nope", {"A"}, {"A"}, {{text("1")}})).status().code(),
            StatusCode::kInvalidArgument);

  ASSERT_TRUE(store().ensureTable(tableSpec("T", {col("A"), col("B")}), {}).ok());
  EXPECT_EQ(store().select("T", {"Nope"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store().select("T", {"A"}, {{"Nope", text("x")}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store().select("T", {}).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreTablesTest, RejectsMalformedUpsertRequests) {
  ASSERT_TRUE(store().ensureTable(tableSpec("T", {col("A"), col("B")}), {}).ok());
  const std::vector<UpsertRequest> bad = {
      request("T", {"A", "B"}, {}, {{text("1"), text("2")}}),        // no key
      request("T", {"A", "B"}, {"C"}, {{text("1"), text("2")}}),     // key not a column
      request("T", {"A", "Nope"}, {"A"}, {{text("1"), text("2")}}),  // unknown column
      request("T", {"A", "B"}, {"A"}, {{text("1")}}),                // short row
      request("T", {"A", "A"}, {"A"}, {{text("1"), text("2")}}),     // duplicate column
      request("T", {"gsid", "A"}, {"A"}, {{text("1"), text("2")}}),  // gsid is the store's
      request("", {"A"}, {"A"}, {{text("1")}}),                      // no table
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    Result<std::vector<RowOutcome>> out = store().upsert(bad[i]);
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument) << "request " << i;
  }
  EXPECT_EQ(countOf("T"), 0);
}

TEST_P(StoreTablesTest, DataSurvivesReopen) {
  ASSERT_TRUE(store()
                  .ensureTable(tableSpec("T", {col("A"), col("Flag", ColumnType::kBoolean)}), {"A"})
                  .ok());
  upsertOk(request("T", {"A", "Flag"}, {"A"}, {{text("1"), Value{true}}}));
  reopen();
  EXPECT_EQ(selectOk("T", {"A", "Flag"}), (std::vector<Row>{{text("1"), Value{true}}}));
  // The declared types survive too: widening with a changed type is still detected.
  EXPECT_EQ(store().ensureTable(tableSpec("T", {col("Flag", ColumnType::kInteger)}), {}).code(),
            StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTablesTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
