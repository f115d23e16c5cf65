#include <gtest/gtest.h>

#include "salesforce_sim/SoqlError.h"
#include "salesforce_sim/SoqlParser.h"

namespace sfsync::sim {
namespace {

TEST(SoqlParserTest, ParsesFullQuery) {
  const SoqlQuery q = SoqlParser::parseQuery(
      "select Id, Account.Name, Owner.Manager.Email FROM Contact "
      "where (Name like 'A%' or Email != null) and not Title in ('CEO', 'CFO') "
      "order by Account.Name desc nulls last, Id LIMIT 10 offset 5");
  ASSERT_EQ(q.fields.size(), 3u);
  EXPECT_EQ(q.fields[1].parts, (std::vector<std::string>{"Account", "Name"}));
  EXPECT_EQ(q.fields[2].text(), "Owner.Manager.Email");
  EXPECT_EQ(q.fields[2].pos, 25u);
  EXPECT_EQ(q.object, "Contact");
  ASSERT_TRUE(q.where);
  EXPECT_EQ(q.where->kind, SoqlCondition::Kind::And);
  ASSERT_EQ(q.where->children.size(), 2u);
  EXPECT_EQ(q.where->children[0]->kind, SoqlCondition::Kind::Or);
  EXPECT_EQ(q.where->children[1]->kind, SoqlCondition::Kind::Not);
  EXPECT_EQ(q.where->children[1]->children[0]->op, SoqlOp::In);
  ASSERT_EQ(q.orderBy.size(), 2u);
  EXPECT_TRUE(q.orderBy[0].descending);
  EXPECT_EQ(q.orderBy[0].nullsFirst, false);
  EXPECT_FALSE(q.orderBy[1].nullsFirst.has_value());
  EXPECT_EQ(q.limit, 10);
  EXPECT_EQ(q.offset, 5);
}

TEST(SoqlParserTest, ParsesLiterals) {
  const SoqlQuery q = SoqlParser::parseQuery(
      "SELECT Id FROM Account WHERE A = 'it\\'s \\\\ \\n' AND B = -12 AND C = 3.5 AND D = true AND "
      "E = FALSE AND F = NULL AND G = 2025-01-15 AND H = 2025-01-15T10:30:00Z AND "
      "I = 2025-01-15T10:30:00.000+0000 AND J NOT IN (1, 2) AND K = 'a\\%b\\_c'");
  const auto& c = q.where->children;
  ASSERT_EQ(c.size(), 11u);
  EXPECT_EQ(c[0]->values[0].kind, SoqlLiteral::Kind::String);
  EXPECT_EQ(c[0]->values[0].text, "it's \\\\ \n");  // backslash kept escaped for LIKE
  EXPECT_TRUE(c[1]->values[0].integral);
  EXPECT_EQ(c[1]->values[0].integer, -12);
  EXPECT_FALSE(c[2]->values[0].integral);
  EXPECT_DOUBLE_EQ(c[2]->values[0].number, 3.5);
  EXPECT_TRUE(c[3]->values[0].boolean);
  EXPECT_FALSE(c[4]->values[0].boolean);
  EXPECT_EQ(c[5]->values[0].kind, SoqlLiteral::Kind::Null);
  EXPECT_EQ(c[6]->values[0].kind, SoqlLiteral::Kind::Date);
  EXPECT_EQ(c[7]->values[0].kind, SoqlLiteral::Kind::DateTime);
  EXPECT_EQ(c[7]->values[0].epoch, c[8]->values[0].epoch);
  EXPECT_EQ(c[9]->op, SoqlOp::NotIn);
  EXPECT_EQ(c[9]->values.size(), 2u);
  EXPECT_EQ(c[10]->values[0].text, "a\\%b\\_c");
}

TEST(SoqlParserTest, OperatorsAndCount) {
  const SoqlQuery q = SoqlParser::parseQuery(
      "SELECT COUNT() FROM Account WHERE A=1 AND B!=1 AND C<>1 AND D<1 AND E>1 AND F<=1 AND G>=1");
  EXPECT_TRUE(q.countOnly);
  const SoqlOp expected[] = {SoqlOp::Eq, SoqlOp::Ne, SoqlOp::Ne, SoqlOp::Lt,
                             SoqlOp::Gt, SoqlOp::Le, SoqlOp::Ge};
  ASSERT_EQ(q.where->children.size(), 7u);
  for (std::size_t k = 0; k < 7; ++k) EXPECT_EQ(q.where->children[k]->op, expected[k]);
}

TEST(SoqlParserTest, NotBindsTighterThanAnd) {
  const SoqlQuery q = SoqlParser::parseQuery("SELECT Id FROM A WHERE NOT X = 1 AND Y = 2");
  EXPECT_EQ(q.where->kind, SoqlCondition::Kind::And);
  EXPECT_EQ(q.where->children[0]->kind, SoqlCondition::Kind::Not);
  EXPECT_EQ(q.where->children[1]->kind, SoqlCondition::Kind::Compare);
}

struct SyntaxCase {
  const char* soql;
  const char* message;  // full Salesforce-style message
};

TEST(SoqlParserTest, SyntaxErrorsNameTheUnexpectedToken) {
  const SyntaxCase cases[] = {
      {"SELECT Id FROM Account WHERE",
       "\nSELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\n"
       "unexpected token: <EOF>"},
      {"SELECT FROM Account",
       "\nSELECT FROM Account\n       ^\nERROR at Row:1:Column:8\nunexpected token: 'FROM'"},
      {"SELECT Id, FROM Account",
       "\nSELECT Id, FROM Account\n           ^\nERROR at Row:1:Column:12\nunexpected token: "
       "'FROM'"},
      {"SELECT Id FROM Account WHERE A = 1 AND B = 2 OR C = 3",
       "\nSELECT Id FROM Account WHERE A = 1 AND B = 2 OR C = 3\n"
       "                                             ^\nERROR at Row:1:Column:46\n"
       "unexpected token: 'OR'"},
      {"SELECT Id FROM Account LIMIT x",
       "\nSELECT Id FROM Account LIMIT x\n                             ^\nERROR at "
       "Row:1:Column:30\n"
       "unexpected token: 'x'"},
      {"SELECT Id\nFROM Account\nWHERE Name = = 'x'",
       "\nWHERE Name = = 'x'\n             ^\nERROR at Row:3:Column:14\nunexpected token: '='"},
      {"SELECT Id FROM Account WHERE Name = 'open",
       "\nSELECT Id FROM Account WHERE Name = 'open\n                                         ^\n"
       "ERROR at Row:1:Column:42\nunexpected token: <EOF>"},
      {"SELECT Id FROM Account ORDER Name",
       "\nSELECT Id FROM Account ORDER Name\n                             ^\nERROR at "
       "Row:1:Column:30\n"
       "unexpected token: 'Name'"},
      {"SELECT Id FROM Account WHERE (Name = 'x'",
       "\nSELECT Id FROM Account WHERE (Name = 'x'\n                                        ^\n"
       "ERROR at Row:1:Column:41\nunexpected token: <EOF>"},
      {"SELECT Id FROM Account GROUP BY Name",
       "\nSELECT Id FROM Account GROUP BY Name\n                       ^\nERROR at "
       "Row:1:Column:24\n"
       "unexpected token: 'GROUP'"},
      {"SELECT Id FROM Account WHERE CreatedDate = TODAY",
       "\nSELECT Id FROM Account WHERE CreatedDate = TODAY\n                                       "
       "    ^\n"
       "ERROR at Row:1:Column:44\nunexpected token: 'TODAY'"},
  };
  for (const SyntaxCase& c : cases) {
    try {
      SoqlParser::parseQuery(c.soql);
      ADD_FAILURE() << "no error for " << c.soql;
    } catch (const SoqlError& e) {
      EXPECT_EQ(e.errorCode(), "MALFORMED_QUERY") << c.soql;
      EXPECT_EQ(std::string(e.what()), c.message) << c.soql;
    }
  }
}

TEST(SoqlParserTest, RejectsUnsupportedConstructsAsMalformed) {
  for (const char* soql :
       {"SELECT Id, (SELECT Id FROM Contacts) FROM Account", "SELECT COUNT(Id) FROM Account",
        "SELECT MAX(AnnualRevenue) FROM Account",
        "SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account)",
        "SELECT Id FROM Account WHERE Name = \"x\"",
        "SELECT Id FROM Account WHERE Name = 'bad \\q escape'"}) {
    try {
      SoqlParser::parseQuery(soql);
      ADD_FAILURE() << "no error for " << soql;
    } catch (const SoqlError& e) {
      EXPECT_EQ(e.errorCode(), "MALFORMED_QUERY") << soql;
    }
  }
}

}  // namespace
}  // namespace sfsync::sim
