// Table-driven tests of SOQL binding and evaluation (QueryPlanner + QueryExecutor) over a small
// in-memory org, without HTTP.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "salesforce_sim/OrgData.h"
#include "salesforce_sim/QueryExecutor.h"
#include "salesforce_sim/QueryPageWriter.h"
#include "salesforce_sim/QueryPlanner.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SoqlError.h"

namespace sfsync::sim {
namespace {

const char kThingDescribe[] = R"({
  "name": "Thing__c", "keyPrefix": "a0T",
  "fields": [
    {"name": "Id", "type": "id"},
    {"name": "IsDeleted", "type": "boolean"},
    {"name": "Name", "type": "string"},
    {"name": "Qty__c", "type": "int"},
    {"name": "Price__c", "type": "currency"},
    {"name": "Active__c", "type": "boolean"},
    {"name": "Due__c", "type": "date"},
    {"name": "Stamp__c", "type": "datetime"},
    {"name": "Tags__c", "type": "multipicklist"},
    {"name": "Notes__c", "type": "textarea", "length": 32000},
    {"name": "Parent__c", "type": "reference", "referenceTo": ["Thing__c"],
     "relationshipName": "Parent__r"}
  ]})";

std::string thingId(int k) {
  return SalesforceId::make("a0T", "Tt", static_cast<std::uint64_t>(k));
}

class SoqlQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Poco::JSON::Parser parser;
    org_.addObject(*parser.parse(kThingDescribe).extract<Poco::JSON::Object::Ptr>());
    const std::int64_t now = 0;
    auto add = [&](int k, const std::string& fields) {
      org_.upsertJson("Thing__c", "{\"Id\":\"" + thingId(k) + "\"," + fields + "}", now);
    };
    add(1, R"("Name":"Alpha","Qty__c":10,"Price__c":1.5,"Active__c":true,"Due__c":"2025-01-15",
              "Stamp__c":"2025-01-15T10:30:00.000+0000","Tags__c":"a;b","Parent__c":")" +
               thingId(2) + "\"");
    add(2, R"("Name":"beta","Qty__c":20,"Price__c":null,"Active__c":false,"Due__c":"2025-02-01",
              "Stamp__c":"2025-02-01T00:00:00Z","Tags__c":"b")");
    add(3, R"("Name":"Gamma_1","Price__c":3.25,"Active__c":true,
              "Stamp__c":"2025-01-15T10:30:00.001Z","Parent__c":")" +
               thingId(1) + "\"");
    add(4, R"("Qty__c":5,"Price__c":0.5,"Active__c":false,"Due__c":"2024-12-31","Parent__c":")" +
               thingId(99) + "\"");
    add(5, R"("Name":"O'Brien 100%","Qty__c":10,"Price__c":2,"Active__c":true,
              "Due__c":"2025-01-15","Tags__c":"c")");
    add(6, R"("Name":"Deleted one","IsDeleted":true,"Qty__c":10)");
  }

  std::shared_ptr<const QueryPlan> plan(const std::string& soql, bool all = false) {
    return QueryPlanner(org_).plan(soql, all);
  }

  // Names (or "<null>") of the records the query returns, in result order.
  std::vector<std::string> names(const std::string& soql, bool all = false) {
    const QueryResult r = QueryExecutor::run(plan(soql, all));
    const int nameField = org_.table("Thing__c")->schema().fieldIndex("Name");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < r.recordCount(); ++i) {
      const CellView v = r.rows[i * r.stride]->at(static_cast<std::size_t>(nameField));
      out.push_back(v.isNull() ? "<null>" : std::string(v.s));
    }
    return out;
  }

  std::string where(const std::string& condition) {
    std::string joined;
    for (const std::string& n : names("SELECT Name FROM Thing__c WHERE " + condition)) {
      joined += (joined.empty() ? "" : ",") + n;
    }
    return joined;
  }

  OrgData org_;
};

struct WhereCase {
  const char* condition;
  const char* expected;  // names in natural order, comma-separated
};

