#include "sfsync/salesforce/ConnectionSettings.h"

#include <gtest/gtest.h>

#include "sfsync/salesforce/ObjectDescribe.h"

namespace sfsync::salesforce {
namespace {

struct LoginCase {
  OrgType orgType;
  std::string customDomainUrl;
  std::string expected;
};

TEST(ConnectionSettingsTest, LoginUrlPerOrgType) {
  const std::vector<LoginCase> cases = {
      {OrgType::kProduction, "", "https://login.salesforce.com"},
      {OrgType::kProduction, "https://ignored.example.com", "https://login.salesforce.com"},
      {OrgType::kSandbox, "", "https://test.salesforce.com"},
      {OrgType::kCustomDomain, "https://acme.my.salesforce.com", "https://acme.my.salesforce.com"},
      {OrgType::kCustomDomain, "https://acme.my.salesforce.com/", "https://acme.my.salesforce.com"},
      {OrgType::kCustomDomain, "https://acme.my.salesforce.com//",
       "https://acme.my.salesforce.com"},
      {OrgType::kCustomDomain, "  https://acme.my.salesforce.com/ ",
       "https://acme.my.salesforce.com"},
      {OrgType::kCustomDomain, "acme.my.salesforce.com", "https://acme.my.salesforce.com"},
      {OrgType::kCustomDomain, "http://127.0.0.1:8443/", "http://127.0.0.1:8443"},
      {OrgType::kCustomDomain, "", ""},
  };
  for (const auto& c : cases) {
    ConnectionSettings s;
    s.orgType = c.orgType;
    s.customDomainUrl = c.customDomainUrl;
    EXPECT_EQ(s.loginUrl(), c.expected) << "customDomainUrl: '" << c.customDomainUrl << "'";
  }
}

TEST(ObjectDescribeTest, FindFieldIsCaseInsensitive) {
  ObjectDescribe d;
  d.name = "Account";
  d.fields.push_back(FieldDescribe{});
  d.fields.back().name = "Id";
  d.fields.push_back(FieldDescribe{});
  d.fields.back().name = "NumberOfEmployees";
  d.fields.back().type = "int";

  const struct {
    std::string name;
    const char* expected;
  } cases[] = {{"Id", "Id"},
               {"ID", "Id"},
               {"numberofemployees", "NumberOfEmployees"},
               {"NumberOfEmployee", nullptr},
               {"", nullptr},
               {"Name", nullptr}};
  for (const auto& c : cases) {
    const FieldDescribe* f = d.findField(c.name);
    if (c.expected == nullptr) {
      EXPECT_EQ(f, nullptr) << c.name;
    } else {
      ASSERT_NE(f, nullptr) << c.name;
      EXPECT_EQ(f->name, c.expected);
    }
  }
}

}  // namespace
}  // namespace sfsync::salesforce
