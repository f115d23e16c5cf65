#include "salesforce_sim/QueryExecutor.h"

#include <algorithm>
#include <numeric>

namespace sfsync::sim {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int compareFolded(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = static_cast<unsigned char>(lower(a[i]));
    const unsigned char y = static_cast<unsigned char>(lower(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

template <typename T>
int compareValues(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Both non-null. Kinds come from the same field, except numeric literals (Int vs Double).
bool binaryStrings(FieldKind kind) { return kind == FieldKind::Id || kind == FieldKind::Reference; }

// Ids (18 characters, canonical upper-case suffix) compare byte-wise, as Salesforce orders them;
// other text compares case-insensitively.
int compareCell(const CellView& v, const CellView& w, bool binary) {
  switch (v.kind) {
    case ValueKind::String:
      return binary ? compareValues(v.s, w.s) : compareFolded(v.s, w.s);
    case ValueKind::Bool:
      return compareValues<int>(v.b, w.b);
    case ValueKind::Int:
      if (w.kind == ValueKind::Double) return compareValues<double>(static_cast<double>(v.i), w.d);
      return compareValues(v.i, w.i);
    case ValueKind::Double:
      return compareValues(v.d, w.kind == ValueKind::Int ? static_cast<double>(w.i) : w.d);
    case ValueKind::Date:
    case ValueKind::DateTime:
      return compareValues(v.i, w.i);
    case ValueKind::Null:
      return 0;
  }
  return 0;
}

CellView view(const SimValue& v) {
  CellView c;
  c.kind = v.kind;
  c.b = v.b;
  c.i = v.i;
  c.d = v.d;
  c.s = v.s;
  return c;
}

// The row at the end of the hops (nullptr when any reference is empty or points nowhere).
const RowPtr* follow(const RowPtr* row, const std::vector<PathHop>& hops) {
  for (const PathHop& hop : hops) {
    if (!row) return nullptr;
    const CellView ref = (*row)->at(static_cast<std::size_t>(hop.refField));
    if (ref.kind != ValueKind::String) return nullptr;
    row = hop.target->find(ref.s);
  }
  return row;
}

const RowPtr* followOne(const RowPtr& row, int refField, const RecordTable* target) {
  const CellView ref = row->at(static_cast<std::size_t>(refField));
  return ref.kind == ValueKind::String ? target->find(ref.s) : nullptr;
}

CellView valueAt(const RowPtr& row, const BoundPath& path) {
  const RowPtr* target = follow(&row, path.hops);
  return target ? (*target)->at(static_cast<std::size_t>(path.field)) : CellView{};
}

bool includesAll(std::string_view multiValue, std::string_view wanted) {
  // `wanted` is "a;b" (lower-cased): every part must be one of the ';'-separated values.
  std::size_t start = 0;
  while (start <= wanted.size()) {
    std::size_t end = wanted.find(';', start);
    if (end == std::string_view::npos) end = wanted.size();
    const std::string_view part = wanted.substr(start, end - start);
    bool found = false;
    std::size_t s = 0;
    while (s <= multiValue.size() && !found) {
      std::size_t e = multiValue.find(';', s);
      if (e == std::string_view::npos) e = multiValue.size();
      found = compareFolded(multiValue.substr(s, e - s), part) == 0;
      s = e + 1;
    }
    if (!found) return false;
    start = end + 1;
  }
  return true;
}

bool evalCompare(const BoundCondition& c, const CellView& v) {
  switch (c.op) {
    case SoqlOp::In:
    case SoqlOp::NotIn: {
      bool hit = false;
      for (const SimValue& lit : c.values) {
        if (lit.kind == ValueKind::Null
                ? v.isNull()
                : !v.isNull() && compareCell(v, view(lit), binaryStrings(c.path.kind)) == 0) {
          hit = true;
          break;
        }
      }
      return c.op == SoqlOp::In ? hit : !hit;
    }
    case SoqlOp::Includes:
    case SoqlOp::Excludes: {
      bool hit = false;
      for (const SimValue& lit : c.values) {
        if (!v.isNull() && lit.kind == ValueKind::String && includesAll(v.s, lit.s)) hit = true;
      }
      return c.op == SoqlOp::Includes ? hit : !hit;
    }
    case SoqlOp::Like:
      return !v.isNull() && v.kind == ValueKind::String && !c.values.empty() &&
             c.values[0].kind == ValueKind::String && QueryExecutor::like(v.s, c.values[0].s);
    default:
      break;
  }
  const SimValue& lit = c.values.front();
  if (lit.kind == ValueKind::Null) {
    if (c.op == SoqlOp::Eq) return v.isNull();
    if (c.op == SoqlOp::Ne) return !v.isNull();
    return false;
  }
  if (v.isNull()) return c.op == SoqlOp::Ne;
  const int cmp = compareCell(v, view(lit), binaryStrings(c.path.kind));
  switch (c.op) {
    case SoqlOp::Eq:
      return cmp == 0;
    case SoqlOp::Ne:
      return cmp != 0;
    case SoqlOp::Lt:
      return cmp < 0;
    case SoqlOp::Gt:
      return cmp > 0;
    case SoqlOp::Le:
      return cmp <= 0;
    case SoqlOp::Ge:
      return cmp >= 0;
    default:
      return false;
  }
}

bool eval(const BoundCondition& c, const RowPtr& row) {
  switch (c.kind) {
    case SoqlCondition::Kind::And:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const auto& child) { return eval(*child, row); });
    case SoqlCondition::Kind::Or:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const auto& child) { return eval(*child, row); });
    case SoqlCondition::Kind::Not:
      return !eval(*c.children.front(), row);
    case SoqlCondition::Kind::Compare:
      return evalCompare(c, valueAt(row, c.path));
  }
  return false;
}

}  // namespace

