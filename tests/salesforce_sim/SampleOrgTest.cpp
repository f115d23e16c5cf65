// The sample org (org/*.json) keeps the properties other tests rely on, and OrgData's mutations
// behave as documented.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "salesforce_sim/OrgData.h"
#include "salesforce_sim/QueryExecutor.h"
#include "salesforce_sim/QueryPlanner.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimTime.h"

namespace sfsync::sim {
namespace {

class SampleOrgTest : public ::testing::Test {
 protected:
  void SetUp() override { org_.loadDirectory(SFSYNC_SAMPLE_ORG_DIR, true); }

  // Rows of a query as maps of field name -> rendered text ("" for null).
  std::vector<std::map<std::string, std::string>> rows(const std::string& soql) {
    const QueryResult r = QueryExecutor::run(QueryPlanner(org_).plan(soql, false));
    std::vector<std::map<std::string, std::string>> out;
    for (std::size_t i = 0; i < r.recordCount(); ++i) {
      std::map<std::string, std::string> row;
      const Row& data = *r.rows[i * r.stride];
      for (const SelectNode& n : r.plan->select) {
        if (n.relationship) continue;
        const CellView v = data.at(static_cast<std::size_t>(n.field));
        switch (v.kind) {
          case ValueKind::String:
            row[n.key] = std::string(v.s);
            break;
          case ValueKind::Bool:
            row[n.key] = v.b ? "true" : "false";
            break;
          case ValueKind::Int:
            row[n.key] = std::to_string(v.i);
            break;
          case ValueKind::Double:
            row[n.key] = std::to_string(v.d);
            break;
          default:
            row[n.key] = v.isNull() ? "" : "?";
        }
      }
      out.push_back(row);
    }
    return out;
  }

