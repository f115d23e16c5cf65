#include "salesforce_sim/QueryPlanner.h"

#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SoqlError.h"
#include "salesforce_sim/SoqlParser.h"

namespace sfsync::sim {
namespace {

const char kInvalidField[] = "INVALID_FIELD";

std::string noSuchColumn(const std::string& column, const std::string& entity) {
  return "No such column '" + column + "' on entity '" + entity +
         "'. If you are attempting to use a custom field, be sure to append the '__c' after the "
         "custom field name. Please reference your WSDL or the describe call for the appropriate "
         "names.";
}

std::string badRelationship(const std::string& relationship) {
  return "Didn't understand relationship '" + relationship +
         "' in field path. If you are attempting to use a custom relationship, be sure to append "
         "the '__r' after the custom relationship name. Please reference your WSDL or the "
         "describe call for the appropriate names.";
}

const char* typeName(FieldKind kind) {
  switch (kind) {
    case FieldKind::Int:
      return "integer";
    case FieldKind::Double:
      return "double";
    case FieldKind::Date:
      return "date";
    case FieldKind::DateTime:
      return "dateTime";
    case FieldKind::Boolean:
      return "boolean";
    case FieldKind::Id:
    case FieldKind::Reference:
      return "id";
    default:
      return "string";
  }
}

// Drops the LIKE escapes for a plain comparison: \% -> %, \_ -> _, \\ -> \.
std::string unescapeLike(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace

std::shared_ptr<const QueryPlan> QueryPlanner::plan(const std::string& soql, bool queryAll) const {
  return bind(SoqlParser::parseQuery(soql), queryAll);
}

std::shared_ptr<const QueryPlan> QueryPlanner::bind(const SoqlQuery& q, bool queryAll) const {
  const RecordTable* root = org_.table(q.object);
  if (!root || !root->schema().queryable()) {
    throw SoqlError::at("INVALID_TYPE", q.text, q.objectPos,
                        "sObject type '" + q.object +
                            "' is not supported. If you are attempting to use a custom object, be "
                            "sure to append the '__c' after the entity name. Please reference your "
                            "WSDL or the describe call for the appropriate names.");
  }
  auto plan = std::make_shared<QueryPlan>();
  plan->table = root;
  plan->queryAll = queryAll;
  plan->countOnly = q.countOnly;
  for (const SoqlPath& p : q.fields) addToShape(*plan, q, resolve(q, *root, p), p);
  if (q.where) plan->where = bindCondition(q, *root, *q.where);
  for (const SoqlOrderItem& item : q.orderBy) {
    OrderSpec spec;
    spec.path = resolve(q, *root, item.field);
    const SimField& f = spec.path.table->schema().field(spec.path.field);
    if (!f.sortable()) {
      throw SoqlError::at(kInvalidField, q.text, item.field.pos,
                          "field '" + f.name + "' can not be sorted in a query call");
    }
    spec.descending = item.descending;
    // Nulls sort as the lowest values unless NULLS FIRST/LAST says otherwise.
    spec.nullsFirst = item.nullsFirst.value_or(!item.descending);
    plan->orderBy.push_back(std::move(spec));
  }
  plan->limit = q.limit;
  plan->offset = q.offset;
  if (q.offset && *q.offset > 2000) {
    throw SoqlError("NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000");
  }
  return plan;
}

BoundPath QueryPlanner::resolve(const SoqlQuery& q, const RecordTable& root,
                                const SoqlPath& path) const {
  BoundPath bound;
  const RecordTable* current = &root;
  std::size_t first = 0;
  // "SELECT Account.Name FROM Account": a leading object-name qualifier is allowed.
  if (path.parts.size() > 1 && lowerAscii(path.parts[0]) == lowerAscii(root.schema().name()) &&
      root.schema().relationshipIndex(path.parts[0]) < 0) {
    first = 1;
  }
  for (std::size_t k = first; k + 1 < path.parts.size(); ++k) {
    const int ref = current->schema().relationshipIndex(path.parts[k]);
    const RecordTable* target =
        ref >= 0 ? org_.referenceTarget(current->schema().field(ref)) : nullptr;
    if (!target) {
      throw SoqlError::at(kInvalidField, q.text, path.pos, badRelationship(path.parts[k]));
    }
    bound.hops.push_back({ref, target});
    current = target;
  }
  const std::string& leaf = path.parts.back();
  const int field = current->schema().fieldIndex(leaf);
  if (field < 0) {
    throw SoqlError::at(kInvalidField, q.text, path.pos,
                        noSuchColumn(leaf, current->schema().name()));
  }
  bound.table = current;
  bound.field = field;
  bound.kind = current->schema().field(field).kind;
  return bound;
}

void QueryPlanner::addToShape(QueryPlan& plan, const SoqlQuery& q, const BoundPath& path,
                              const SoqlPath& source) const {
  std::vector<SelectNode>* level = &plan.select;
  int parentSlot = 0;
  for (const PathHop& hop : path.hops) {
    SelectNode* node = nullptr;
    for (SelectNode& n : *level) {
      if (n.relationship && n.field == hop.refField) node = &n;
    }
    if (!node) {
      const RecordTable* owner = parentSlot == 0 ? plan.table : plan.slots[parentSlot - 1].target;
      SelectNode n;
      n.relationship = true;
      n.field = hop.refField;
      n.key = owner->schema().field(hop.refField).relationshipName;
      n.target = hop.target;
      plan.slots.push_back({parentSlot, hop.refField, hop.target});
      n.slot = static_cast<int>(plan.slots.size());
      level->push_back(std::move(n));
      node = &level->back();
    }
    parentSlot = node->slot;
    level = &node->children;
  }
  for (const SelectNode& n : *level) {
    if (!n.relationship && n.field == path.field) {
      throw SoqlError::at("MALFORMED_QUERY", q.text, source.pos,
                          "duplicate field selected: " + source.text());
    }
  }
  plan.columns.push_back({source.text(), parentSlot, path.field});
  SelectNode leaf;
  leaf.field = path.field;
  leaf.key = path.table->schema().field(path.field).name;
  level->push_back(std::move(leaf));
}

std::unique_ptr<BoundCondition> QueryPlanner::bindCondition(const SoqlQuery& q,
                                                            const RecordTable& root,
                                                            const SoqlCondition& c) const {
  auto b = std::make_unique<BoundCondition>();
  b->kind = c.kind;
  if (c.kind != SoqlCondition::Kind::Compare) {
    for (const auto& child : c.children) b->children.push_back(bindCondition(q, root, *child));
    return b;
  }
  b->path = resolve(q, root, c.field);
  b->op = c.op;
  const SimField& f = b->path.table->schema().field(b->path.field);
  if (!f.filterable()) {
    throw SoqlError::at(kInvalidField, q.text, c.field.pos,
                        "field '" + f.name + "' can not be filtered in a query call");
  }
  const bool textual = f.kind == FieldKind::String || f.kind == FieldKind::Id ||
                       f.kind == FieldKind::Reference || f.kind == FieldKind::Time;
  if (c.op == SoqlOp::Like && !textual) {
    throw SoqlError::at(kInvalidField, q.text, c.opPos,
                        "invalid operator on field '" + f.name + "': LIKE needs a text field");
  }
  if ((c.op == SoqlOp::Includes || c.op == SoqlOp::Excludes) && f.type != "multipicklist") {
    throw SoqlError::at(kInvalidField, q.text, c.opPos,
                        "INCLUDES/EXCLUDES operator only valid on multipicklist field");
  }
  for (const SoqlLiteral& lit : c.values) b->values.push_back(bindLiteral(q, f, c.op, lit));
  return b;
}

SimValue QueryPlanner::bindLiteral(const SoqlQuery& q, const SimField& f, SoqlOp op,
                                   const SoqlLiteral& lit) const {
  using LK = SoqlLiteral::Kind;
  if (lit.kind == LK::Null) return SimValue::null();
  const auto mismatch = [&]() {
    const bool quoted = f.kind == FieldKind::String || f.kind == FieldKind::Id ||
                        f.kind == FieldKind::Reference || f.kind == FieldKind::Time;
    return SoqlError::at(kInvalidField, q.text, lit.pos,
                         "value of filter criterion for field '" + f.name + "' must be of type " +
                             typeName(f.kind) + " and should " + (quoted ? "" : "not ") +
                             "be enclosed in quotes");
  };
  switch (f.kind) {
    case FieldKind::Id:
    case FieldKind::Reference: {
      if (lit.kind != LK::String) throw mismatch();
      if (op == SoqlOp::Like) return SimValue::string(lowerAscii(lit.text));
      const std::string id = unescapeLike(lit.text);
      if (!SalesforceId::isValid(id)) {
        throw SoqlError::at("INVALID_QUERY_FILTER_OPERATOR", q.text, lit.pos,
                            "invalid ID field: " + id);
      }
      return SimValue::string(SalesforceId::to18(id));  // compared byte-wise
    }
    case FieldKind::String:
    case FieldKind::Time:
      if (lit.kind != LK::String) throw mismatch();
      return SimValue::string(lowerAscii(op == SoqlOp::Like ? lit.text : unescapeLike(lit.text)));
    case FieldKind::Boolean:
      if (lit.kind != LK::Boolean) throw mismatch();
      return SimValue::boolean(lit.boolean);
    case FieldKind::Int:
    case FieldKind::Double:
      if (lit.kind != LK::Number) throw mismatch();
      return lit.integral ? SimValue::integer(lit.integer) : SimValue::number(lit.number);
    case FieldKind::Date:
      if (lit.kind != LK::Date) throw mismatch();
      return SimValue::date(lit.epoch);
    case FieldKind::DateTime:
      if (lit.kind != LK::DateTime) throw mismatch();
      return SimValue::dateTime(lit.epoch);
  }
  throw mismatch();
}

}  // namespace sfsync::sim
