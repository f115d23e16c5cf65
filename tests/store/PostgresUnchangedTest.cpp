// Issue 10 on PostgreSQL: an update whose values the row already holds is reported unchanged and,
// without duplicate tracking, leaves the row alone (no new row version: its xmin stays).
#include <gtest/gtest.h>

#include "fakes/PgTestCluster.h"
#include "store/PgConnection.h"
#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

TEST(PostgresUnchangedTest, AnEqualRowKeepsItsRowVersionAChangedOneGetsANewOne) {
  TempDir dir;
  Result<StorePtr> store = ::sfsync::testing::openPgTestStore(dir.path());
  ASSERT_TRUE(store.ok()) << store.status().toString();
  ASSERT_TRUE((*store)->ensureTable(tableSpec("Contact", {col("Id"), col("Note")}), {"Id"}).ok());
  PostgresSettings settings;
  settings.url = ::sfsync::testing::pgTestUrl();
  Result<std::unique_ptr<PgConnection>> observer = PgConnection::open(settings);
  ASSERT_TRUE(observer.ok()) << observer.status().toString();
  const std::string schema = ::sfsync::testing::pgTestSchema(dir.path());
  auto versions = [&] {
    Result<PgResult> r = (*observer)->query("SELECT \"Id\", xmin::text FROM \"" + schema +
                                            "\".\"Contact\" ORDER BY \"Id\"");
    std::vector<std::string> out;
    if (!r.ok()) return std::vector<std::string>{r.status().toString()};
    for (int i = 0; i < r->rows(); ++i) out.push_back(r->text(i, 0) + "@" + r->text(i, 1));
    return out;
  };
  const auto rows = [](const char* second) {
    return request("Contact", {"Id", "Note"}, {"Id"},
                   {{text("001"), text("same")}, {text("002"), text(second)}});
  };
  ASSERT_TRUE((*store)->upsert(rows("before")).ok());
  const std::vector<std::string> first = versions();
  ASSERT_EQ(first.size(), 2u) << (first.empty() ? "" : first[0]);

  Result<std::vector<RowOutcome>> out = (*store)->upsert(rows("after"));
  ASSERT_TRUE(out.ok()) << out.status().toString();
  EXPECT_EQ((*out)[0].action, RowAction::kUpdated);
  EXPECT_TRUE((*out)[0].unchanged);
  EXPECT_EQ((*out)[1].action, RowAction::kUpdated);
  EXPECT_FALSE((*out)[1].unchanged);
  const std::vector<std::string> second = versions();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0], first[0]);  // 001 was not rewritten
  EXPECT_NE(second[1], first[1]);  // 002 was
  Result<PgResult> notes =
      (*observer)->query("SELECT \"Note\" FROM \"" + schema + "\".\"Contact\" ORDER BY \"Id\"");
  ASSERT_TRUE(notes.ok()) << notes.status().toString();
  ASSERT_EQ(notes->rows(), 2);
  EXPECT_EQ(notes->text(0, 0), "same");
  EXPECT_EQ(notes->text(1, 0), "after");
}

// A date the server refuses (February 31st passes our format check) on an update page: the page
// takes the row-by-row path (that row LOAD_FAILED, the rest written and compared) instead of
// failing.
TEST(PostgresUnchangedTest, AnUpdateTheServerRefusesFailsOnlyItsRow) {
  TempDir dir;
  Result<StorePtr> store = ::sfsync::testing::openPgTestStore(dir.path());
  ASSERT_TRUE(store.ok()) << store.status().toString();
  ASSERT_TRUE(
      (*store)
          ->ensureTable(tableSpec("Event", {col("Id"), col("Day", ColumnType::kDate)}), {"Id"})
          .ok());
  const auto rows = [](const char* first) {
    return request("Event", {"Id", "Day"}, {"Id"},
                   {{text("1"), text(first)}, {text("2"), text("2026-02-01")}});
  };
  ASSERT_TRUE((*store)->upsert(rows("2026-01-31")).ok());
  Result<std::vector<RowOutcome>> out = (*store)->upsert(rows("2026-02-31"));
  ASSERT_TRUE(out.ok()) << out.status().toString();
  EXPECT_EQ((*out)[0].action, RowAction::kRejected);
  EXPECT_EQ((*out)[0].reasonCode, "LOAD_FAILED");
  EXPECT_EQ((*out)[1].action, RowAction::kUpdated);
  EXPECT_TRUE((*out)[1].unchanged) << (*out)[1].message;
}

}  // namespace
}  // namespace sfsync::store::testing
