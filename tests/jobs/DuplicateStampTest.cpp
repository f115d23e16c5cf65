// The duplicate-tracking stamp (jobs/DuplicateStamp): its text order is the order of the tuple
// (dedupeBy, SystemModstamp, Id) for any text - also text holding the separator's neighbours,
// bytes 0, 1 and 2 - numbers compare as numbers, and the record's identity is what follows the
// last separator (store::sameStampIdentity): a Salesforce record's Id, or a hash of a Snowflake
// row.
#include "jobs/DuplicateStamp.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "sfsync/store/Upsert.h"

namespace sfsync::jobs {
namespace {

using ::sfsync::store::sameStampIdentity;

// Source rows are (dedupe, modstamp, id): the stamp's columns 0, 1 and 2.
constexpr DuplicateStamp kFull{0, 1, 2, 0};

std::string stampText(const DuplicateStamp& stamp, const Value& dedupe, const Value& modstamp,
                      const Value& id) {
  const Value v = stampOf(stamp, {dedupe, modstamp, id});
  const std::string* text = std::get_if<std::string>(&v);
  return text != nullptr ? *text : std::string("<null>");
}

// Byte order, as the stores compare text (SQLite: memcmp; PostgreSQL: COLLATE "C").
bool bytesLess(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
  });
}

TEST(DuplicateStampTest, TextOrderIsTheTupleOrderForAnyText) {
  using namespace std::string_literals;
  // Parts chosen around the separator (\x01) and its escape (\x02): empty, prefixes of each other,
  // the bytes 0, 1, 2 and 3 inside and at the end, and ordinary text.
  const std::vector<std::string> parts = {""s,      "\x00"s,  "\x01"s,  "\x02"s,  "\x03"s,
                                          "a"s,     "a\x00"s, "a\x01"s, "a\x02"s, "a\x02@"s,
                                          "a\x03"s, "ab"s,    "b"s,     "\xff"s};
  std::vector<std::tuple<std::string, std::string, std::string>> tuples;
  for (const std::string& d : parts) {
    for (const std::string& m : parts) {
      for (const char* id : {"001A", "001B"}) tuples.emplace_back(d, m, id);
    }
  }
  for (const auto& [d1, m1, i1] : tuples) {
    const std::string s1 = stampText(kFull, Value{d1}, Value{m1}, Value{std::string(i1)});
    for (const auto& [d2, m2, i2] : tuples) {
      const std::string s2 = stampText(kFull, Value{d2}, Value{m2}, Value{std::string(i2)});
      const auto t1 = std::make_tuple(d1, m1, std::string(i1));
      const auto t2 = std::make_tuple(d2, m2, std::string(i2));
      const bool tupleLess = std::tie(d1, m1) == std::tie(d2, m2)
                                 ? bytesLess(i1, i2)
                                 : (bytesLess(d1, d2) || (d1 == d2 && bytesLess(m1, m2)));
      ASSERT_EQ(bytesLess(s1, s2), tupleLess)
          << "(" << ::testing::PrintToString(d1) << ", " << ::testing::PrintToString(m1) << ", "
          << i1 << ") vs (" << ::testing::PrintToString(d2) << ", " << ::testing::PrintToString(m2)
          << ", " << i2 << ")";
      ASSERT_EQ(s1 == s2, t1 == t2);
    }
  }
}

TEST(DuplicateStampTest, NumbersCompareAsNumbersIntegersAndDoublesAlike) {
  const DuplicateStamp dedupeOnly{0, -1, 2, 0};
  const Value id{std::string("001A")};
  const std::vector<Value> ascending = {Value{-1e300},
                                        Value{std::int64_t{-48000}},
                                        Value{-9000.5},
                                        Value{std::int64_t{-1}},
                                        Value{0.0},
                                        Value{std::int64_t{9}},
                                        Value{std::int64_t{10}},
                                        Value{9000.25},
                                        Value{std::int64_t{48000}},
                                        Value{1e10}};
  for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
    EXPECT_TRUE(bytesLess(stampText(dedupeOnly, ascending[i], Value{}, id),
                          stampText(dedupeOnly, ascending[i + 1], Value{}, id)))
        << "value " << i << " vs " << i + 1;
  }
  // One field may arrive as an integer in one record and a double in another.
  EXPECT_EQ(stampText(dedupeOnly, Value{std::int64_t{48000}}, Value{}, id),
            stampText(dedupeOnly, Value{48000.0}, Value{}, id));
  // A record without a value loses to one with any value (null is the empty part).
  EXPECT_TRUE(bytesLess(stampText(dedupeOnly, Value{}, Value{}, id),
                        stampText(dedupeOnly, Value{-1e300}, Value{}, id)));
}

