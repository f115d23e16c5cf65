// ResultStream (the push parser of SQL API answers) and Cursor (the incremental cursor as a bind
// variable, its stored form and the literal form of earlier versions), table-driven, issue 14.
#include <gtest/gtest.h>

#include "sfsync/snowflake/SnowflakeQuery.h"
#include "snowflake/ResultStream.h"

namespace sfsync::snowflake {
namespace {

const std::string kAnswer =
    R"({"resultSetMetaData":{"numRows":3,"format":"jsonv2","rowType":[{"name":"EMAIL","type":"text","scale":0},)"
    R"({"name":"N","type":"fixed","scale":0}],"partitionInfo":[{"rowCount":2},{"rowCount":1}]},)"
    R"("data":[["a@x.com","1"],["b\"\u00e9@x.com",null]],"code":"090001","statementHandle":"01h",)"
    R"("message":"Statement executed successfully."})";

struct Parsed {
  Status status;
  ResultMeta meta;
  std::vector<std::vector<Value>> rows;
};

// Feeds `text` in chunks of `chunk` bytes.
Parsed parse(const std::string& text, std::size_t chunk, bool statement = true,
             std::int64_t skip = 0) {
  Parsed out;
  ResultStream stream(statement ? &out.meta : nullptr, skip, [&](std::vector<Value>& cells) {
    out.rows.push_back(cells);
    return Status::OK();
  });
  for (std::size_t i = 0; i < text.size() && out.status.ok(); i += chunk) {
    out.status = stream.feed(text.data() + i, std::min(chunk, text.size() - i));
  }
  if (out.status.ok()) out.status = stream.finish();
  return out;
}

TEST(ResultStream, TheSameRowsWhateverTheChunks) {
  for (std::size_t chunk : {1u, 2u, 7u, 64u, 100000u}) {
    Parsed p = parse(kAnswer, chunk);
    ASSERT_TRUE(p.status.ok()) << chunk << ": " << p.status.toString();
    EXPECT_EQ(p.meta.statementHandle, "01h");
    ASSERT_EQ(p.meta.columns.size(), 2u);
    EXPECT_EQ(p.meta.columns[1].type, "fixed");
    EXPECT_EQ(p.meta.partitionRows, (std::vector<std::int64_t>{2, 1}));
    ASSERT_EQ(p.rows.size(), 2u);
    EXPECT_EQ(std::get<std::string>(p.rows[0][0]), "a@x.com");
    EXPECT_EQ(std::get<std::string>(p.rows[1][0]), "b\"\xC3\xA9@x.com");
    EXPECT_TRUE(isNull(p.rows[1][1]));
  }
}

TEST(ResultStream, RowsBeforeTheMetadataWaitForIt) {
  const std::string text =
      R"({"data":[["a","1"]],"statementHandle":"h",)"
      R"("resultSetMetaData":{"numRows":1,"rowType":[{"name":"A","type":"text"},)"
      R"({"name":"B","type":"fixed"}]}})";
  ResultMeta meta;
  std::size_t columnsWhenRowArrived = 0;
  ResultStream stream(&meta, 0, [&](std::vector<Value>&) {
    columnsWhenRowArrived = meta.columns.size();
    return Status::OK();
  });
  ASSERT_TRUE(stream.feed(text.data(), text.size()).ok());
  ASSERT_TRUE(stream.finish().ok());
  EXPECT_EQ(columnsWhenRowArrived, 2u);
  EXPECT_EQ(stream.delivered(), 1);
}

TEST(ResultStream, APartitionAndSkippedRows) {
  Parsed p = parse(R"({"data":[["1"],["2"],["3"]]})", 3, false, 2);
  ASSERT_TRUE(p.status.ok()) << p.status.toString();
  ASSERT_EQ(p.rows.size(), 1u);  // the first two were handed on by an earlier attempt
  EXPECT_EQ(std::get<std::string>(p.rows[0][0]), "3");
}

TEST(ResultStream, MalformedAnswersAreDataErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"data":[["a"]],"statementHandle":"h"})", "no resultSetMetaData"},
      {R"({"resultSetMetaData":{"rowType":[]}})", "no data"},
      {R"({"resultSetMetaData":{"rowType":[]},"data":[["a",["nested"]]]})", "nested"},
      {R"({"resultSetMetaData":{"rowType":[]},"data":[["a"])", "truncated"},
      {R"({"resultSetMetaData":{"rowType":[]},"data":{"a":1}})", "not an array"},
      {R"([1,2])", "not an object"},
      {R"({"resultSetMetaData":{"rowType":[]},"data":[["a" "b"]]})", "malformed"},
      {"{\"x\":" + std::string(100, '[') + std::string(100, ']') + "}", "nested deeper"},
  };
  for (const auto& [text, why] : cases) {
    Parsed p = parse(text, 5);
    EXPECT_EQ(p.status.code(), StatusCode::kDataError) << text;
    EXPECT_NE(p.status.message().find(why), std::string::npos)
        << text << ": " << p.status.message();
  }
}

