#include "salesforce_sim/RecordTable.h"

#include <stdexcept>

namespace sfsync::sim {

RecordTable::RecordTable(ObjectSchema schema) : schema_(std::move(schema)) {}

void RecordTable::upsert(RowPtr row) {
  const CellView id = row->at(static_cast<std::size_t>(schema_.idField()));
  if (id.kind != ValueKind::String || id.s.size() != 18) {
    throw std::invalid_argument(schema_.name() + ": record without an 18-character Id");
  }
  const auto [it, inserted] = index_.emplace(std::string(id.s), rows_.size());
  if (inserted) {
    rows_.push_back(std::move(row));
  } else {
    rows_[it->second] = std::move(row);
  }
}

const RowPtr* RecordTable::find(std::string_view id18) const {
  const auto it = index_.find(std::string(id18));
  return it == index_.end() ? nullptr : &rows_[it->second];
}

bool RecordTable::erase(std::string_view id18) {
  const auto it = index_.find(std::string(id18));
  if (it == index_.end()) return false;
  rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (std::size_t k = 0; k < rows_.size(); ++k) {
    index_.emplace(std::string(rows_[k]->at(static_cast<std::size_t>(schema_.idField())).s), k);
  }
  return true;
}

void RecordTable::clear() {
  rows_.clear();
  index_.clear();
}

std::size_t RecordTable::liveCount() const {
  const int deleted = schema_.isDeletedField();
  if (deleted < 0) return rows_.size();
  std::size_t n = 0;
  for (const RowPtr& r : rows_) {
    const CellView c = r->at(static_cast<std::size_t>(deleted));
    if (!(c.kind == ValueKind::Bool && c.b)) ++n;
  }
  return n;
}

void RecordTable::reserve(std::size_t n) {
  rows_.reserve(n);
  index_.reserve(n);
}

}  // namespace sfsync::sim
