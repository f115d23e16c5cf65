// PostgreSQL store text values: invalid UTF-8 is rejected per row (LOAD_FAILED) instead of failing
// the whole COPY of a page.
#include <gtest/gtest.h>

#include "fakes/PgTestCluster.h"
#include "store/PostgresValues.h"
#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

TEST(PostgresValuesTest, Utf8IsValidatedStrictly) {
  EXPECT_TRUE(pgvalue::validUtf8(""));
  EXPECT_TRUE(pgvalue::validUtf8("plain"));
  EXPECT_TRUE(pgvalue::validUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  for (const std::string& bad : {std::string("\xC3"),
                                 std::string("a\xFF"
                                             "b"),
                                 std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                                 std::string("\xF4\x90\x80\x80"), std::string("\xE2\x82")}) {
    EXPECT_FALSE(pgvalue::validUtf8(bad)) << bad;
  }
}

TEST(PostgresValuesTest, InvalidUtf8RejectsOnlyItsRow) {
  TempDir dir;
  Result<StorePtr> store = ::sfsync::testing::openPgTestStore(dir.path());
  ASSERT_TRUE(store.ok()) << store.status().toString();
  ASSERT_TRUE((*store)->ensureTable(tableSpec("Contact", {col("Id"), col("Note")}), {"Id"}).ok());
  Result<std::vector<RowOutcome>> out =
      (*store)->upsert(request("Contact", {"Id", "Note"}, {"Id"},
                               {{text("1"), text("fine")},
                                {text("2"), Value{std::string("bad \xC3(")}},
                                {text("3"), text("fine too")}}));
  ASSERT_TRUE(out.ok()) << out.status().toString();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].action, RowAction::kCreated);
  EXPECT_EQ((*out)[1].action, RowAction::kRejected);
  EXPECT_EQ((*out)[1].reasonCode, reason::kLoadFailed);
  EXPECT_NE((*out)[1].message.find("invalid UTF-8"), std::string::npos) << (*out)[1].message;
  EXPECT_EQ((*out)[2].action, RowAction::kCreated);
  EXPECT_EQ((*store)->count("Contact").ok() ? *(*store)->count("Contact") : -1, 2);
}

}  // namespace
}  // namespace sfsync::store::testing
