// Column type names: columnTypeName / parseColumnType round trip and aliases (table-driven).
#include "sfsync/store/TableSpec.h"

#include <gtest/gtest.h>

namespace sfsync::store {
namespace {

TEST(TableSpecTest, ParsesNamesAndAliases) {
  struct Case {
    const char* name;
    bool ok;
    ColumnType type;
  };
  const Case cases[] = {
      {"text", true, ColumnType::kText},       {"STRING", true, ColumnType::kText},
      {"integer", true, ColumnType::kInteger}, {"Real", true, ColumnType::kReal},
      {"number", true, ColumnType::kReal},     {"boolean", true, ColumnType::kBoolean},
      {"date", true, ColumnType::kDate},       {"DateTime", true, ColumnType::kDateTime},
      {"", false, ColumnType::kText},          {"int", false, ColumnType::kText},
      {"datetime ", false, ColumnType::kText},
  };
  for (const Case& c : cases) {
    ColumnType t = ColumnType::kText;
    EXPECT_EQ(parseColumnType(c.name, &t), c.ok) << c.name;
    if (c.ok) {
      EXPECT_EQ(t, c.type) << c.name;
    }
  }
}

TEST(TableSpecTest, NamesRoundTrip) {
  for (ColumnType t : {ColumnType::kText, ColumnType::kInteger, ColumnType::kReal,
                       ColumnType::kBoolean, ColumnType::kDate, ColumnType::kDateTime}) {
    ColumnType back = ColumnType::kText;
    ASSERT_TRUE(parseColumnType(columnTypeName(t), &back)) << columnTypeName(t);
    EXPECT_EQ(back, t);
  }
}

}  // namespace
}  // namespace sfsync::store
