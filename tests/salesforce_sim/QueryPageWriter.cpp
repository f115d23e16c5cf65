#include "salesforce_sim/QueryPageWriter.h"

#include "salesforce_sim/JsonText.h"
#include "salesforce_sim/SimTime.h"

namespace sfsync::sim {

void QueryPageWriter::appendValue(std::string& out, const CellView& v) {
  switch (v.kind) {
    case ValueKind::Null:
      out += "null";
      break;
    case ValueKind::Bool:
      JsonText::appendBool(out, v.b);
      break;
    case ValueKind::Int:
      JsonText::appendInt(out, v.i);
      break;
    case ValueKind::Double:
      JsonText::appendDouble(out, v.d);
      break;
    case ValueKind::Date:
      out.push_back('"');
      SimTime::appendDate(out, v.i);
      out.push_back('"');
      break;
    case ValueKind::DateTime:
      out.push_back('"');
      SimTime::appendDateTime(out, v.i);
      out.push_back('"');
      break;
    case ValueKind::String:
      JsonText::appendString(out, v.s);
      break;
  }
}

void QueryPageWriter::appendAttributes(std::string& out, const RecordTable& table, const Row& row,
                                       std::string_view version) {
  const std::string& type = table.schema().name();
  out += "\"attributes\":{\"type\":";
  JsonText::appendString(out, type);
  out += ",\"url\":\"/services/data/";
  out.append(version);
  out += "/sobjects/";
  out += type;  // API names are plain identifiers
  out.push_back('/');
  out.append(row.at(static_cast<std::size_t>(table.schema().idField())).s);
  out += "\"}";
}

void QueryPageWriter::appendNodes(std::string& out, const std::vector<SelectNode>& nodes,
                                  const RecordTable& table, const RowPtr* slots, std::size_t slot,
                                  std::string_view version) {
  const Row& row = *slots[slot];
  out.push_back('{');
  appendAttributes(out, table, row, version);
  for (const SelectNode& n : nodes) {
    out.push_back(',');
    JsonText::appendKey(out, n.key);
    if (!n.relationship) {
      appendValue(out, row.at(static_cast<std::size_t>(n.field)));
    } else if (!slots[n.slot]) {
      out += "null";
    } else {
      appendNodes(out, n.children, *n.target, slots, static_cast<std::size_t>(n.slot), version);
    }
  }
  out.push_back('}');
}

std::string QueryPageWriter::page(const QueryResult& result, std::size_t from, std::size_t to,
                                  std::string_view version, std::string_view nextRecordsUrl) {
  std::string out;
  out.reserve(64 + (to - from) * 96 * (result.plan->select.size() + 2));
  out += "{\"totalSize\":";
  JsonText::appendInt(out, static_cast<std::int64_t>(result.totalSize));
  out += ",\"done\":";
  JsonText::appendBool(out, nextRecordsUrl.empty());
  if (!nextRecordsUrl.empty()) {
    out += ",\"nextRecordsUrl\":";
    JsonText::appendString(out, nextRecordsUrl);
  }
  out += ",\"records\":[";
  for (std::size_t r = from; r < to; ++r) {
    if (r > from) out.push_back(',');
    appendNodes(out, result.plan->select, *result.plan->table, &result.rows[r * result.stride], 0,
                version);
  }
  out += "]}";
  return out;
}

std::string QueryPageWriter::fullRecord(const RecordTable& table, const Row& row,
                                        std::string_view version) {
  std::string out = "{";
  appendAttributes(out, table, row, version);
  const auto& fields = table.schema().fields();
  for (std::size_t k = 0; k < fields.size(); ++k) {
    out.push_back(',');
    JsonText::appendKey(out, fields[k].name);
    appendValue(out, row.at(k));
  }
  out.push_back('}');
  return out;
}

}  // namespace sfsync::sim