bool QueryExecutor::like(std::string_view value, std::string_view pattern) {
  // Iterative glob match with backtracking to the last '%'.
  std::size_t v = 0, p = 0;
  std::size_t starP = std::string_view::npos, starV = 0;
  while (v < value.size()) {
    if (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '%') {
        starP = ++p;
        starV = v;
        continue;
      }
      if (pc == '_') {
        ++p;
        ++v;
        continue;
      }
      const bool escaped = pc == '\\' && p + 1 < pattern.size();
      const char literal = escaped ? pattern[p + 1] : pc;
      if (lower(value[v]) == literal) {
        p += escaped ? 2 : 1;
        ++v;
        continue;
      }
    }
    if (starP == std::string_view::npos) return false;
    p = starP;
    v = ++starV;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

QueryResult QueryExecutor::run(std::shared_ptr<const QueryPlan> plan) {
  const QueryPlan& q = *plan;
  const RecordTable& table = *q.table;
  const int deletedField = table.schema().isDeletedField();
  std::vector<const RowPtr*> matches;
  for (const RowPtr& row : table.rows()) {
    if (!q.queryAll && deletedField >= 0) {
      const CellView d = row->at(static_cast<std::size_t>(deletedField));
      if (d.kind == ValueKind::Bool && d.b) continue;
    }
    if (q.where && !eval(*q.where, row)) continue;
    matches.push_back(&row);
  }
  if (!q.orderBy.empty()) {
    const std::size_t keys = q.orderBy.size();
    std::vector<CellView> sortKeys(matches.size() * keys);
    for (std::size_t r = 0; r < matches.size(); ++r) {
      for (std::size_t k = 0; k < keys; ++k) {
        sortKeys[r * keys + k] = valueAt(*matches[r], q.orderBy[k].path);
      }
    }
    std::vector<std::size_t> order(matches.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      for (std::size_t k = 0; k < keys; ++k) {
        const CellView& x = sortKeys[a * keys + k];
        const CellView& y = sortKeys[b * keys + k];
        const OrderSpec& spec = q.orderBy[k];
        if (x.isNull() || y.isNull()) {
          if (x.isNull() && y.isNull()) continue;
          return x.isNull() == spec.nullsFirst;
        }
        const int cmp = compareCell(x, y, binaryStrings(spec.path.kind));
        if (cmp != 0) return spec.descending ? cmp > 0 : cmp < 0;
      }
      return false;
    });
    std::vector<const RowPtr*> sorted(matches.size());
    for (std::size_t r = 0; r < order.size(); ++r) sorted[r] = matches[order[r]];
    matches.swap(sorted);
  }
  std::size_t begin = 0, end = matches.size();
  if (q.offset) begin = std::min(end, static_cast<std::size_t>(*q.offset));
  if (q.limit) end = std::min(end, begin + static_cast<std::size_t>(*q.limit));

  QueryResult result;
  result.plan = plan;
  result.stride = q.slotCount();
  result.totalSize = end - begin;
  if (q.countOnly) return result;
  result.rows.reserve((end - begin) * result.stride);
  for (std::size_t r = begin; r < end; ++r) {
    const std::size_t base = result.rows.size();
    result.rows.push_back(*matches[r]);
    for (const SlotSpec& slot : q.slots) {
      const RowPtr& parent = result.rows[base + static_cast<std::size_t>(slot.parentSlot)];
      const RowPtr* target = parent ? followOne(parent, slot.refField, slot.target) : nullptr;
      result.rows.push_back(target ? *target : RowPtr());
    }
  }
  return result;
}

}  // namespace sfsync::sim
