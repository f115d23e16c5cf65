// Conformance: updateColumns - sets columns on rows named by gsid (the self-lookup pass of a job),
// counts the rows it matched, ignores unknown gsids, and is all-or-nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

using ::testing::HasSubstr;

class StoreUpdateColumnsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(
        store()
            .ensureTable(tableSpec("Person", {col("Id"), col("Name"), col("Manager Id"),
                                              col("Manager"), col("Level", ColumnType::kInteger)}),
                         {"Id"})
            .ok());
    // Ann's manager Bob arrives later in the same extract: Manager (a gsid) is resolved afterwards.
    people_ = upsertOk(request("Person", {"Id", "Name", "Manager Id", "Level"}, {"Id"},
                               {{text("1"), text("Ann"), text("2"), integer(1)},
                                {text("2"), text("Bob"), Value{}, integer(2)},
                                {text("3"), text("Cy"), text("2"), integer(1)}}));
    ASSERT_EQ(people_.size(), 3u);
  }

  std::string gsid(std::size_t i) const { return people_[i].gsid; }

  std::vector<RowOutcome> people_;
};

TEST_P(StoreUpdateColumnsTest, SetsTheColumnsOfTheNamedRowsAndCountsThem) {
  Result<std::int64_t> n = store().updateColumns(
      "Person", {"Manager"},
      {{gsid(0), {Value{gsid(1)}}}, {"no-such-gsid", {text("x")}}, {gsid(2), {Value{gsid(1)}}}});
  ASSERT_TRUE(n.ok()) << n.status().toString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(selectOk("Person", {"Name", "Manager Id", "Manager"}, {{"Manager", Value{gsid(1)}}}),
            ([&] {
              std::vector<Row> rows = {{text("Ann"), text("2"), Value{gsid(1)}},
                                       {text("Cy"), text("2"), Value{gsid(1)}}};
              if (gsid(2) < gsid(0)) std::swap(rows[0], rows[1]);  // ordered by gsid
              return rows;
            }()));
  // Bob and the columns outside the call are untouched.
  EXPECT_EQ(selectOk("Person", {"Name", "Manager", "Level"}, {{"gsid", Value{gsid(1)}}}),
            (std::vector<Row>{{text("Bob"), Value{}, integer(2)}}));
  EXPECT_EQ(countOf("Person"), 3);
}

TEST_P(StoreUpdateColumnsTest, SeveralColumnsNullsAndCaseInsensitiveNames) {
  Result<std::int64_t> n =
      store().updateColumns("PERSON", {"level", "manager id"}, {{gsid(0), {integer(7), Value{}}}});
  ASSERT_TRUE(n.ok()) << n.status().toString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(selectOk("Person", {"Level", "Manager Id"}, {{"gsid", Value{gsid(0)}}}),
            (std::vector<Row>{{integer(7), Value{}}}));
  // Setting the same values again still counts the row.
  n = store().updateColumns("Person", {"Level"}, {{gsid(0), {integer(7)}}});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
}

TEST_P(StoreUpdateColumnsTest, NothingToUpdateIsZero) {
  Result<std::int64_t> n = store().updateColumns("Person", {"Manager"}, {});
  ASSERT_TRUE(n.ok()) << n.status().toString();
  EXPECT_EQ(*n, 0);
  n = store().updateColumns("Person", {"Manager"}, {{"unknown", {text("x")}}});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(countOf("Person"), 3);
}

TEST_P(StoreUpdateColumnsTest, ValueThatDoesNotFitIsDataErrorAndNothingIsApplied) {
  Result<std::int64_t> n = store().updateColumns(
      "Person", {"Level"}, {{gsid(0), {integer(5)}}, {gsid(1), {text("not a number")}}});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kDataError);
  EXPECT_THAT(n.status().message(), HasSubstr(gsid(1)));
  EXPECT_THAT(n.status().message(), HasSubstr("Level"));
  // The first row's update was rolled back with the call.
  EXPECT_EQ(selectOk("Person", {"Level"}, {{"gsid", Value{gsid(0)}}}),
            (std::vector<Row>{{integer(1)}}));
}

TEST_P(StoreUpdateColumnsTest, MalformedCallsAreInvalidAndChangeNothing) {
  using Rows = std::vector<std::pair<std::string, Row>>;
  struct Case {
    const char* name;
    std::string table;
    std::vector<std::string> columns;
    Rows rows;
  };
  const Case cases[] = {
      {"unknown table", "Nope", {"Name"}, Rows{{gsid(0), {text("x")}}}},
      {"unknown column", "Person", {"Name", "Nope"}, Rows{{gsid(0), {text("x"), text("y")}}}},
      {"gsid column", "Person", {"gsid"}, Rows{{gsid(0), {text("x")}}}},
      {"duplicate column", "Person", {"Name", "name"}, Rows{{gsid(0), {text("x"), text("y")}}}},
      {"no columns", "Person", {}, Rows{{gsid(0), {}}}},
      {"short row", "Person", {"Name", "Level"}, Rows{{gsid(0), {text("x")}}}},
      {"no table", "", {"Name"}, Rows{{gsid(0), {text("x")}}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::int64_t> n = store().updateColumns(c.table, c.columns, c.rows);
    EXPECT_EQ(n.status().code(), StatusCode::kInvalidArgument) << n.status().toString();
  }
  EXPECT_EQ(selectOk("Person", {"Name"}, {{"gsid", Value{gsid(0)}}}),
            (std::vector<Row>{{text("Ann")}}));
}

TEST_P(StoreUpdateColumnsTest, JoinsAnOpenTransaction) {
  Status s = store().transaction([&] {
    Result<std::vector<RowOutcome>> dave = store().upsert(request(
        "Person", {"Id", "Name", "Manager Id"}, {"Id"}, {{text("4"), text("Dave"), text("1")}}));
    if (!dave.ok()) return dave.status();
    Result<std::int64_t> n =
        store().updateColumns("Person", {"Manager"}, {{(*dave)[0].gsid, {Value{gsid(0)}}}});
    EXPECT_TRUE(n.ok());
    if (n.ok()) {
      EXPECT_EQ(*n, 1);
    }
    return Status::Unavailable("page failed");
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(countOf("Person"), 3);
  EXPECT_TRUE(selectOk("Person", {"Name"}, {{"Manager", Value{gsid(0)}}}).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreUpdateColumnsTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
