#include "salesforce_sim/Row.h"

namespace sfsync::sim {

Row::Row(const std::vector<SimValue>& values) : cells_(values.size()) {
  std::size_t textSize = 0;
  for (const SimValue& v : values) {
    if (v.kind == ValueKind::String) textSize += v.s.size();
  }
  text_.reserve(textSize);
  for (std::size_t k = 0; k < values.size(); ++k) {
    const SimValue& v = values[k];
    Cell& c = cells_[k];
    c.kind = v.kind;
    switch (v.kind) {
      case ValueKind::Null:
        break;
      case ValueKind::Bool:
        c.b = v.b;
        break;
      case ValueKind::Int:
      case ValueKind::Date:
      case ValueKind::DateTime:
        c.i = v.i;
        break;
      case ValueKind::Double:
        c.d = v.d;
        break;
      case ValueKind::String:
        c.offset = static_cast<std::uint32_t>(text_.size());
        c.length = static_cast<std::uint32_t>(v.s.size());
        text_ += v.s;
        break;
    }
  }
}

CellView Row::at(std::size_t index) const {
  CellView view;
  if (index >= cells_.size()) return view;
  const Cell& c = cells_[index];
  view.kind = c.kind;
  switch (c.kind) {
    case ValueKind::Null:
      break;
    case ValueKind::Bool:
      view.b = c.b;
      break;
    case ValueKind::Int:
    case ValueKind::Date:
    case ValueKind::DateTime:
      view.i = c.i;
      break;
    case ValueKind::Double:
      view.d = c.d;
      break;
    case ValueKind::String:
      view.s = std::string_view(text_.data() + c.offset, c.length);
      break;
  }
  return view;
}

std::vector<SimValue> Row::toValues() const {
  std::vector<SimValue> values(cells_.size());
  for (std::size_t k = 0; k < cells_.size(); ++k) {
    const CellView c = at(k);
    SimValue& v = values[k];
    v.kind = c.kind;
    v.b = c.b;
    v.i = c.i;
    v.d = c.d;
    v.s.assign(c.s.data(), c.s.size());
  }
  return values;
}

std::shared_ptr<const Row> Row::with(std::size_t index, const SimValue& value) const {
  std::vector<SimValue> values = toValues();
  if (index >= values.size()) values.resize(index + 1);
  values[index] = value;
  return std::make_shared<const Row>(values);
}

}  // namespace sfsync::sim
