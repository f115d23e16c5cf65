#include <gtest/gtest.h>

#include "sfsync/mapping/RecordMapper.h"

namespace sfsync::mapping {
namespace {

salesforce::ObjectDescribe accountDescribe() {
  salesforce::ObjectDescribe d;
  d.name = "Account";
  d.fields = {{"Id", "Account ID", "id"},
              {"Name", "Account Name", "string"},
              {"NumberOfEmployees", "Employees", "int"},
              {"AnnualRevenue", "Annual Revenue", "currency"},
              {"Legacy_Employee_Count__c", "Legacy", "string"}};
  return d;
}

config::JobConfig job() {
  config::JobConfig j;
  j.name = "Company Sync";
  j.sourceObject = "Account";
  j.targetObject = "Company";
  config::MappingConfig id{"Id", "SfdcAccountId", std::nullopt, true};
  config::MappingConfig name{"Name", "Name"};
  config::MappingConfig employees{"numberofemployees", "Employees"};  // case-insensitive source
  config::MappingConfig revenue{"AnnualRevenue", "ARR"};
  config::MappingConfig legacy{"Legacy_Employee_Count__c", "LegacyCount", store::ColumnType::kInteger};
  config::MappingConfig origin{"", "Origin"};
  origin.constant = Value(std::string("salesforce"));
  j.mappings = {id, name, employees, revenue, legacy, origin};
  return j;
}

const std::vector<std::string> kColumns = {"Id", "Name", "NumberOfEmployees", "AnnualRevenue",
                                           "Legacy_Employee_Count__c"};

TEST(RecordMapperTest, DerivesTableFromMappingsAndDescribe) {
  auto mapper = RecordMapper::create(job(), accountDescribe(), kColumns);
  ASSERT_TRUE(mapper.ok()) << mapper.status().toString();
  const store::TableSpec& t = mapper->table();
  EXPECT_EQ(t.name, "Company");
  ASSERT_EQ(t.columns.size(), 6u);
  EXPECT_EQ(t.columns[0].type, store::ColumnType::kText);     // id
  EXPECT_EQ(t.columns[2].type, store::ColumnType::kInteger);  // int
  EXPECT_EQ(t.columns[3].type, store::ColumnType::kReal);     // currency
  EXPECT_EQ(t.columns[4].type, store::ColumnType::kInteger);  // explicit type wins
  EXPECT_EQ(t.columns[5].type, store::ColumnType::kText);     // constant
  EXPECT_EQ(mapper->keyColumns(), std::vector<std::string>{"SfdcAccountId"});
}

TEST(RecordMapperTest, MapsAndConvertsValues) {
  auto mapper = RecordMapper::create(job(), accountDescribe(), kColumns);
  ASSERT_TRUE(mapper.ok());
  std::vector<Value> out;
  MapError error;
  ASSERT_TRUE(mapper->map({Value(std::string("001A")), Value(std::string("Acme")),
                           Value(std::int64_t{12}), Value(2.5), Value(std::string(" 42 "))},
                          out, error));
  EXPECT_EQ(out[0], Value(std::string("001A")));
  EXPECT_EQ(out[2], Value(std::int64_t{12}));
  EXPECT_EQ(out[3], Value(2.5));
  EXPECT_EQ(out[4], Value(std::int64_t{42}));
  EXPECT_EQ(out[5], Value(std::string("salesforce")));
}

TEST(RecordMapperTest, ReportsEveryFailingMappingAndTheFirstOne) {
  config::JobConfig j = job();
  j.mappings[1].type = store::ColumnType::kInteger;  // Name -> integer fails too
  auto mapper = RecordMapper::create(j, accountDescribe(), kColumns);
  ASSERT_TRUE(mapper.ok());
  std::vector<Value> out;
  MapError error;
  EXPECT_FALSE(mapper->map({Value(std::string("001A")), Value(std::string("Acme")), Value{},
                            Value{}, Value(std::string("abc"))},
                           out, error));
  EXPECT_EQ(error.reasonCode, "TYPE_CONVERSION");
  EXPECT_EQ(error.mapping, "Name -> Name");
  EXPECT_EQ(error.value, "Acme");
  EXPECT_NE(error.message.find("Name -> Name: cannot convert 'Acme' to integer"), std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("Legacy_Employee_Count__c -> LegacyCount: cannot convert 'abc'"),
            std::string::npos)
      << error.message;
}

TEST(RecordMapperTest, SourceMissingFromSelectListIsAnInternalError) {
  auto mapper = RecordMapper::create(job(), accountDescribe(), {"Id", "Name"});
  EXPECT_FALSE(mapper.ok());
  EXPECT_EQ(mapper.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace sfsync::mapping
