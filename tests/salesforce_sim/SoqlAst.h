// SoqlAst: the syntax tree SoqlParser produces for the SOQL subset the simulator understands. Names
// are kept as written (binding to the org's schemas, with case-insensitive lookup, happens in
// QueryPlanner); every node remembers its byte offset for Salesforce-style error carets.
//
// Thread-safety: plain value types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sfsync::sim {

struct SoqlPath {
  std::vector<std::string> parts;  // "Owner.Manager.Email" -> {"Owner", "Manager", "Email"}
  std::size_t pos = 0;
  std::string text() const {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : ".") + p;
    return out;
  }
};

struct SoqlLiteral {
  enum class Kind { String, Number, Boolean, Null, Date, DateTime };
  Kind kind = Kind::Null;
  std::string
      text;  // String: value with LIKE escapes (\% \_ \\) still escaped; others: source text
  bool boolean = false;
  bool integral = false;  // Number without fraction/exponent
  double number = 0;
  std::int64_t integer = 0;
  std::int64_t epoch = 0;  // Date: days; DateTime: epoch ms
  std::size_t pos = 0;
};

enum class SoqlOp { Eq, Ne, Lt, Gt, Le, Ge, Like, In, NotIn, Includes, Excludes };

struct SoqlCondition {
  enum class Kind { And, Or, Not, Compare };
  Kind kind = Kind::Compare;
  std::vector<std::unique_ptr<SoqlCondition>> children;  // And/Or: 2+, Not: 1
  // Compare:
  SoqlPath field;
  SoqlOp op = SoqlOp::Eq;
  std::vector<SoqlLiteral> values;  // one value, or the IN/NOT IN/INCLUDES/EXCLUDES list
  std::size_t opPos = 0;
};

struct SoqlOrderItem {
  SoqlPath field;
  bool descending = false;
  std::optional<bool> nullsFirst;  // unset: Salesforce's default (nulls sort as lowest values)
};

struct SoqlQuery {
  std::string text;
  bool countOnly = false;  // SELECT COUNT()
  std::vector<SoqlPath> fields;
  std::string object;
  std::size_t objectPos = 0;
  std::unique_ptr<SoqlCondition> where;
  std::vector<SoqlOrderItem> orderBy;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;
};

}  // namespace sfsync::sim
