// convertValue / defaultColumnType: table-driven over every source shape (null, bool, integer,
// double, string) and every target type, valid and invalid.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "mapping/IsoDateTime.h"
#include "sfsync/mapping/TypeConversion.h"

namespace sfsync::mapping {
namespace {

using store::ColumnType;

Value S(const char* s) { return Value(std::string(s)); }
Value I(std::int64_t i) { return Value(i); }
Value D(double d) { return Value(d); }
Value B(bool b) { return Value(b); }
const Value kNull{};

std::string show(const Value& v) {
  switch (v.index()) {
    case 0:
      return "null";
    case 1:
      return std::string("bool ") + valueToText(v);
    case 2:
      return "int " + valueToText(v);
    case 3:
      return "double " + valueToText(v);
    default:
      return "string '" + std::get<std::string>(v) + "'";
  }
}

struct Ok {
  Value in;
  ColumnType target;
  Value out;
};

struct Bad {
  Value in;
  ColumnType target;
  const char* message;  // substring of the error message
};

TEST(TypeConversionTest, ValidConversions) {
  const double kNaN = std::numeric_limits<double>::quiet_NaN();
  (void)kNaN;
  const std::vector<Ok> cases = {
      // null stays null for every target.
      {kNull, ColumnType::kText, kNull},
      {kNull, ColumnType::kInteger, kNull},
      {kNull, ColumnType::kReal, kNull},
      {kNull, ColumnType::kBoolean, kNull},
      {kNull, ColumnType::kDate, kNull},
      {kNull, ColumnType::kDateTime, kNull},
      // text accepts anything.
      {S("Acme"), ColumnType::kText, S("Acme")},
      {S(""), ColumnType::kText, S("")},
      {S("  padded  "), ColumnType::kText, S("  padded  ")},
      {I(42), ColumnType::kText, S("42")},
      {I(-9223372036854775807LL - 1), ColumnType::kText, S("-9223372036854775808")},
      {D(2.5), ColumnType::kText, S("2.5")},
      {D(0.1), ColumnType::kText, S("0.1")},
      {D(3.0), ColumnType::kText, S("3")},
      {D(1e20), ColumnType::kText, S("1e+20")},
      {B(true), ColumnType::kText, S("true")},
      {B(false), ColumnType::kText, S("false")},
      // integer.
      {I(12), ColumnType::kInteger, I(12)},
      {I(std::numeric_limits<std::int64_t>::max()), ColumnType::kInteger,
       I(std::numeric_limits<std::int64_t>::max())},
      {D(42.0), ColumnType::kInteger, I(42)},
      {D(-7.0), ColumnType::kInteger, I(-7)},
      {D(-9223372036854775808.0), ColumnType::kInteger,
       I(std::numeric_limits<std::int64_t>::min())},
      {S("42"), ColumnType::kInteger, I(42)},
      {S(" 42 "), ColumnType::kInteger, I(42)},
      {S("-17"), ColumnType::kInteger, I(-17)},
      {S("+17"), ColumnType::kInteger, I(17)},
      {S("007"), ColumnType::kInteger, I(7)},
      {S("9223372036854775807"), ColumnType::kInteger, I(std::numeric_limits<std::int64_t>::max())},
      {S("-9223372036854775808"), ColumnType::kInteger,
       I(std::numeric_limits<std::int64_t>::min())},
      // real.
      {D(2.5), ColumnType::kReal, D(2.5)},
      {I(3), ColumnType::kReal, D(3.0)},
      {S("2.5"), ColumnType::kReal, D(2.5)},
      {S(" -0.125 "), ColumnType::kReal, D(-0.125)},
      {S("1e3"), ColumnType::kReal, D(1000.0)},
      {S("+1.5E-2"), ColumnType::kReal, D(0.015)},
      {S(".5"), ColumnType::kReal, D(0.5)},
      {S("5."), ColumnType::kReal, D(5.0)},
      {S("42"), ColumnType::kReal, D(42.0)},
      // boolean.
      {B(true), ColumnType::kBoolean, B(true)},
      {B(false), ColumnType::kBoolean, B(false)},
      {I(1), ColumnType::kBoolean, B(true)},
      {I(0), ColumnType::kBoolean, B(false)},
      {D(1.0), ColumnType::kBoolean, B(true)},
      {D(0.0), ColumnType::kBoolean, B(false)},
      {S("true"), ColumnType::kBoolean, B(true)},
      {S("TRUE"), ColumnType::kBoolean, B(true)},
      {S("False"), ColumnType::kBoolean, B(false)},
      {S("1"), ColumnType::kBoolean, B(true)},
      {S(" 0 "), ColumnType::kBoolean, B(false)},
      // date.
      {S("2025-01-15"), ColumnType::kDate, S("2025-01-15")},
      {S("2024-02-29"), ColumnType::kDate, S("2024-02-29")},  // leap year
      {S("2000-02-29"), ColumnType::kDate, S("2000-02-29")},  // divisible by 400
      {S("0001-01-01"), ColumnType::kDate, S("0001-01-01")},
      {S("9999-12-31"), ColumnType::kDate, S("9999-12-31")},
      {S("2025-01-15T10:30:00.000+0000"), ColumnType::kDate, S("2025-01-15")},
      {S("2025-01-15T23:30:00.000-0800"), ColumnType::kDate, S("2025-01-16")},  // its UTC date
      {S("2025-01-01T01:00:00+05:30"), ColumnType::kDate, S("2024-12-31")},
      // datetime.
      {S("2025-01-15T10:30:00.000+0000"), ColumnType::kDateTime, S("2025-01-15T10:30:00.000Z")},
      {S("2025-01-15T10:30:00.000Z"), ColumnType::kDateTime, S("2025-01-15T10:30:00.000Z")},
      {S("2025-01-15T10:30:00Z"), ColumnType::kDateTime, S("2025-01-15T10:30:00.000Z")},
      {S("2025-01-15T10:30Z"), ColumnType::kDateTime, S("2025-01-15T10:30:00.000Z")},
      {S("2025-01-15T10:30:00.5Z"), ColumnType::kDateTime, S("2025-01-15T10:30:00.500Z")},
      {S("2025-01-15T10:30:00.123456789Z"), ColumnType::kDateTime, S("2025-01-15T10:30:00.123Z")},
      {S("2025-01-15T16:00:00.000+0530"), ColumnType::kDateTime, S("2025-01-15T10:30:00.000Z")},
      {S("2025-01-15T02:30:00.000-08:00"), ColumnType::kDateTime, S("2025-01-15T10:30:00.000Z")},
      {S("2025-01-15T02:30:00-08"), ColumnType::kDateTime, S("2025-01-15T10:30:00.000Z")},
      {S("2024-12-31T20:00:00.000-0500"), ColumnType::kDateTime, S("2025-01-01T01:00:00.000Z")},
      {S("2024-03-01T00:30:00.000+0100"), ColumnType::kDateTime, S("2024-02-29T23:30:00.000Z")},
      {S("1969-12-31T23:59:59.999Z"), ColumnType::kDateTime, S("1969-12-31T23:59:59.999Z")},
      {S("2025-01-15"), ColumnType::kDateTime, S("2025-01-15T00:00:00.000Z")},
      {S(" 2025-01-15T10:30:00Z "), ColumnType::kDateTime, S("2025-01-15T10:30:00.000Z")},
  };
  for (const Ok& c : cases) {
    const Result<Value> r = convertValue(c.in, c.target);
    ASSERT_TRUE(r.ok()) << show(c.in) << " -> " << store::columnTypeName(c.target) << ": "
                        << r.status().toString();
    EXPECT_EQ(*r, c.out) << show(c.in) << " -> " << store::columnTypeName(c.target) << " gave "
                         << show(*r);
  }
}

TEST(TypeConversionTest, InvalidConversionsNameTheValueAndTheType) {
  const double kInf = std::numeric_limits<double>::infinity();
  const double kNaN = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Bad> cases = {
      // text: only non-finite numbers fail.
      {D(kNaN), ColumnType::kText, "to text"},
      // integer.
      {S("abc"), ColumnType::kInteger, "cannot convert 'abc' to integer"},
      {S("12abc"), ColumnType::kInteger, "cannot convert '12abc' to integer"},
      {S(""), ColumnType::kInteger, "cannot convert '' to integer"},
      {S("   "), ColumnType::kInteger, "cannot convert '   ' to integer"},
      {S("4 2"), ColumnType::kInteger, "to integer"},
      {S("1.5"), ColumnType::kInteger, "to integer"},
      {S("42.0"), ColumnType::kInteger, "to integer"},
      {S("1e3"), ColumnType::kInteger, "to integer"},
      {S("0x1A"), ColumnType::kInteger, "to integer"},
      {S("+-1"), ColumnType::kInteger, "to integer"},
      {S("-"), ColumnType::kInteger, "to integer"},
      {S("+"), ColumnType::kInteger, "to integer"},
      {S("9223372036854775808"), ColumnType::kInteger,
       "cannot convert '9223372036854775808' to integer: out of range"},
      {S("-9223372036854775809"), ColumnType::kInteger, "out of range"},
      {D(1.5), ColumnType::kInteger, "cannot convert '1.5' to integer: not a whole number"},
      {D(9223372036854775808.0), ColumnType::kInteger, "out of range"},
      {D(1e300), ColumnType::kInteger, "out of range"},
      {D(kInf), ColumnType::kInteger, "not a finite number"},
      {D(kNaN), ColumnType::kInteger, "not a finite number"},
      {B(true), ColumnType::kInteger, "cannot convert 'true' to integer"},
      // real.
      {S("abc"), ColumnType::kReal, "cannot convert 'abc' to real"},
      {S(""), ColumnType::kReal, "cannot convert '' to real"},
      {S("12abc"), ColumnType::kReal, "to real"},
      {S("1,5"), ColumnType::kReal, "to real"},
      {S("nan"), ColumnType::kReal, "to real"},
      {S("inf"), ColumnType::kReal, "to real"},
      {S("Infinity"), ColumnType::kReal, "to real"},
      {S("0x10"), ColumnType::kReal, "to real"},
      {S("."), ColumnType::kReal, "to real"},
      {S("1e"), ColumnType::kReal, "to real"},
      {S("1e999"), ColumnType::kReal, "cannot convert '1e999' to real: out of range"},
      {D(kInf), ColumnType::kReal, "not a finite number"},
      {D(-kInf), ColumnType::kReal, "not a finite number"},
      {D(kNaN), ColumnType::kReal, "not a finite number"},
      {B(false), ColumnType::kReal, "cannot convert 'false' to real"},
      // boolean.
      {S("yes"), ColumnType::kBoolean, "cannot convert 'yes' to boolean"},
      {S(""), ColumnType::kBoolean, "cannot convert '' to boolean"},
      {S("truee"), ColumnType::kBoolean, "to boolean"},
      {S("2"), ColumnType::kBoolean, "to boolean"},
      {I(2), ColumnType::kBoolean, "cannot convert '2' to boolean"},
      {I(-1), ColumnType::kBoolean, "to boolean"},
      {D(0.5), ColumnType::kBoolean, "to boolean"},
      {D(kNaN), ColumnType::kBoolean, "to boolean"},
      // date.
      {S("2025-02-30"), ColumnType::kDate, "cannot convert '2025-02-30' to date: day out of range"},
      {S("2023-02-29"), ColumnType::kDate, "day out of range"},  // not a leap year
      {S("1900-02-29"), ColumnType::kDate, "day out of range"},  // divisible by 100, not 400
      {S("2025-04-31"), ColumnType::kDate, "day out of range"},
      {S("2025-01-00"), ColumnType::kDate, "day out of range"},
      {S("2025-13-01"), ColumnType::kDate,
       "cannot convert '2025-13-01' to date: month out of range"},
      {S("2025-00-10"), ColumnType::kDate, "month out of range"},
      {S("0000-01-01"), ColumnType::kDate, "year out of range"},
      {S("2025-1-15"), ColumnType::kDate, "to date"},
      {S("15/01/2025"), ColumnType::kDate, "to date"},
      {S("20250115"), ColumnType::kDate, "to date"},
      {S(""), ColumnType::kDate, "cannot convert '' to date"},
      {S("2025-01-15x"), ColumnType::kDate, "to date"},
      {S("2025-01-15T25:00:00Z"), ColumnType::kDate, "time out of range"},
      {I(20250115), ColumnType::kDate, "cannot convert '20250115' to date"},
      {D(1.5), ColumnType::kDate, "to date"},
      {B(true), ColumnType::kDate, "to date"},
      // datetime.
      {S("2025-01-15T10:30:00"), ColumnType::kDateTime, "missing time zone offset"},
      {S("2025-01-15T10:30:00.000"), ColumnType::kDateTime, "missing time zone offset"},
      {S("2025-01-15 10:30:00Z"), ColumnType::kDateTime, "to datetime"},
      {S("2025-01-15T24:00:00Z"), ColumnType::kDateTime, "time out of range"},
      {S("2025-01-15T10:60:00Z"), ColumnType::kDateTime, "time out of range"},
      {S("2025-01-15T10:30:60Z"), ColumnType::kDateTime, "time out of range"},
      {S("2025-01-15T10:30:00.Z"), ColumnType::kDateTime, "to datetime"},
      {S("2025-01-15T10:30:00.1234567890Z"), ColumnType::kDateTime, "to datetime"},
      {S("2025-01-15T10:30:00+5"), ColumnType::kDateTime, "to datetime"},
      {S("2025-01-15T10:30:00+05:3"), ColumnType::kDateTime, "to datetime"},
      {S("2025-01-15T10:30:00+0560"), ColumnType::kDateTime, "offset out of range"},
      {S("2025-01-15T10:30:00+2400"), ColumnType::kDateTime, "offset out of range"},
      {S("2025-01-15T10:30:00ZZ"), ColumnType::kDateTime, "to datetime"},
      {S("2025-01-15T10"), ColumnType::kDateTime, "to datetime"},
      {S("2025-02-30T10:30:00Z"), ColumnType::kDateTime, "day out of range"},
      {S("2025-13-01T10:30:00Z"), ColumnType::kDateTime, "month out of range"},
      {S("0001-01-01T00:30:00+0100"), ColumnType::kDateTime, "year out of range"},
      {S("9999-12-31T23:30:00-0100"), ColumnType::kDateTime, "year out of range"},
      {S("yesterday"), ColumnType::kDateTime, "cannot convert 'yesterday' to datetime"},
      {S(""), ColumnType::kDateTime, "cannot convert '' to datetime"},
      {I(1736937000000), ColumnType::kDateTime, "cannot convert '1736937000000' to datetime"},
      {B(false), ColumnType::kDateTime, "to datetime"},
  };
  for (const Bad& c : cases) {
    const Result<Value> r = convertValue(c.in, c.target);
    ASSERT_FALSE(r.ok()) << show(c.in) << " -> " << store::columnTypeName(c.target) << " gave "
                         << show(*r);
    EXPECT_EQ(r.status().code(), StatusCode::kDataError);
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << show(c.in) << " -> " << store::columnTypeName(c.target) << ": " << r.status().message();
  }
}

TEST(TypeConversionTest, LongValuesAreCutInMessages) {
  const std::string longText(500, 'x');
  const Result<Value> r = convertValue(Value(longText), ColumnType::kInteger);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.status().message().size(), 150u);
  EXPECT_NE(r.status().message().find("...' to integer"), std::string::npos);
}

TEST(TypeConversionTest, DefaultColumnTypes) {
  struct Case {
    const char* salesforceType;
    ColumnType expected;
  };
  const std::vector<Case> cases = {
      {"id", ColumnType::kText},
      {"reference", ColumnType::kText},
      {"string", ColumnType::kText},
      {"textarea", ColumnType::kText},
      {"picklist", ColumnType::kText},
      {"multipicklist", ColumnType::kText},
      {"email", ColumnType::kText},
      {"phone", ColumnType::kText},
      {"url", ColumnType::kText},
      {"combobox", ColumnType::kText},
      {"encryptedstring", ColumnType::kText},
      {"time", ColumnType::kText},
      {"int", ColumnType::kInteger},
      {"double", ColumnType::kReal},
      {"currency", ColumnType::kReal},
      {"percent", ColumnType::kReal},
      {"boolean", ColumnType::kBoolean},
      {"date", ColumnType::kDate},
      {"datetime", ColumnType::kDateTime},
      {"DateTime", ColumnType::kDateTime},
      {"address", ColumnType::kText},
      {"", ColumnType::kText},
      {"somethingNew", ColumnType::kText},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(defaultColumnType(c.salesforceType), c.expected) << c.salesforceType;
  }
}

// Every day from 1600 to 2400 survives parse -> format, and consecutive days are consecutive.
TEST(IsoDateTimeTest, CalendarRoundTrip) {
  std::int64_t previous = 0;
  std::string why;
  ASSERT_TRUE(IsoDateTime::parseDate("1600-01-01", &previous, &why));
  --previous;
  for (std::int64_t day = previous + 1; IsoDateTime::formatDate(day) != "2400-01-01"; ++day) {
    const std::string text = IsoDateTime::formatDate(day);
    std::int64_t parsed = 0;
    ASSERT_TRUE(IsoDateTime::parseDate(text, &parsed, &why)) << text << ": " << why;
    ASSERT_EQ(parsed, day) << text;
    ASSERT_EQ(parsed, previous + 1) << text;
    previous = parsed;
  }
  std::int64_t epoch = -1;
  ASSERT_TRUE(IsoDateTime::parseDate("1970-01-01", &epoch, &why));
  EXPECT_EQ(epoch, 0);
  EXPECT_EQ(IsoDateTime::formatDateTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(IsoDateTime::formatDateTime(1736937000123), "2025-01-15T10:30:00.123Z");
}

}  // namespace
}  // namespace sfsync::mapping