TEST(ResultStream, InvalidUtf8IsReplacedAndASinkErrorStops) {
  Parsed p = parse("{\"data\":[[\"a\xFFz\"]]}", 4, false);
  ASSERT_TRUE(p.status.ok()) << p.status.toString();
  EXPECT_EQ(std::get<std::string>(p.rows[0][0]), "a\xEF\xBF\xBDz");
  ResultStream stream(nullptr, 0, [](std::vector<Value>&) { return Status::IoError("disk full"); });
  const std::string text = R"({"data":[["1"],["2"]]})";
  Status s = stream.feed(text.data(), text.size());
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_TRUE(stream.sinkStopped());
  EXPECT_EQ(stream.delivered(), 1);
}

TEST(SnowflakeCursor, FromCellsAtSnowflakesPrecision) {
  struct Case {
    const char* type;
    const char* cell;
    const char* bindType;
    const char* value;
    const char* shown;
  };
  const std::vector<Case> cases = {
      {"timestamp_ntz", "1616173619.123456789", "TIMESTAMP_NTZ", "1616173619123456789",
       "2021-03-19T17:06:59.123456789Z"},
      {"timestamp_ltz", "1616173619.5", "TIMESTAMP_LTZ", "1616173619500000000",
       "2021-03-19T17:06:59.500000000Z"},
      {"timestamp_tz", "1616173619.000000001 1500", "TIMESTAMP_LTZ", "1616173619000000001",
       "2021-03-19T17:06:59.000000001Z"},
      {"timestamp_ntz", "-0.250000000", "TIMESTAMP_NTZ", "-250000000",
       "1969-12-31T23:59:59.750000000Z"},
      {"date", "19000", "DATE", "1641600000000", "2022-01-08"},
      {"fixed", "42", "FIXED", "42", "42"},
      {"fixed", "12.50", "FIXED", "12.50", "12.50"},
      {"real", "0.25", "REAL", "0.25", "0.25"},
      {"text", "it's \\ odd", "TEXT", "it's \\ odd", "it's \\ odd"},
  };
  for (const Case& c : cases) {
    Result<Cursor> cursor = Cursor::fromCell({"C", c.type, 0}, c.cell);
    ASSERT_TRUE(cursor.ok()) << c.cell << ": " << cursor.status().toString();
    EXPECT_EQ(cursor->value.type, c.bindType) << c.cell;
    EXPECT_EQ(cursor->value.value, c.value) << c.cell;
    EXPECT_EQ(cursor->display(), c.shown) << c.cell;
    Result<Cursor> back = Cursor::parse(cursor->text());  // the stored form round-trips
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->value, cursor->value);
    EXPECT_FALSE(back->inclusive);
  }
  EXPECT_FALSE(Cursor::fromCell({"C", "timestamp_ntz", 9}, "12x.5").ok());
  EXPECT_FALSE(Cursor::fromCell({"C", "fixed", 0}, "abc").ok());
  // Values past any calendar are refused, not overflowed (UBSan builds run this).
  EXPECT_FALSE(Cursor::fromCell({"C", "timestamp_ntz", 9}, std::string(25, '9') + ".5").ok());
  EXPECT_FALSE(Cursor::fromCell({"C", "date", 0}, std::string(25, '9')).ok());
  EXPECT_EQ(Cursor::fromCell({"C", "timestamp_ntz", 9}, std::string(20, '9'))->display(),
            std::string(20, '9') + "000000000");
}

TEST(SnowflakeCursor, OrderAndTheOldLiteralForm) {
  const auto cell = [](const char* type, const char* text) {
    return Cursor::fromCell({"C", type, 0}, text).value();
  };
  EXPECT_TRUE(cell("timestamp_ntz", "1616173619.123456790")
                  .above(cell("timestamp_ntz", "1616173619.123456789")));
  EXPECT_FALSE(cell("fixed", "9").above(cell("fixed", "10")));  // numbers, not text
  EXPECT_TRUE(cell("real", "10.5").above(cell("real", "9.75")));
  EXPECT_TRUE(cell("text", "b").above(cell("text", "a")));
  // What earlier versions stored (textLiteral / a number) still reads, as the same comparison.
  for (const std::string text : {"2021-03-19T17:06:59.123Z", "ends in a backslash\\", "it's"}) {
    Result<Cursor> old = Cursor::parse(textLiteral(text));
    ASSERT_TRUE(old.ok()) << text;
    EXPECT_EQ(old->value, (Binding{"TEXT", text}));
  }
  EXPECT_EQ(Cursor::parse("109")->value, (Binding{"FIXED", "109"}));
  EXPECT_EQ(Cursor::parse("1.5")->value, (Binding{"REAL", "1.5"}));
  EXPECT_FALSE(Cursor::parse("not a literal").ok());
  EXPECT_FALSE(Cursor::parse("{broken").ok());
}

}  // namespace
}  // namespace sfsync::snowflake
