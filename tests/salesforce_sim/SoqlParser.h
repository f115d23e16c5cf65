// SoqlParser: recursive-descent parser for the simulator's SOQL subset:
//   SELECT (COUNT() | path {, path}) FROM object [WHERE condition]
//   [ORDER BY path [ASC|DESC] [NULLS FIRST|LAST] {, ...}] [LIMIT n] [OFFSET n]
// condition: AND/OR/NOT with parentheses (mixing AND and OR on one level needs parentheses, as in
// Salesforce); comparisons =, !=, <>, <, >, <=, >=, LIKE, IN (...), NOT IN (...), INCLUDES,
// EXCLUDES; literals: 'strings', numbers, true/false, null, dates, datetimes. Syntax errors are
// MALFORMED_QUERY SoqlErrors naming the unexpected token, with Salesforce's Row/Column caret.
//
// Thread-safety: a parser instance is used by one thread.
#pragma once

#include <string>
#include <vector>

#include "salesforce_sim/SoqlAst.h"
#include "salesforce_sim/SoqlTokenizer.h"

namespace sfsync::sim {

class SoqlParser {
 public:
  explicit SoqlParser(std::string soql);
  // Throws SoqlError.
  SoqlQuery parse();

  // Convenience: SoqlParser(soql).parse().
  static SoqlQuery parseQuery(const std::string& soql) { return SoqlParser(soql).parse(); }

 private:
  const SoqlToken& peek(std::size_t ahead = 0) const;
  const SoqlToken& next();
  bool accept(const char* keyword);
  void expectKeyword(const char* keyword);
  void expect(SoqlToken::Kind kind);
  [[noreturn]] void unexpected(const SoqlToken& token) const;
  bool isReserved(const SoqlToken& token) const;

  SoqlPath parsePath();
  std::unique_ptr<SoqlCondition> parseCondition();
  std::unique_ptr<SoqlCondition> parseUnary();
  std::unique_ptr<SoqlCondition> parseComparison();
  SoqlLiteral parseLiteral();
  std::vector<SoqlLiteral> parseLiteralList();
  std::int64_t parseNonNegativeInt();

  std::string soql_;
  std::vector<SoqlToken> tokens_;
  std::size_t index_ = 0;
};

}  // namespace sfsync::sim
