// QueryPlanner: binds a parsed SOQL query (SoqlQuery) to the org: resolves the object and every
// field path (relationship names such as Owner.Manager.Email through reference fields), checks
// literal types against field types, and produces a QueryPlan. Errors are SoqlErrors worded like
// Salesforce: INVALID_TYPE for unknown objects, INVALID_FIELD for unknown fields/relationships and
// mistyped literals, INVALID_QUERY_FILTER_OPERATOR for malformed Id literals, MALFORMED_QUERY
// otherwise.
//
// Thread-safety: stateless apart from the OrgData it reads; the caller holds the org's read lock.
#pragma once

#include <memory>

#include "salesforce_sim/OrgData.h"
#include "salesforce_sim/QueryPlan.h"

namespace sfsync::sim {

class QueryPlanner {
 public:
  explicit QueryPlanner(const OrgData& org) : org_(org) {}
  // Parses and binds. Throws SoqlError.
  std::shared_ptr<const QueryPlan> plan(const std::string& soql, bool queryAll) const;
  std::shared_ptr<const QueryPlan> bind(const SoqlQuery& query, bool queryAll) const;

 private:
  BoundPath resolve(const SoqlQuery& q, const RecordTable& root, const SoqlPath& path) const;
  std::unique_ptr<BoundCondition> bindCondition(const SoqlQuery& q, const RecordTable& root,
                                                const SoqlCondition& c) const;
  SimValue bindLiteral(const SoqlQuery& q, const SimField& field, SoqlOp op,
                       const SoqlLiteral& lit) const;
  void addToShape(QueryPlan& plan, const SoqlQuery& q, const BoundPath& path,
                  const SoqlPath& source) const;

  const OrgData& org_;
};

}  // namespace sfsync::sim