TEST_F(SoqlQueryTest, WhereClauses) {
  const WhereCase cases[] = {
      // equality and case-insensitive strings
      {"Name = 'alpha'", "Alpha"},
      {"name = 'ALPHA'", "Alpha"},
      {"Name != 'Alpha'", "beta,Gamma_1,<null>,O'Brien 100%"},  // != matches nulls
      {"Name <> 'Alpha'", "beta,Gamma_1,<null>,O'Brien 100%"},
      {"Name = null", "<null>"},
      {"Name != null", "Alpha,beta,Gamma_1,O'Brien 100%"},
      {"Name = 'O\\'Brien 100%'", "O'Brien 100%"},
      // numbers: int field with integer and decimal literals; currency
      {"Qty__c = 10", "Alpha,O'Brien 100%"},
      {"Qty__c > 5", "Alpha,beta,O'Brien 100%"},
      {"Qty__c >= 10.5", "beta"},
      {"Qty__c < 10", "<null>"},
      {"Qty__c <= 10", "Alpha,<null>,O'Brien 100%"},
      {"Qty__c != 10", "beta,Gamma_1,<null>"},
      {"Price__c > 1.5", "Gamma_1,O'Brien 100%"},
      {"Price__c = 2", "O'Brien 100%"},
      {"Price__c = null", "beta"},
      {"Price__c < -1", ""},
      // booleans
      {"Active__c = true", "Alpha,Gamma_1,O'Brien 100%"},
      {"Active__c = FALSE", "beta,<null>"},
      // dates and datetimes
      {"Due__c = 2025-01-15", "Alpha,O'Brien 100%"},
      {"Due__c < 2025-01-15", "<null>"},
      {"Due__c >= 2025-01-15", "Alpha,beta,O'Brien 100%"},
      {"Due__c = null", "Gamma_1"},
      {"Stamp__c = 2025-01-15T10:30:00Z", "Alpha"},
      {"Stamp__c > 2025-01-15T10:30:00.000+0000", "beta,Gamma_1"},
      {"Stamp__c >= 2025-01-15T02:30:00-08:00", "Alpha,beta,Gamma_1"},
      {"Stamp__c < 2025-01-15T10:30:00.001Z", "Alpha"},
      // LIKE
      {"Name LIKE 'a%'", "Alpha"},
      {"Name LIKE '%A%'", "Alpha,beta,Gamma_1"},
      {"Name LIKE '_eta'", "beta"},
      {"Name LIKE 'gamma\\_%'", "Gamma_1"},
      {"Name LIKE '%100\\%'", "O'Brien 100%"},
      {"Name LIKE '%'", "Alpha,beta,Gamma_1,O'Brien 100%"},
      {"Name LIKE 'alph'", ""},
      {"NOT Name LIKE 'a%'", "beta,Gamma_1,<null>,O'Brien 100%"},
      // IN / NOT IN
      {"Name IN ('alpha', 'BETA')", "Alpha,beta"},
      {"Name NOT IN ('alpha', 'BETA')", "Gamma_1,<null>,O'Brien 100%"},
      {"Name IN ('x', null)", "<null>"},
      {"Qty__c IN (5, 20)", "beta,<null>"},
      {"Qty__c NOT IN (10, null)", "beta,<null>"},
      {"Due__c IN (2024-12-31, 2025-02-01)", "beta,<null>"},
      // multi-select picklists
      {"Tags__c INCLUDES ('b')", "Alpha,beta"},
      {"Tags__c INCLUDES ('a;b', 'c')", "Alpha,O'Brien 100%"},
      {"Tags__c EXCLUDES ('b')", "Gamma_1,<null>,O'Brien 100%"},
      // logic and precedence
      {"Qty__c = 10 AND Active__c = true", "Alpha,O'Brien 100%"},
      {"Qty__c = 20 OR Name = 'Gamma_1'", "beta,Gamma_1"},
      {"Qty__c = 10 AND (Name = 'Alpha' OR Name = 'beta')", "Alpha"},
      {"(Qty__c = 10 AND Name = 'Alpha') OR Name = 'beta'", "Alpha,beta"},
      {"NOT Qty__c = 10 AND Active__c = false", "beta,<null>"},
      {"NOT (Qty__c = 10 AND Active__c = true)", "beta,Gamma_1,<null>"},
      {"NOT (NOT Name = 'Alpha')", "Alpha"},
      {"((Name = 'Alpha'))", "Alpha"},
      // relationship paths; a dangling or empty parent reads as null
      {"Parent__r.Name = 'beta'", "Alpha"},
      {"Parent__r.Name = null", "beta,<null>,O'Brien 100%"},
      {"Parent__r.Parent__r.Name = 'beta'", "Gamma_1"},
      {"Thing__c.Name = 'Alpha'", "Alpha"},  // object-name qualifier
  };
  for (const WhereCase& c : cases) {
    EXPECT_EQ(where(c.condition), c.expected) << "WHERE " << c.condition;
  }
  // Ids: 18 characters (suffix case-insensitive) or 15.
  EXPECT_EQ(where("Id = '" + thingId(2) + "'"), "beta");
  EXPECT_EQ(where("Id = '" + thingId(2).substr(0, 15) + lowerAscii(thingId(2).substr(15)) + "'"),
            "beta");
  EXPECT_EQ(where("Id = '" + thingId(2).substr(0, 15) + "'"), "beta");
  EXPECT_EQ(where("Parent__c IN ('" + thingId(2) + "', '" + thingId(1) + "')"), "Alpha,Gamma_1");
}

