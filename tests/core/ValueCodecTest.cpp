// ValueCodec: every value type round-trips; every truncation of an encoded row, and a length that
// claims more than the input holds, is an error, never a read past the end.
#include <gtest/gtest.h>

#include "sfsync/core/ValueCodec.h"

namespace sfsync {
namespace {

TEST(ValueCodecTest, RoundTripsAndRejectsEveryTruncation) {
  const std::vector<Value> row{Value{},
                               Value(true),
                               Value(std::int64_t{-42}),
                               Value(2.5),
                               Value(std::string("a\0b", 3)),
                               Value(std::string())};
  std::string encoded;
  appendRow(row, encoded);
  appendRow({Value(std::int64_t{7})}, encoded);
  std::size_t pos = 0;
  std::vector<Value> back;
  ASSERT_TRUE(readRow(encoded, pos, back));
  EXPECT_EQ(back, row);
  ASSERT_TRUE(readRow(encoded, pos, back));
  EXPECT_EQ(back, std::vector<Value>{Value(std::int64_t{7})});
  EXPECT_EQ(pos, encoded.size());

  std::string one;
  appendRow(row, one);
  for (std::size_t n = 0; n < one.size(); ++n) {
    std::size_t at = 0;
    EXPECT_FALSE(readRow(std::string_view(one.data(), n), at, back)) << n;
  }
  std::string lying = one;
  lying[0] = '\x7f';  // claims 127 values
  std::size_t at = 0;
  EXPECT_FALSE(readRow(lying, at, back));
  std::string badTag = one;
  badTag[4] = 9;  // no such type tag
  at = 0;
  EXPECT_FALSE(readRow(badTag, at, back));
}

}  // namespace
}  // namespace sfsync