TEST(DuplicateStampTest, TheIdentityIsTheIdAfterTheLastSeparator) {
  using namespace std::string_literals;
  const Value id{"003000000000001AAA"s};
  const std::string older = stampText(kFull, Value{"x\x01y"s}, Value{"2024-01-01T00:00:00Z"s}, id);
  const std::string newer = stampText(kFull, Value{"z"s}, Value{"2025-06-01T00:00:00Z"s}, id);
  EXPECT_TRUE(sameStampIdentity(older, newer));  // the same record, read again after an edit
  const std::string other =
      stampText(kFull, Value{"z"s}, Value{"2025-06-01T00:00:00Z"s}, Value{"003000000000002AAA"s});
  EXPECT_FALSE(sameStampIdentity(newer, other));
  // Only SystemModstamp and Id (dedupeBy is SystemModstamp, not repeated): still an identity.
  const DuplicateStamp noDedupe{-1, 1, 2, 0};
  EXPECT_TRUE(sameStampIdentity(stampText(noDedupe, Value{}, Value{"2024"s}, id),
                                stampText(noDedupe, Value{}, Value{"2025"s}, id)));
  // Only the Id: a separator still precedes it.
  const DuplicateStamp idOnly{-1, -1, 2, 0};
  EXPECT_EQ(stampText(idOnly, Value{}, Value{}, id), "\x01"s + "003000000000001AAA");
}

// Snowflake: the row itself is the identity (its identifier column is the key that repeats).
TEST(DuplicateStampTest, ARowIdentityIsTheSameOnlyForTheSameRow) {
  using namespace std::string_literals;
  DuplicateStamp snowflake{0, 1, -1, 0};  // dedupeBy column 0, incremental column 1
  snowflake.rowIdentity = true;
  const auto text = [&](const std::vector<Value>& row) {
    return std::get<std::string>(stampOf(snowflake, row));
  };
  const std::vector<Value> row = {Value{std::int64_t{5}}, Value{std::int64_t{1000}},
                                  Value{"p0@example.com"s}, Value{}};
  EXPECT_EQ(text(row), text(row));
  EXPECT_TRUE(sameStampIdentity(text(row), text(row)));  // read again: the same record
  std::vector<Value> other = row;
  other[3] = Value{""s};  // null and empty text are different rows
  EXPECT_FALSE(sameStampIdentity(text(row), text(other)));
  other = row;
  other[2] = Value{"p0@example.co"s};
  EXPECT_FALSE(sameStampIdentity(text(row), text(other)));
  // The order part still decides between two rows of one key: dedupeBy, then the incremental value.
  std::vector<Value> newer = row;
  newer[1] = Value{std::int64_t{1001}};
  EXPECT_TRUE(bytesLess(text(row), text(newer)));
  std::vector<Value> moreLogins = row;
  moreLogins[0] = Value{std::int64_t{6}};
  moreLogins[1] = Value{std::int64_t{1}};
  EXPECT_TRUE(bytesLess(text(newer), text(moreLogins)));
}

TEST(DuplicateStampTest, WithoutAnIdentityThereIsNoSeparatorAndWithoutColumnsNoStamp) {
  using namespace std::string_literals;
  // The dedupeBy value alone, escaped, so no separator appears and no identity is found.
  const DuplicateStamp dedupeOnly{0, -1, -1, 0};
  const std::string a = stampText(dedupeOnly, Value{"k\x01v"s}, Value{}, Value{});
  const std::string b = stampText(dedupeOnly, Value{"k\x01v"s}, Value{}, Value{});
  EXPECT_EQ(a.find(store::kStampIdentitySeparator), std::string::npos) << a;
  EXPECT_FALSE(sameStampIdentity(a, b));
  EXPECT_TRUE(isNull(stampOf(DuplicateStamp{}, {Value{"x"s}})));
}

}  // namespace
}  // namespace sfsync::jobs