  OrgData org_;
};

TEST_F(SampleOrgTest, IdsStampsAndReferencesAreConsistent) {
  std::size_t total = 0;
  for (const RecordTable* t : org_.tables()) {
    const ObjectSchema& s = t->schema();
    EXPECT_FALSE(t->rows().empty()) << s.name();
    for (const RowPtr& row : t->rows()) {
      ++total;
      const std::string id(row->at(static_cast<std::size_t>(s.idField())).s);
      EXPECT_TRUE(SalesforceId::isValid(id) && id.size() == 18) << id;
      EXPECT_EQ(id.substr(0, 3), s.keyPrefix());
      for (const char* stamp : {"CreatedDate", "LastModifiedDate", "SystemModstamp"}) {
        const int k = s.fieldIndex(stamp);
        ASSERT_GE(k, 0) << s.name() << " lacks " << stamp;
        EXPECT_EQ(row->at(static_cast<std::size_t>(k)).kind, ValueKind::DateTime) << id;
      }
      for (std::size_t f = 0; f < s.fields().size(); ++f) {
        const SimField& field = s.field(f);
        const CellView v = row->at(f);
        if (field.kind != FieldKind::Reference || v.isNull()) continue;
        const RecordTable* target = org_.referenceTarget(field);
        ASSERT_NE(target, nullptr) << s.name() << "." << field.name;
        EXPECT_NE(target->find(v.s), nullptr) << s.name() << "." << field.name << " of " << id;
      }
    }
  }
  EXPECT_GT(total, 60u);
}

TEST_F(SampleOrgTest, UsersCoverLookupEdgeCases) {
  const auto users = rows("SELECT Id, ManagerId, Email, IsActive, UserType FROM User");
  EXPECT_GE(users.size(), 12u);
  int managerAfter = 0, inactive = 0, special = 0;
  std::map<std::string, int> activeStandardByEmail;
  for (const auto& u : users) {
    if (!u.at("ManagerId").empty() && u.at("ManagerId") > u.at("Id")) ++managerAfter;
    if (u.at("IsActive") == "false") ++inactive;
    if (u.at("UserType") != "Standard") ++special;
    if (u.at("IsActive") == "true" && u.at("UserType") == "Standard") {
      ++activeStandardByEmail[u.at("Email")];
    }
  }
  EXPECT_GE(managerAfter, 1);
  EXPECT_GE(inactive, 2);
  EXPECT_GE(special, 2);
  EXPECT_EQ(activeStandardByEmail.at("sales@acme-sample.com"), 2);
  EXPECT_EQ(rows("SELECT Id FROM User WHERE Username = 'admin@sample.sfsync'").size(), 1u);
}

TEST_F(SampleOrgTest, AccountsContactsCases) {
  EXPECT_EQ(rows("SELECT Id FROM Account WHERE Name = 'Acme Corporation'").size(), 2u);
  const auto legacy = rows(
      "SELECT Legacy_Employee_Count__c FROM Account WHERE "
      "Legacy_Employee_Count__c != null");
  int nonNumeric = 0;
  for (const auto& a : legacy) {
    if (a.at("Legacy_Employee_Count__c").find_first_not_of("0123456789") != std::string::npos) {
      ++nonNumeric;
      EXPECT_EQ(a.at("Legacy_Employee_Count__c"), "abc");
    }
  }
  EXPECT_EQ(nonNumeric, 1);
  EXPECT_EQ(rows("SELECT Id FROM Contact WHERE AccountId = null").size(), 1u);
  int reportsLater = 0;
  for (const auto& c : rows("SELECT Id, ReportsToId FROM Contact WHERE ReportsToId != null")) {
    if (c.at("ReportsToId") > c.at("Id")) ++reportsLater;
  }
  EXPECT_GE(reportsLater, 1);
  EXPECT_EQ(rows("SELECT Id FROM Case WHERE ContactId = null").size(), 1u);
  EXPECT_EQ(rows("SELECT Id FROM Case WHERE Owner.Email = 'sales@acme-sample.com'").size(), 1u);
  const auto numbers = rows("SELECT CaseNumber FROM Case ORDER BY CaseNumber");
  ASSERT_EQ(numbers.size(), 10u);
  EXPECT_EQ(numbers.front().at("CaseNumber"), "00001001");
  EXPECT_EQ(numbers.back().at("CaseNumber"), "00001010");
}

TEST_F(SampleOrgTest, CurrenciesOpportunitiesRenewals) {
  EXPECT_EQ(rows("SELECT IsoCode FROM CurrencyType").size(), 4u);
  EXPECT_EQ(rows("SELECT IsoCode FROM CurrencyType WHERE IsCorporate = true").front().at("IsoCode"),
            "USD");
  EXPECT_GE(rows("SELECT Id FROM Opportunity").size(), 8u);
  const auto renewals = rows("SELECT Contract_Number__c, Renewal_Year__c FROM Renewal__c");
  EXPECT_GE(renewals.size(), 6u);
  std::set<std::pair<std::string, std::string>> pairs;
  std::map<std::string, int> years;
  for (const auto& r : renewals) {
    EXPECT_TRUE(pairs.emplace(r.at("Contract_Number__c"), r.at("Renewal_Year__c")).second);
    ++years[r.at("Contract_Number__c")];
  }
  EXPECT_EQ(years.at("C-1001"), 2);
}

TEST(SampleOrgSingleCurrencyTest, DropsCurrencyTypeAndIsoCodes) {
  OrgData org(false);
  org.loadDirectory(SFSYNC_SAMPLE_ORG_DIR, true);
  EXPECT_EQ(org.table("CurrencyType"), nullptr);
  for (const RecordTable* t : org.tables()) {
    EXPECT_LT(t->schema().fieldIndex("CurrencyIsoCode"), 0) << t->schema().name();
  }
  // Records may still name CurrencyIsoCode; it is ignored without multi-currency.
  EXPECT_NO_THROW(org.upsertJson("Account", R"({"Name":"X","CurrencyIsoCode":"EUR"})", 0));
}

TEST(OrgDataTest, MutationsAndValidation) {
  OrgData org;
  org.loadDirectory(SFSYNC_SAMPLE_ORG_DIR, false);
  const std::int64_t t0 = SimTime::daysFromCivil(2025, 3, 1) * 86400000LL;
  const std::string id = org.upsertJson("Contact", R"({"FirstName":"Ada","LastName":"Byron"})", t0);
  const RecordTable& contacts = *org.table("Contact");
  const ObjectSchema& s = contacts.schema();
  auto value = [&](const char* field) {
    return (*contacts.find(id))->at(static_cast<std::size_t>(s.fieldIndex(field)));
  };
  EXPECT_EQ(value("Name").s, "Ada Byron");
  EXPECT_EQ(value("SystemModstamp").i, t0);
  EXPECT_FALSE(value("IsDeleted").b);

  org.setFieldJson("Contact", id, "title", R"("CTO")", t0 + 1000);
  EXPECT_EQ(value("Title").s, "CTO");
  EXPECT_EQ(value("SystemModstamp").i, t0 + 1000);
  EXPECT_EQ(value("LastModifiedDate").i, t0 + 1000);
  org.setFieldJson("Contact", id, "Title", "null", t0 + 2000);
  EXPECT_TRUE(value("Title").isNull());
  org.setFieldJson("Contact", id, "SystemModstamp", R"("2020-01-01T00:00:00Z")", t0 + 3000);
  EXPECT_EQ(SimTime::formatDateTime(value("SystemModstamp").i), "2020-01-01T00:00:00.000+0000");
  EXPECT_EQ(value("LastModifiedDate").i, t0 + 2000);

  org.deleteRecord("Contact", id.substr(0, 15), t0 + 4000);
  EXPECT_TRUE(value("IsDeleted").b);
  EXPECT_EQ(value("SystemModstamp").i, t0 + 4000);
  EXPECT_EQ(contacts.liveCount(), 0u);

  EXPECT_THROW(org.upsertJson("Contact", R"({"Nope":1})", 0), std::invalid_argument);
  EXPECT_THROW(org.upsertJson("Nope", R"({})", 0), std::invalid_argument);
  EXPECT_THROW(org.upsertJson("Account", R"({"NumberOfEmployees":"many"})", 0),
               std::invalid_argument);
  EXPECT_THROW(org.upsertJson("Account", R"({"CreatedDate":"2025-01-01"})", 0),
               std::invalid_argument);
  EXPECT_THROW(org.upsertJson("Account", R"({"Id":"0035g0000000tvxAAA"})", 0),
               std::invalid_argument);  // a Contact Id
  EXPECT_THROW(org.upsertJson("Account", "not json", 0), std::invalid_argument);
  EXPECT_THROW(org.setFieldJson("Contact", id, "Bogus", "1", 0), std::invalid_argument);

  // A 15-character Id in the JSON is stored as 18; the record keeps its position when replaced.
  const std::string acc = org.upsertJson("Account", R"({"Id":"0015g0000000tvx","Name":"A"})", 0);
  EXPECT_EQ(acc, "0015g0000000tvxAAA");
  org.upsertJson("Account", R"({"Id":"0015g0000000tvxAAA","Name":"B"})", 0);
  EXPECT_EQ(org.table("Account")->rows().size(), 1u);
  EXPECT_EQ(org.table("Account")->rows()[0]->at(2).s, "B");
  org.clearObject("Account");
  EXPECT_TRUE(org.table("Account")->rows().empty());
}

}  // namespace
}  // namespace sfsync::sim
