#include "salesforce/JsonReader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace sfsync::salesforce {
namespace {

struct ScalarCase {
  std::string json;
  Value expected;
};

TEST(JsonReaderTest, ReadsScalars) {
  const std::vector<ScalarCase> cases = {
      {"42", Value(std::int64_t{42})},
      {"-7", Value(std::int64_t{-7})},
      {"0", Value(std::int64_t{0})},
      {"-0", Value(std::int64_t{0})},
      {"9223372036854775807", Value(std::numeric_limits<std::int64_t>::max())},
      {"-9223372036854775808", Value(std::numeric_limits<std::int64_t>::min())},
      {"9223372036854775808", Value(9223372036854775808.0)},  // too big for int64
      {"1.5", Value(1.5)},
      {"2.50", Value(2.5)},
      {"1e3", Value(1000.0)},
      {"-1.25E-2", Value(-0.0125)},
      {"12345678.90", Value(12345678.9)},
      {"true", Value(true)},
      {"false", Value(false)},
      {"null", Value()},
      {" \n\t\"x\"", Value(std::string("x"))},
      {R"("")", Value(std::string())},
      {R"("a\"b\\c\/d\be\ff\ng\rh\ti")", Value(std::string("a\"b\\c/d\be\ff\ng\rh\ti"))},
      {R"("caf\u00e9")", Value(std::string("caf\xC3\xA9"))},
      {R"("\u20AC")", Value(std::string("\xE2\x82\xAC"))},
      {R"("\ud83d\ude00")", Value(std::string("\xF0\x9F\x98\x80"))},
      {"\"Z\xC3\xBCrich\"", Value(std::string("Z\xC3\xBCrich"))},  // raw UTF-8 passes through
  };
  for (const auto& c : cases) {
    JsonReader reader(c.json);
    Value v;
    ASSERT_TRUE(reader.readScalar(v)) << c.json << ": " << reader.error();
    EXPECT_EQ(v, c.expected) << c.json;
    EXPECT_TRUE(reader.atEnd()) << c.json;
  }
}

TEST(JsonReaderTest, RejectsMalformedScalars) {
  const std::vector<std::string> cases = {
      "",
      "01",
      "-",
      "1.",
      ".5",
      "1e",
      "+1",
      "tru",
      "nul",
      "True",
      "\"abc",
      "\"a\\x\"",
      "\"\\u12\"",
      "\"\\ud800\"",
      "\"\\udc00\"",
      "\"\\ud800\\u0041\"",
      "\"tab\there\"",
      "1e999",
      "[",
      "abc",
  };
  for (const auto& json : cases) {
    JsonReader reader(json);
    Value v;
    const bool ok = reader.readScalar(v) && reader.atEnd();
    EXPECT_FALSE(ok) << "accepted: " << json;
  }
}

TEST(JsonReaderTest, SkipsAndValidatesNestedValues) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {R"({"a":[1,2,{"b":null}],"c":"d"})", true},
      {R"([])", true},
      {R"({})", true},
      {R"([[[["x"]]]])", true},
      {R"({"a":1,})", false},
      {R"({"a" 1})", false},
      {R"([1 2])", false},
      {R"({1:2})", false},
      {R"({"a":[1,2})", false},
      {R"({"a":"\q"})", false},
      {std::string(300, '[') + std::string(300, ']'), false},  // deeper than the limit
  };
  for (const auto& [json, valid] : cases) {
    JsonReader reader(json);
    const bool ok = reader.skipValue() && reader.atEnd();
    EXPECT_EQ(ok, valid) << json << ": " << reader.error();
  }
}

TEST(JsonReaderTest, StringsWithoutEscapesViewTheInput) {
  const std::string json = R"("plain" "esc\naped")";
  JsonReader reader(json);
  std::string scratch;
  std::string_view s;
  ASSERT_TRUE(reader.readString(s, scratch));
  EXPECT_EQ(s, "plain");
  EXPECT_EQ(s.data(), json.data() + 1);
  ASSERT_TRUE(reader.readString(s, scratch));
  EXPECT_EQ(s, "esc\naped");
  EXPECT_EQ(s.data(), scratch.data());
}

}  // namespace
}  // namespace sfsync::salesforce

