// RecordTable: the records of one simulated sObject: its schema, the rows in insertion order and an
// Id -> position index. Soft-deleted rows (IsDeleted = true) stay in the table so queryAll can see
// them.
//
// Thread-safety: none of its own; SimService guards every table with its org-wide reader/writer
// lock. Rows handed out are immutable and reference-counted, so they stay valid after the lock is
// released.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "salesforce_sim/ObjectSchema.h"
#include "salesforce_sim/Row.h"

namespace sfsync::sim {

class RecordTable {
 public:
  explicit RecordTable(ObjectSchema schema);

  const ObjectSchema& schema() const { return schema_; }
  const std::vector<RowPtr>& rows() const { return rows_; }

  // Inserts the row, or replaces the row with the same Id in place (keeping its position).
  void upsert(RowPtr row);
  // The row with this 18-character Id, or nullptr.
  const RowPtr* find(std::string_view id18) const;
  // Removes the row entirely; false when absent.
  bool erase(std::string_view id18);
  void clear();
  // Rows whose IsDeleted is not true.
  std::size_t liveCount() const;
  void reserve(std::size_t n);

 private:
  ObjectSchema schema_;
  std::vector<RowPtr> rows_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace sfsync::sim
