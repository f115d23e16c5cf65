#include "salesforce_sim/CsvResultWriter.h"

#include "salesforce_sim/JsonText.h"
#include "salesforce_sim/SimTime.h"

namespace sfsync::sim {

bool CsvResultWriter::valueText(std::string& out, const CellView& v) {
  switch (v.kind) {
    case ValueKind::Null:
      return false;
    case ValueKind::Bool:
      JsonText::appendBool(out, v.b);
      return true;
    case ValueKind::Int:
      JsonText::appendInt(out, v.i);
      return true;
    case ValueKind::Double:
      JsonText::appendDouble(out, v.d);
      return true;
    case ValueKind::Date:
      SimTime::appendDate(out, v.i);
      return true;
    case ValueKind::DateTime: {
      SimTime::appendDateTime(out, v.i);  // ...00.000+0000 -> ...00.000Z
      out.resize(out.size() - 5);
      out.push_back('Z');
      return true;
    }
    case ValueKind::String:
      out.append(v.s);
      return true;
  }
  return false;
}

void CsvResultWriter::appendQuoted(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string CsvResultWriter::write(const QueryResult& result, std::size_t from, std::size_t to,
                                   const CsvFormat& format, std::size_t* middleRecordStart) {
  const std::vector<ColumnSpec>& columns = result.plan->columns;
  std::string out;
  out.reserve(64 + (to - from) * 24 * (columns.size() + 1));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) out.push_back(format.delimiter);
    appendQuoted(out, columns[c].header);
  }
  out += format.lineEnding;
  const std::size_t middle = from + (to - from) / 2;
  std::string text;
  for (std::size_t r = from; r < to; ++r) {
    if (r == middle && middleRecordStart) *middleRecordStart = out.size();
    const RowPtr* slots = &result.rows[r * result.stride];
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) out.push_back(format.delimiter);
      const RowPtr& row = slots[columns[c].slot];
      if (!row) continue;  // empty or dangling reference: null
      text.clear();
      if (valueText(text, row->at(static_cast<std::size_t>(columns[c].field)))) {
        appendQuoted(out, text);
      }
    }
    out += format.lineEnding;
  }
  return out;
}

}  // namespace sfsync::sim