TEST_F(SoqlQueryTest, QueryAllIncludesDeletedRows) {
  EXPECT_EQ(names("SELECT Name FROM Thing__c WHERE IsDeleted = true", true),
            std::vector<std::string>{"Deleted one"});
  EXPECT_TRUE(names("SELECT Name FROM Thing__c WHERE IsDeleted = true").empty());
  EXPECT_EQ(names("SELECT Name FROM Thing__c", true).size(), 6u);
}

TEST_F(SoqlQueryTest, OrderByWithNullsLimitOffset) {
  using V = std::vector<std::string>;
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Name"),
            (V{"<null>", "Alpha", "beta", "Gamma_1", "O'Brien 100%"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Name DESC"),
            (V{"O'Brien 100%", "Gamma_1", "beta", "Alpha", "<null>"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Name ASC NULLS LAST"),
            (V{"Alpha", "beta", "Gamma_1", "O'Brien 100%", "<null>"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Name DESC NULLS FIRST"),
            (V{"<null>", "O'Brien 100%", "Gamma_1", "beta", "Alpha"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Qty__c DESC, Name"),
            (V{"beta", "Alpha", "O'Brien 100%", "<null>", "Gamma_1"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Qty__c NULLS LAST, Price__c DESC"),
            (V{"<null>", "O'Brien 100%", "Alpha", "beta", "Gamma_1"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Parent__r.Name NULLS LAST, Name"),
            (V{"Gamma_1", "Alpha", "<null>", "beta", "O'Brien 100%"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Stamp__c DESC NULLS LAST, Due__c"),
            (V{"beta", "Gamma_1", "Alpha", "<null>", "O'Brien 100%"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Name LIMIT 2"), (V{"<null>", "Alpha"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Name LIMIT 2 OFFSET 2"),
            (V{"beta", "Gamma_1"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c ORDER BY Name OFFSET 4"), (V{"O'Brien 100%"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c OFFSET 40"), V{});
  EXPECT_EQ(names("SELECT Name FROM Thing__c LIMIT 0"), V{});
}

TEST_F(SoqlQueryTest, IdsCompareAndSortByteWise) {
  // Serial 10 ends in 'A', serial 36 in 'a': byte order puts 'A' first, case folding would not.
  org_.upsertJson("Thing__c", "{\"Id\":\"" + thingId(36) + "\",\"Name\":\"lower\"}", 0);
  org_.upsertJson("Thing__c", "{\"Id\":\"" + thingId(10) + "\",\"Name\":\"upper\"}", 0);
  ASSERT_EQ(thingId(10).substr(0, 15), "a0TTt000000000A");
  ASSERT_EQ(thingId(36).substr(0, 15), "a0TTt000000000a");
  using V = std::vector<std::string>;
  EXPECT_EQ(names("SELECT Name FROM Thing__c WHERE Id > '" + thingId(5) + "' ORDER BY Id"),
            (V{"upper", "lower"}));
  EXPECT_EQ(names("SELECT Name FROM Thing__c WHERE Id > '" + thingId(10) + "'"), V{"lower"});
  EXPECT_EQ(names("SELECT Name FROM Thing__c WHERE Id >= '" + thingId(5) + "' ORDER BY Id DESC"),
            (V{"lower", "upper", "O'Brien 100%"}));
}

TEST_F(SoqlQueryTest, CountAndTotalSize) {
  QueryResult r = QueryExecutor::run(plan("SELECT COUNT() FROM Thing__c WHERE Active__c = true"));
  EXPECT_EQ(r.totalSize, 3u);
  EXPECT_EQ(r.recordCount(), 0u);
  r = QueryExecutor::run(plan("SELECT Id FROM Thing__c LIMIT 2"));
  EXPECT_EQ(r.totalSize, 2u);
}

TEST_F(SoqlQueryTest, RendersNestedRelationshipsInSelectOrder) {
  const QueryResult r = QueryExecutor::run(plan(
      "SELECT parent__r.name, NAME, Parent__r.Parent__r.Qty__c, qty__c, Parent__r.Id FROM thing__c "
      "WHERE Name IN ('Alpha', 'Gamma_1') ORDER BY Name"));
  const std::string page = QueryPageWriter::page(r, 0, r.recordCount(), "v62.0", "");
  const std::string alpha =
      R"({"attributes":{"type":"Thing__c","url":"/services/data/v62.0/sobjects/Thing__c/)" +
      thingId(1) +
      R"("},"Parent__r":{"attributes":{"type":"Thing__c","url":"/services/data/v62.0/sobjects/Thing__c/)" +
      thingId(2) + R"("},"Name":"beta","Parent__r":null,"Id":")" + thingId(2) +
      R"("},"Name":"Alpha","Qty__c":10})";
  EXPECT_EQ(page.substr(0, 42), R"({"totalSize":2,"done":true,"records":[{"at)");
  EXPECT_NE(page.find(alpha), std::string::npos) << page;
  EXPECT_NE(
      page.find(
          R"("Parent__r":{"attributes":{"type":"Thing__c","url":"/services/data/v62.0/sobjects/Thing__c/)" +
          thingId(2) + R"("},"Qty__c":20})"),
      std::string::npos)
      << page;
}

TEST_F(SoqlQueryTest, ValueFormats) {
  const QueryResult r = QueryExecutor::run(
      plan("SELECT Qty__c, Price__c, Active__c, Due__c, Stamp__c, Tags__c FROM Thing__c WHERE "
           "Name = 'Alpha'"));
  const std::string page = QueryPageWriter::page(r, 0, 1, "v62.0", "/next");
  EXPECT_NE(page.find(R"("done":false,"nextRecordsUrl":"/next")"), std::string::npos);
  EXPECT_NE(page.find(R"("Qty__c":10,"Price__c":1.5,"Active__c":true,"Due__c":"2025-01-15",)"
                      R"("Stamp__c":"2025-01-15T10:30:00.000+0000","Tags__c":"a;b"})"),
            std::string::npos)
      << page;
}

struct ErrorCase {
  const char* soql;
  const char* code;
  const char* message;  // expected suffix of the message
};

TEST_F(SoqlQueryTest, BindingErrorsLikeSalesforce) {
  const ErrorCase cases[] = {
      {"SELECT Id, Foo FROM Thing__c", "INVALID_FIELD",
       "\nSELECT Id, Foo FROM Thing__c\n           ^\nERROR at Row:1:Column:12\nNo such column "
       "'Foo' "
       "on entity 'Thing__c'. If you are attempting to use a custom field, be sure to append the "
       "'__c' after the custom field name. Please reference your WSDL or the describe call for the "
       "appropriate names."},
      {"SELECT Id FROM Nope", "INVALID_TYPE",
       "\nSELECT Id FROM Nope\n               ^\nERROR at Row:1:Column:16\nsObject type 'Nope' is "
       "not supported. If you are attempting to use a custom object, be sure to append the '__c' "
       "after the entity name. Please reference your WSDL or the describe call for the appropriate "
       "names."},
      {"SELECT Owner.Name FROM Thing__c", "INVALID_FIELD",
       "Didn't understand relationship 'Owner' in field path. If you are attempting to use a "
       "custom "
       "relationship, be sure to append the '__r' after the custom relationship name. Please "
       "reference your WSDL or the describe call for the appropriate names."},
      {"SELECT Parent__r.Foo FROM Thing__c", "INVALID_FIELD",
       "No such column 'Foo' on entity 'Thing__c'. If you are attempting to use a custom field, be "
       "sure to append the '__c' after the custom field name. Please reference your WSDL or the "
       "describe call for the appropriate names."},
      {"SELECT Id FROM Thing__c WHERE Bar = 1", "INVALID_FIELD",
       "No such column 'Bar' on entity "
       "'Thing__c'. If you are attempting "
       "to use a custom field, be sure to "
       "append the '__c' after the custom "
       "field name. Please reference your "
       "WSDL or the describe call for the "
       "appropriate names."},
      {"SELECT Id FROM Thing__c ORDER BY Bar", "INVALID_FIELD",
       "No such column 'Bar' on entity "
       "'Thing__c'. If you are attempting "
       "to use a custom field, be sure to "
       "append the '__c' after the custom "
       "field name. Please reference your "
       "WSDL or the describe call for the "
       "appropriate names."},
      {"SELECT Id FROM Thing__c WHERE Qty__c = '5'", "INVALID_FIELD",
       "\nSELECT Id FROM Thing__c WHERE Qty__c = '5'\n                                       ^\n"
       "ERROR at Row:1:Column:40\nvalue of filter criterion for field 'Qty__c' must be of type "
       "integer and should not be enclosed in quotes"},
      {"SELECT Id FROM Thing__c WHERE Name = 5", "INVALID_FIELD",
       "value of filter criterion for field 'Name' must be of type string and should be enclosed "
       "in quotes"},
      {"SELECT Id FROM Thing__c WHERE Due__c = 2025-01-15T00:00:00Z", "INVALID_FIELD",
       "must be of type date and should not be enclosed in quotes"},
      {"SELECT Id FROM Thing__c WHERE Stamp__c > 2025-01-15", "INVALID_FIELD",
       "must be of type dateTime and should not be enclosed in quotes"},
      {"SELECT Id FROM Thing__c WHERE Active__c = 'true'", "INVALID_FIELD",
       "must be of type boolean and should not be enclosed in quotes"},
      {"SELECT Id FROM Thing__c WHERE Id = 'abc'", "INVALID_QUERY_FILTER_OPERATOR",
       "invalid ID field: abc"},
      {"SELECT Id FROM Thing__c WHERE Notes__c = 'x'", "INVALID_FIELD",
       "field 'Notes__c' can not be filtered in a query call"},
      {"SELECT Id FROM Thing__c ORDER BY Notes__c", "INVALID_FIELD",
       "field 'Notes__c' can not be sorted in a query call"},
      {"SELECT Id, name, NAME FROM Thing__c", "MALFORMED_QUERY", "duplicate field selected: NAME"},
      {"SELECT Id FROM Thing__c OFFSET 2001", "NUMBER_OUTSIDE_VALID_RANGE",
       "Maximum SOQL offset allowed is 2000"},
  };
  for (const ErrorCase& c : cases) {
    try {
      plan(c.soql);
      ADD_FAILURE() << "no error for " << c.soql;
    } catch (const SoqlError& e) {
      EXPECT_EQ(e.errorCode(), c.code) << c.soql;
      const std::string message = e.what();
      const std::string suffix = c.message;
      EXPECT_TRUE(message.size() >= suffix.size() &&
                  message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0)
          << c.soql << "\n got: " << message;
    }
  }
}

TEST(SoqlLikeTest, Patterns) {
  struct Case {
    const char* value;
    const char* pattern;
    bool match;
  };
  const Case cases[] = {{"Acme", "acme", true},
                        {"Acme", "a%", true},
                        {"Acme", "%e", true},
                        {"Acme", "a_me", true},
                        {"Acme", "a_e", false},
                        {"", "%", true},
                        {"", "_", false},
                        {"a%b", "a\\%b", true},
                        {"axb", "a\\%b", false},
                        {"a_b", "a\\_b", true},
                        {"axb", "a\\_b", false},
                        {"a\\b", "a\\\\b", true},
                        {"mississippi", "%iss%ppi", true},
                        {"mississippi", "m%s%s%i", true},
                        {"abc", "%%%", true},
                        {"abc", "abcd", false}};
  for (const Case& c : cases) {
    EXPECT_EQ(QueryExecutor::like(c.value, c.pattern), c.match) << c.value << " LIKE " << c.pattern;
  }
}

}  // namespace
}  // namespace sfsync::sim