namespace sfsync::salesforce {
namespace {

struct Utf8Case {
  std::string json;
  std::string expected;
  bool repaired;
};

TEST(JsonReaderTest, InvalidUtf8IsReplacedByteByByteWithTheReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  const std::vector<Utf8Case> cases = {
      {"\"Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x98\x80\"",
       "Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x98\x80", false},
      {"\"a\xFF"
       "b\"",
       "a" + fffd + "b", true},                                   // never valid
      {"\"\xC0\xAF\"", fffd + fffd, true},                        // overlong '/'
      {"\"\xED\xA0\x80\"", fffd + fffd + fffd, true},             // encoded surrogate
      {"\"\xF4\x90\x80\x80\"", fffd + fffd + fffd + fffd, true},  // above U+10FFFF
      {"\"end \xE2\x82\"", "end " + fffd + fffd, true},           // truncated sequence
      {"\"\\u00e9\xC3\"", "\xC3\xA9" + fffd, true},               // after an escape
      {"\"\xC3\\n\"", fffd + "\n", true},                         // before an escape
  };
  for (const Utf8Case& c : cases) {
    JsonReader reader(c.json);
    Value v;
    ASSERT_TRUE(reader.readScalar(v)) << c.json << ": " << reader.error();
    EXPECT_EQ(v, Value(c.expected)) << c.json;
    EXPECT_EQ(reader.invalidUtf8Strings(), c.repaired ? 1u : 0u) << c.json;
  }
}

}  // namespace
}  // namespace sfsync::salesforce

namespace sfsync::salesforce {
namespace {

// The string scan reads eight bytes at a time: every kind of byte that ends or changes a string
// must be seen at every position within and across those words, in readString and skipValue.
struct ScanCase {
  std::string raw;        // inserted into the string literal as is
  std::string decoded;    // what readString returns for it
  bool valid = true;      // false: the literal is malformed
  bool repaired = false;  // invalid UTF-8 replaced
};

TEST(JsonReaderTest, StringScanSeesEveryKindOfByteAtEveryOffset) {
  const std::string fffd = "\xEF\xBF\xBD";
  const std::vector<ScanCase> kinds = {
      {"\\\"", "\"", true, false},            // escaped quote
      {"\\\\", "\\", true, false},            // escaped backslash
      {"\\n", "\n", true, false},             // escape
      {"\xC3\xA9", "\xC3\xA9", true, false},  // valid non-ASCII
      {"\xFF", fffd, true, true},             // invalid UTF-8
      {"\x01", "", false, false},             // raw control character
      {"\x1F", "", false, false},             // raw control character
      {"~\x7F", "~\x7F", true, false},        // just above the specials
      {" !#[]", " !#[]", true, false},        // around '"' and '\\'
  };
  for (std::size_t before = 0; before < 20; ++before) {
    for (std::size_t after = 0; after < 12; after += 3) {
      for (const ScanCase& k : kinds) {
        const std::string json =
            "\"" + std::string(before, 'a') + k.raw + std::string(after, 'b') + "\",1";
        const std::string expected = std::string(before, 'a') + k.decoded + std::string(after, 'b');
        const std::string what = "before " + std::to_string(before) + " after " +
                                 std::to_string(after) + " kind " + std::to_string(&k - &kinds[0]);
        JsonReader reader(json);
        std::string scratch;
        std::string_view s;
        ASSERT_EQ(reader.readString(s, scratch), k.valid) << what;
        JsonReader skipper(json);
        ASSERT_EQ(skipper.skipValue(), k.valid) << what;
        if (!k.valid) continue;
        EXPECT_EQ(s, expected) << what;
        EXPECT_EQ(reader.invalidUtf8Strings(), k.repaired ? 1u : 0u) << what;
        EXPECT_TRUE(reader.tryConsume(',')) << what;  // stopped right after the closing quote
        EXPECT_TRUE(skipper.tryConsume(',')) << what;
      }
    }
  }
}

TEST(JsonReaderTest, UnterminatedStringsFailAtEveryLength) {
  for (std::size_t n = 0; n < 20; ++n) {
    const std::string json = "\"" + std::string(n, 'x');
    JsonReader reader(json);
    std::string scratch;
    std::string_view s;
    EXPECT_FALSE(reader.readString(s, scratch)) << n;
    JsonReader skipper(json);
    EXPECT_FALSE(skipper.skipValue()) << n;
  }
}

}  // namespace
}  // namespace sfsync::salesforce
