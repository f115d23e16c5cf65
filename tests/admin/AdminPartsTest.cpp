// The admin server's small parts, table-driven: JSON writing, ISO-8601 parsing, page cursors and
// request targets.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <optional>
#include <string>
#include <vector>

#include "admin/IsoTime.h"
#include "admin/JsonWriter.h"
#include "admin/PageCursor.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {
namespace {

TEST(JsonWriterTest, EscapesStringsAndKeepsUtf8Valid) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plain", "\"plain\""},
      {"quote \" backslash \\", "\"quote \\\" backslash \\\\\""},
      {"line\nfeed\r\ttab", "\"line\\nfeed\\r\\ttab\""},
      {std::string("nul\0x", 5), "\"nul\\u0000x\""},
      {"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
      {"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80",
       "\"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\""},
      {"cut \xc3", "\"cut \xef\xbf\xbd\""},                  // truncated sequence
      {"bad \xff\xfe", "\"bad \xef\xbf\xbd\xef\xbf\xbd\""},  // never valid
      {"overlong \xc0\xaf", "\"overlong \xef\xbf\xbd\xef\xbf\xbd\""},
      {"surrogate \xed\xa0\x80", "\"surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
      {"</script>", "\"</script>\""},
  };
  for (const auto& [input, expected] : cases) EXPECT_EQ(JsonWriter::quote(input), expected);
}

TEST(JsonWriterTest, BuildsNestedDocumentsWithCommas) {
  JsonWriter json;
  json.beginObject()
      .stringField("a", "x")
      .integerField("n", -42)
      .booleanField("t", true)
      .stringOrNullField("empty", "")
      .stringArrayField("list", {"p", "q"})
      .key("nested")
      .beginArray()
      .beginObject()
      .endObject()
      .integer(1)
      .null()
      .raw("{\"r\":[1,2]}")
      .endArray()
      .endObject();
  EXPECT_EQ(json.str(),
            "{\"a\":\"x\",\"n\":-42,\"t\":true,\"empty\":null,\"list\":[\"p\",\"q\"],"
            "\"nested\":[{},1,null,{\"r\":[1,2]}]}");
  Poco::JSON::Parser parser;
  EXPECT_NO_THROW(parser.parse(json.str()));
}

TEST(IsoTimeTest, ParsesTheAcceptedForms) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2026-03-01", "2026-03-01T00:00:00.000Z"},
      {"2026-03-01T10:30", "2026-03-01T10:30:00.000Z"},
      {"2026-03-01T10:30:15", "2026-03-01T10:30:15.000Z"},
      {"2026-03-01T10:30:15Z", "2026-03-01T10:30:15.000Z"},
      {"2026-03-01t10:30:15z", "2026-03-01T10:30:15.000Z"},
      {"2026-03-01 10:30:15", "2026-03-01T10:30:15.000Z"},
      {"2026-03-01T10:30:15.1Z", "2026-03-01T10:30:15.100Z"},
      {"2026-03-01T10:30:15.123456Z", "2026-03-01T10:30:15.123Z"},
      {"2026-03-01T10:30:15+02:00", "2026-03-01T08:30:15.000Z"},
      {"2026-03-01T01:30:15+0200", "2026-02-28T23:30:15.000Z"},
      {"2026-03-01T22:30:00-05:00", "2026-03-02T03:30:00.000Z"},
      {"2024-02-29", "2024-02-29T00:00:00.000Z"},
      {"2000-02-29T23:59:59.999Z", "2000-02-29T23:59:59.999Z"},
      {"1970-01-01", "1970-01-01T00:00:00.000Z"},
      {"2100-12-31T23:59:59Z", "2100-12-31T23:59:59.000Z"},
  };
  for (const auto& [input, expected] : cases) {
    const std::optional<std::int64_t> ms = parseIsoTime(input);
    ASSERT_TRUE(ms) << input;
    EXPECT_EQ(formatIsoTime(*ms), expected) << input;
  }
  EXPECT_EQ(parseIsoTime("1970-01-01T00:00:01.5Z"), 1500);
}

TEST(IsoTimeTest, RejectsEverythingElse) {
  for (const char* bad : {"",
                          "notadate",
                          "2026",
                          "2026-3-1",
                          "2026-03-1",
                          "2026-13-01",
                          "2026-00-10",
                          "2026-02-29",
                          "2100-02-29",
                          "2026-04-31",
                          "2026-03-00",
                          "2026-03-01T",
                          "2026-03-01T24:00",
                          "2026-03-01T10:60",
                          "2026-03-01T10:30:60",
                          "2026-03-01T10:30:15.",
                          "2026-03-01T10:30:15ZZ",
                          "2026-03-01T10:30:15+2",
                          "2026-03-01T10:30:15+24:00",
                          "2026-03-01x",
                          " 2026-03-01",
                          "2026-03-01T10"}) {
    EXPECT_FALSE(parseIsoTime(bad)) << bad;
  }
}

TEST(PageCursorTest, RoundTripsAndRejectsForgeries) {
  const PageKey key{"2026-03-08T02:00:01.000Z", "0195f000-0000-7000-8000-000000000030"};
  const std::string cursor = PageCursor::encode(key);
  for (char c : cursor) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << cursor;
  }
  std::optional<PageKey> back = PageCursor::decode(cursor);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->time, key.time);
  EXPECT_EQ(back->id, key.id);
  for (size_t length = 1; length <= 3; ++length) {  // every base64 tail length round-trips
    const PageKey k{"2026-03-08T02:00:01.000Z", std::string(length, 'x')};
    ASSERT_TRUE(PageCursor::decode(PageCursor::encode(k))) << length;
    EXPECT_EQ(PageCursor::decode(PageCursor::encode(k))->id, k.id);
  }
  for (const std::string& bad :
       {std::string(""), std::string("abc"), std::string("!!!!"), cursor + "=", cursor + "A",
        PageCursor::encode({"yesterday", "id"}), PageCursor::encode({"2026-03-08", ""}),
        PageCursor::encode({"2026-03-08", "a\nb"}), std::string(600, 'A')}) {
    EXPECT_FALSE(PageCursor::decode(bad)) << bad;
  }
}

TEST(RequestTargetTest, SplitsThenDecodes) {
  Result<RequestTarget> t = RequestTarget::parse("/api/jobs/A%2FB%20C/run/?x=1+2&y=%26&z&x=3");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->segments(), (std::vector<std::string>{"api", "jobs", "A/B C", "run"}));
  ASSERT_EQ(t->query().size(), 4u);
  EXPECT_EQ(*t->parameter("x"), "1 2");
  EXPECT_EQ(*t->parameter("y"), "&");
  EXPECT_EQ(*t->parameter("z"), "");
  EXPECT_EQ(t->parameter("w"), nullptr);
  std::optional<ParameterError> twice = t->checkParameters({"x", "y", "z"});
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->parameter, "x");
  std::optional<ParameterError> unknown = t->checkParameters({"x"});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->parameter, "y");

  EXPECT_TRUE(RequestTarget::parse("/").ok());
  EXPECT_TRUE(RequestTarget::parse("/")->segments().empty());
  EXPECT_FALSE(RequestTarget::parse("/a%2").ok());
  EXPECT_FALSE(RequestTarget::parse("/a%zz").ok());
  EXPECT_FALSE(RequestTarget::parse("/a?b=%").ok());
  EXPECT_FALSE(RequestTarget::parse("http://host/a").ok());
  EXPECT_EQ(percentEncodeSegment("A/B C~é"), "A%2FB%20C~%C3%A9");
}

}  // namespace
}  // namespace sfsync::admin
