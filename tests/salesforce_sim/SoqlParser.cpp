#include "salesforce_sim/SoqlParser.h"

#include <cstdlib>

#include "salesforce_sim/SimTime.h"
#include "salesforce_sim/SoqlError.h"

namespace sfsync::sim {
namespace {

const char kMalformed[] = "MALFORMED_QUERY";

const char* const kReserved[] = {
    "AND",      "ASC",  "DESC", "EXCLUDES", "FIRST", "FROM", "GROUP",  "HAVING", "IN",
    "INCLUDES", "LAST", "LIKE", "LIMIT",    "NOT",   "NULL", "NULLS",  "OR",     "SELECT",
    "WHERE",    "WITH", "TRUE", "FALSE",    "ORDER", "BY",   "OFFSET", "FOR",    "USING"};

}  // namespace

SoqlParser::SoqlParser(std::string soql) : soql_(std::move(soql)) {}

const SoqlToken& SoqlParser::peek(std::size_t ahead) const {
  const std::size_t k = index_ + ahead;
  return k < tokens_.size() ? tokens_[k] : tokens_.back();
}

const SoqlToken& SoqlParser::next() {
  const SoqlToken& t = peek();
  if (index_ < tokens_.size() - 1) ++index_;
  return t;
}

bool SoqlParser::accept(const char* keyword) {
  if (!peek().is(keyword)) return false;
  next();
  return true;
}

void SoqlParser::expectKeyword(const char* keyword) {
  if (!accept(keyword)) unexpected(peek());
}

void SoqlParser::expect(SoqlToken::Kind kind) {
  if (peek().kind != kind) unexpected(peek());
  next();
}

void SoqlParser::unexpected(const SoqlToken& token) const {
  throw SoqlError::at(kMalformed, soql_, token.pos, "unexpected token: " + token.display());
}

bool SoqlParser::isReserved(const SoqlToken& token) const {
  for (const char* word : kReserved) {
    if (token.is(word)) return true;
  }
  return false;
}

SoqlQuery SoqlParser::parse() {
  tokens_ = SoqlTokenizer(soql_).tokenize();
  index_ = 0;
  SoqlQuery q;
  q.text = soql_;
  expectKeyword("SELECT");
  if (peek().is("COUNT") && peek(1).kind == SoqlToken::Kind::LParen) {
    next();
    next();
    if (peek().kind != SoqlToken::Kind::RParen) {
      throw SoqlError::at(kMalformed, soql_, peek().pos,
                          "the simulator supports COUNT() only, not aggregate functions");
    }
    next();
    q.countOnly = true;
  } else {
    do {
      if (peek().kind == SoqlToken::Kind::LParen) {
        throw SoqlError::at(kMalformed, soql_, peek().pos,
                            "the simulator does not support relationship subqueries");
      }
      if (peek().kind == SoqlToken::Kind::Identifier && peek(1).kind == SoqlToken::Kind::LParen) {
        throw SoqlError::at(kMalformed, soql_, peek().pos,
                            "the simulator does not support function '" + peek().text + "'");
      }
      q.fields.push_back(parsePath());
    } while (peek().kind == SoqlToken::Kind::Comma && (next(), true));
  }
  expectKeyword("FROM");
  const SoqlToken& object = peek();
  if (object.kind != SoqlToken::Kind::Identifier || isReserved(object) ||
      object.text.find('.') != std::string::npos) {
    unexpected(object);
  }
  next();
  q.object = object.text;
  q.objectPos = object.pos;
  if (accept("WHERE")) q.where = parseCondition();
  if (peek().is("ORDER")) {
    next();
    expectKeyword("BY");
    do {
      SoqlOrderItem item;
      item.field = parsePath();
      if (accept("DESC")) {
        item.descending = true;
      } else {
        accept("ASC");
      }
      if (accept("NULLS")) {
        if (accept("FIRST")) {
          item.nullsFirst = true;
        } else if (accept("LAST")) {
          item.nullsFirst = false;
        } else {
          unexpected(peek());
        }
      }
      q.orderBy.push_back(std::move(item));
    } while (peek().kind == SoqlToken::Kind::Comma && (next(), true));
  }
  if (accept("LIMIT")) q.limit = parseNonNegativeInt();
  if (accept("OFFSET")) q.offset = parseNonNegativeInt();
  if (peek().kind != SoqlToken::Kind::End) unexpected(peek());
  return q;
}

SoqlPath SoqlParser::parsePath() {
  const SoqlToken& t = peek();
  if (t.kind != SoqlToken::Kind::Identifier || isReserved(t)) unexpected(t);
  next();
  SoqlPath path;
  path.pos = t.pos;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = t.text.find('.', start);
    path.parts.push_back(t.text.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return path;
}

// condition := unary {AND unary} | unary {OR unary}; mixing needs parentheses.
std::unique_ptr<SoqlCondition> SoqlParser::parseCondition() {
  std::unique_ptr<SoqlCondition> first = parseUnary();
  const bool isAnd = peek().is("AND");
  if (!isAnd && !peek().is("OR")) return first;
  auto group = std::make_unique<SoqlCondition>();
  group->kind = isAnd ? SoqlCondition::Kind::And : SoqlCondition::Kind::Or;
  group->children.push_back(std::move(first));
  while (accept(isAnd ? "AND" : "OR")) group->children.push_back(parseUnary());
  if (peek().is(isAnd ? "OR" : "AND")) unexpected(peek());
  return group;
}

std::unique_ptr<SoqlCondition> SoqlParser::parseUnary() {
  if (accept("NOT")) {
    auto n = std::make_unique<SoqlCondition>();
    n->kind = SoqlCondition::Kind::Not;
    n->children.push_back(parseUnary());
    return n;
  }
  if (peek().kind == SoqlToken::Kind::LParen) {
    next();
    std::unique_ptr<SoqlCondition> inner = parseCondition();
    expect(SoqlToken::Kind::RParen);
    return inner;
  }
  return parseComparison();
}

std::unique_ptr<SoqlCondition> SoqlParser::parseComparison() {
  auto c = std::make_unique<SoqlCondition>();
  c->kind = SoqlCondition::Kind::Compare;
  c->field = parsePath();
  const SoqlToken& op = peek();
  c->opPos = op.pos;
  if (op.kind == SoqlToken::Kind::Operator) {
    next();
    if (op.text == "=")
      c->op = SoqlOp::Eq;
    else if (op.text == "!=" || op.text == "<>")
      c->op = SoqlOp::Ne;
    else if (op.text == "<")
      c->op = SoqlOp::Lt;
    else if (op.text == ">")
      c->op = SoqlOp::Gt;
    else if (op.text == "<=")
      c->op = SoqlOp::Le;
    else if (op.text == ">=")
      c->op = SoqlOp::Ge;
    else
      unexpected(op);
    c->values.push_back(parseLiteral());
    return c;
  }
  if (accept("LIKE")) {
    c->op = SoqlOp::Like;
    c->values.push_back(parseLiteral());
    return c;
  }
  if (accept("NOT")) {
    expectKeyword("IN");
    c->op = SoqlOp::NotIn;
  } else if (accept("IN")) {
    c->op = SoqlOp::In;
  } else if (accept("INCLUDES")) {
    c->op = SoqlOp::Includes;
  } else if (accept("EXCLUDES")) {
    c->op = SoqlOp::Excludes;
  } else {
    unexpected(op);
  }
  c->values = parseLiteralList();
  return c;
}

std::vector<SoqlLiteral> SoqlParser::parseLiteralList() {
  expect(SoqlToken::Kind::LParen);
  if (peek().is("SELECT")) {
    throw SoqlError::at(kMalformed, soql_, peek().pos,
                        "the simulator does not support semi-join subqueries");
  }
  std::vector<SoqlLiteral> values;
  do {
    values.push_back(parseLiteral());
  } while (peek().kind == SoqlToken::Kind::Comma && (next(), true));
  expect(SoqlToken::Kind::RParen);
  return values;
}

SoqlLiteral SoqlParser::parseLiteral() {
  const SoqlToken& t = peek();
  SoqlLiteral lit;
  lit.pos = t.pos;
  lit.text = t.text;
  switch (t.kind) {
    case SoqlToken::Kind::String:
      lit.kind = SoqlLiteral::Kind::String;
      break;
    case SoqlToken::Kind::Number: {
      lit.kind = SoqlLiteral::Kind::Number;
      lit.integral = t.text.find_first_of(".eE") == std::string::npos;
      lit.number = std::strtod(t.text.c_str(), nullptr);
      if (lit.integral) lit.integer = std::strtoll(t.text.c_str(), nullptr, 10);
      break;
    }
    case SoqlToken::Kind::Date:
      lit.kind = SoqlLiteral::Kind::Date;
      if (!SimTime::parseDate(t.text, lit.epoch)) unexpected(t);
      break;
    case SoqlToken::Kind::DateTime:
      lit.kind = SoqlLiteral::Kind::DateTime;
      if (!SimTime::parseDateTime(t.text, lit.epoch)) unexpected(t);
      break;
    case SoqlToken::Kind::Identifier:
      if (t.is("null")) {
        lit.kind = SoqlLiteral::Kind::Null;
      } else if (t.is("true") || t.is("false")) {
        lit.kind = SoqlLiteral::Kind::Boolean;
        lit.boolean = t.is("true");
      } else {
        unexpected(t);
      }
      break;
    default:
      unexpected(t);
  }
  next();
  return lit;
}

std::int64_t SoqlParser::parseNonNegativeInt() {
  const SoqlToken& t = peek();
  if (t.kind != SoqlToken::Kind::Number || t.text.find_first_of(".eE-+") != std::string::npos) {
    unexpected(t);
  }
  next();
  return std::strtoll(t.text.c_str(), nullptr, 10);
}

}  // namespace sfsync::sim
