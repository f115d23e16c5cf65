// RowFilter: which rows of a target table a set-based Store operation (countWhere, selectWhere,
// deleteWhere, updateWhere, addColumnToIdSet, removeColumnFromIdSet) acts on, and the delete-mark
// columns every such operation understands. Used by the source-delete policies: rows whose source
// Id is in a scratch Id set (Store::createIdSet), rows not yet marked deleted, or both.
//
// Thread-safety: plain value type.
#pragma once

#include <string>

namespace sfsync::store {

// The columns a "markDeleted" job adds to each of its target tables: IsDeleted (boolean; true once
// the source record is deleted, false or null otherwise) and DeletedAt (datetime of that run).
inline constexpr char kIsDeletedColumn[] = "IsDeleted";
inline constexpr char kDeletedAtColumn[] = "DeletedAt";

struct RowFilter {
  // When non-empty: a condition on this column (or "gsid") against the scratch set `idSet`.
  std::string column;
  std::string idSet;
  // true: the column's value is in the set (a null never is); false: it is null or not in the set.
  bool inSet = true;
  // Only rows not marked deleted (IsDeleted null or false). A table without IsDeleted: every row.
  bool unmarkedOnly = false;
};

}  // namespace sfsync::store
