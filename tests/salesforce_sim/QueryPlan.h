// QueryPlan: a parsed SOQL query bound to the org's schemas by QueryPlanner: every field path
// resolved to field positions and reference hops (with the canonical names used as JSON keys),
// literals converted to the compared field's type, and the SELECT list arranged as the nested
// record shape Salesforce returns (relationship paths grouped under their relationship name). Each
// relationship object of the shape owns a "slot": the snapshot stores one row per slot and record.
//
// Thread-safety: immutable once built; shared by a query's cursor across threads. It points at
// RecordTables, which live as long as the SimService.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "salesforce_sim/RecordTable.h"
#include "salesforce_sim/SoqlAst.h"

namespace sfsync::sim {

struct PathHop {
  int refField = -1;                    // reference field on the current table
  const RecordTable* target = nullptr;  // table the reference points to
};

struct BoundPath {
  std::vector<PathHop> hops;
  const RecordTable* table = nullptr;  // table that holds `field`
  int field = -1;
  FieldKind kind = FieldKind::String;
};

struct BoundCondition {
  SoqlCondition::Kind kind = SoqlCondition::Kind::Compare;
  std::vector<std::unique_ptr<BoundCondition>> children;
  BoundPath path;
  SoqlOp op = SoqlOp::Eq;
  // Converted literals; text is lower-cased (comparisons are case-insensitive) except Ids, which
  // are canonical 18-character Ids compared byte-wise; for LIKE, the single value is the
  // lower-cased pattern with its \% \_ \\ escapes.
  std::vector<SimValue> values;
};

struct SelectNode {
  bool relationship = false;
  std::string key;  // JSON key: field name, or relationship name
  int field = -1;   // leaf: field on the parent's table; relationship: the reference field
  int slot = 0;     // relationship: this object's slot
  const RecordTable* target = nullptr;  // relationship: the related table
  std::vector<SelectNode> children;     // relationship: nested shape
};

struct SlotSpec {
  int parentSlot = 0;  // 0 is the queried record itself
  int refField = -1;
  const RecordTable* target = nullptr;
};

struct OrderSpec {
  BoundPath path;
  bool descending = false;
  bool nullsFirst = true;
};

// One flat column of the SELECT list, in the order written (Bulk API 2.0 CSV): the header is the
// path as written in the query (Account.Name), the value is `field` of the row in `slot`.
struct ColumnSpec {
  std::string header;
  int slot = 0;
  int field = -1;
};

struct QueryPlan {
  const RecordTable* table = nullptr;
  std::vector<ColumnSpec> columns;  // SELECT order, flat (CSV shape)
  bool countOnly = false;
  bool queryAll = false;  // include IsDeleted rows
  std::vector<SelectNode> select;
  std::vector<SlotSpec> slots;  // slots[k] describes slot k + 1
  std::unique_ptr<BoundCondition> where;
  std::vector<OrderSpec> orderBy;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;

  std::size_t slotCount() const { return slots.size() + 1; }
};

}  // namespace sfsync::sim
