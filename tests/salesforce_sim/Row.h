// Row: one stored record, immutable once built. Values are indexed by the field position of the
// object's schema. Storage is compact: a 16-byte cell per field plus one shared character buffer
// for all string values, so hundreds of thousands of records stay small. Rows are shared through
// std::shared_ptr<const Row>; an update builds a new Row, so query snapshots keep the old one
// alive.
//
// Thread-safety: immutable; safe to read from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "salesforce_sim/SimValue.h"

namespace sfsync::sim {

class Row {
 public:
  explicit Row(const std::vector<SimValue>& values);

  std::size_t size() const { return cells_.size(); }
  // The value of field `index`; Null when index is out of range.
  CellView at(std::size_t index) const;
  std::vector<SimValue> toValues() const;
  // Copy of this row with field `index` replaced.
  std::shared_ptr<const Row> with(std::size_t index, const SimValue& value) const;

 private:
  struct Cell {
    ValueKind kind = ValueKind::Null;
    std::uint32_t length = 0;  // strings: byte length in text_
    union {
      bool b;
      std::int64_t i;
      double d;
      std::uint32_t offset;  // strings: start in text_
    };
    Cell() : i(0) {}
  };
  std::vector<Cell> cells_;
  std::string text_;
};

using RowPtr = std::shared_ptr<const Row>;

}  // namespace sfsync::sim