namespace sfsync::mapping {
namespace {

TEST(TypeConversionTest, CompoundTypesAndTextLengthLimits) {
  EXPECT_TRUE(isCompoundType("address"));
  EXPECT_TRUE(isCompoundType(" Location "));
  EXPECT_FALSE(isCompoundType("id"));
  EXPECT_FALSE(isCompoundType("string"));

  EXPECT_EQ(maxTextLength("string", 255), 255 + 25 + kTextLengthSlack);
  EXPECT_EQ(maxTextLength("id", 18), 18 + 1 + kTextLengthSlack);
  EXPECT_EQ(maxTextLength("TextArea", 32000), 32000 + 3200 + kTextLengthSlack);
  EXPECT_EQ(maxTextLength("int", 0), 0);
  EXPECT_EQ(maxTextLength("double", 18), 0);  // numbers are not limited by length
  EXPECT_EQ(maxTextLength("string", 0), 0);   // unknown length: no limit

  EXPECT_EQ(utf8Length(""), 0);
  EXPECT_EQ(utf8Length("abc"), 3);
  EXPECT_EQ(utf8Length("J\xC3\xBCrgen Wei\xC3\x9F"), 11);
  EXPECT_EQ(utf8Length("\xF0\x9F\x98\x80"), 1);
}

}  // namespace
}  // namespace sfsync::mapping
