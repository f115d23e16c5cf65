// TargetMapper maps every value to every column type exactly as convertValue does (values that
// already have the column's type are copied without conversion: same result), and enforces the
// text length limit of the source field (VALUE_TOO_LONG) on either side of it.
#include "sfsync/mapping/TargetMapper.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sfsync/core/ReasonCodes.h"
#include "sfsync/mapping/TypeConversion.h"

namespace sfsync::mapping {
namespace {

const std::vector<store::ColumnType> kTypes = {
    store::ColumnType::kText,    store::ColumnType::kInteger, store::ColumnType::kReal,
    store::ColumnType::kBoolean, store::ColumnType::kDate,    store::ColumnType::kDateTime};

TEST(TargetMapperTest, EveryValueMapsToEveryTypeLikeConvertValue) {
  config::TargetConfig target;
  target.object = "T";
  std::vector<std::string> sourceColumns;
  for (std::size_t t = 0; t < kTypes.size(); ++t) {
    config::MappingConfig m;
    m.source = "F" + std::to_string(t);
    m.target = "C" + std::to_string(t);
    m.type = kTypes[t];
    target.mappings.push_back(m);
    sourceColumns.push_back(m.source);
  }
  Result<TargetMapper> mapper = TargetMapper::create(target, {}, sourceColumns);
  ASSERT_TRUE(mapper.ok()) << mapper.status().toString();

  const std::vector<Value> values = {Value{},
                                     Value{true},
                                     Value{false},
                                     Value{std::int64_t{7}},
                                     Value{std::int64_t{1}},
                                     Value{2.5},
                                     Value{1.0},
                                     Value{std::numeric_limits<double>::infinity()},
                                     Value{std::string("x")},
                                     Value{std::string(" 42 ")},
                                     Value{std::string("2024-02-29")},
                                     Value{std::string("2024-02-29T10:00:00.000+0000")},
                                     Value{std::string("true")}};
  for (const Value& v : values) {
    const std::vector<Value> source(kTypes.size(), v);
    std::vector<Value> out;
    MapError error;
    const bool ok = mapper->map(source, out, error);
    bool allConvert = true;
    for (std::size_t t = 0; t < kTypes.size(); ++t) {
      Result<Value> expected = convertValue(v, kTypes[t]);
      allConvert = allConvert && expected.ok();
      if (expected.ok()) {
        EXPECT_EQ(out[t], *expected) << valueToText(v) << " as " << columnTypeName(kTypes[t]);
      } else {
        EXPECT_NE(error.message.find("C" + std::to_string(t)), std::string::npos)
            << valueToText(v) << ": " << error.message;
      }
    }
    EXPECT_EQ(ok, allConvert) << valueToText(v);
  }
}

TEST(TargetMapperTest, TextLongerThanTheFieldAllowsIsValueTooLong) {
  config::TargetConfig target;
  target.object = "T";
  config::MappingConfig m;
  m.source = "Name";
  m.target = "Name";
  m.type = store::ColumnType::kText;
  target.mappings.push_back(m);
  salesforce::ObjectDescribe describe;
  salesforce::FieldDescribe field;
  field.name = "Name";
  field.type = "string";
  field.length = 10;
  describe.fields.push_back(field);
  Result<TargetMapper> mapper = TargetMapper::create(target, describe, {"Name"});
  ASSERT_TRUE(mapper.ok()) << mapper.status().toString();
  const std::int64_t limit = maxTextLength("string", 10);

  std::vector<Value> out;
  MapError error;
  const std::string atLimit(static_cast<std::size_t>(limit), 'a');
  EXPECT_TRUE(mapper->map({Value{atLimit}}, out, error)) << error.message;
  EXPECT_EQ(out[0], Value{atLimit});
  // More bytes than the limit but not more characters: accepted.
  std::string wide;
  for (std::int64_t i = 0; i < limit; ++i) wide += "\xC3\xA9";
  EXPECT_TRUE(mapper->map({Value{wide}}, out, error)) << error.message;
  EXPECT_EQ(out[0], Value{wide});
  EXPECT_FALSE(mapper->map({Value{atLimit + "a"}}, out, error));
  EXPECT_EQ(std::string(error.reasonCode), reason::kValueTooLong);
}

}  // namespace
}  // namespace sfsync::mapping
