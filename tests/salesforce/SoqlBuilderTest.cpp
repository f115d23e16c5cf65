#include "sfsync/salesforce/SoqlBuilder.h"

#include <gtest/gtest.h>

namespace sfsync::salesforce {
namespace {

struct QuoteCase {
  std::string input;
  std::string expected;
};

TEST(SoqlBuilderTest, QuoteEscapesSoqlSpecialCharacters) {
  const std::vector<QuoteCase> cases = {
      {"", "''"},
      {"Acme", "'Acme'"},
      {"O'Brien", "'O\\'Brien'"},
      {"back\\slash", "'back\\\\slash'"},
      {"say \"hi\"", "'say \\\"hi\\\"'"},
      {"line1\nline2", "'line1\\nline2'"},
      {"a\rb\tc", "'a\\rb\\tc'"},
      {"\b\f", "'\\b\\f'"},
      {"' OR Name != '", "'\\' OR Name != \\''"},  // injection attempt stays inside the literal
      {"100% _like_", "'100% _like_'"},            // LIKE wildcards are the caller's business
      {"Zürich", "'Zürich'"},                      // UTF-8 passes through
  };
  for (const auto& c : cases) {
    EXPECT_EQ(SoqlBuilder::quote(c.input), c.expected) << "input: " << c.input;
  }
}

struct BuildCase {
  const char* name;
  SoqlBuilder builder;
  std::string expected;
};

TEST(SoqlBuilderTest, BuildsStatements) {
  const std::vector<BuildCase> cases = {
      {"empty selects Id", SoqlBuilder("Account"), "SELECT Id FROM Account"},
      {"fields in order", SoqlBuilder("Account").select("Id").select("Name").select("Owner.Email"),
       "SELECT Id, Name, Owner.Email FROM Account"},
      {"case-insensitive dedupe keeps first spelling",
       SoqlBuilder("Account").select({"Name", "Id", "NAME", "id", " Name "}),
       "SELECT Name, Id FROM Account"},
      {"blank fields ignored", SoqlBuilder("Account").select({"", "  ", "Id"}),
       "SELECT Id FROM Account"},
      {"one where", SoqlBuilder("Contact").where("LastName = 'X'"),
       "SELECT Id FROM Contact WHERE (LastName = 'X')"},
      {"wheres are ANDed and parenthesised",
       SoqlBuilder("Contact").where("A = 1 OR B = 2").where("C = 3"),
       "SELECT Id FROM Contact WHERE (A = 1 OR B = 2) AND (C = 3)"},
      {"blank where ignored", SoqlBuilder("Contact").where("  "), "SELECT Id FROM Contact"},
      {"order and limit",
       SoqlBuilder("Account").select("Id").orderBy("SystemModstamp, Id").limit(10),
       "SELECT Id FROM Account ORDER BY SystemModstamp, Id LIMIT 10"},
      {"limit zero", SoqlBuilder("Account").limit(0), "SELECT Id FROM Account LIMIT 0"},
      {"negative limit clears", SoqlBuilder("Account").limit(5).limit(-1),
       "SELECT Id FROM Account"},
      {"everything",
       SoqlBuilder("Account")
           .select({"Id", "Name"})
           .where("SystemModstamp >= 2025-01-01T00:00:00Z")
           .where("Name = " + SoqlBuilder::quote("O'Brien"))
           .orderBy("SystemModstamp")
           .limit(200),
       "SELECT Id, Name FROM Account WHERE (SystemModstamp >= 2025-01-01T00:00:00Z) AND "
       "(Name = 'O\\'Brien') ORDER BY SystemModstamp LIMIT 200"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.builder.build(), c.expected) << c.name;
  }
}

TEST(SoqlBuilderTest, FieldsReportsTheDedupedList) {
  SoqlBuilder b("Account");
  b.select({"Id", "Name"});
  b.select(std::vector<std::string>{"id", "Name", "Owner.Email"});
  EXPECT_EQ(b.fields(), (std::vector<std::string>{"Id", "Name", "Owner.Email"}));
}

}  // namespace
}  // namespace sfsync::salesforce
