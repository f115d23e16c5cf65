#include "pubsub_sim/CdcEncoder.h"

#include <algorithm>

namespace sfsync::sim {

namespace {

const char* const kChangeTypes[] = {"CREATE",       "UPDATE",     "DELETE",     "UNDELETE",
                                    "GAP_CREATE",   "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE",
                                    "GAP_OVERFLOW", "SNAPSHOT"};

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string("avro: ") + what + ": " + avro_strerror());
}

bool sameCell(const CellView& a, const CellView& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::Null:
      return true;
    case ValueKind::Bool:
      return a.b == b.b;
    case ValueKind::Double:
      return a.d == b.d;
    case ValueKind::String:
      return a.s == b.s;
    default:
      return a.i == b.i;
  }
}

bool deleted(const ObjectSchema& schema, const RowPtr& row) {
  const int f = schema.isDeletedField();
  if (!row) return true;
  return f >= 0 && row->at(static_cast<std::size_t>(f)).b;
}

}  // namespace

CdcEncoder::CdcEncoder(const CdcLayout& layout) : layout_(layout) {
  const std::string& json = layout.schemaJson();
  check(avro_schema_from_json_length(json.data(), json.size(), &schema_), "schema");
  iface_ = avro_generic_class_from_schema(schema_);
  if (!iface_) throw std::runtime_error(std::string("avro: class: ") + avro_strerror());
}

CdcEncoder::~CdcEncoder() {
  if (iface_) avro_value_iface_decref(iface_);
  if (schema_) avro_schema_decref(schema_);
}

std::string CdcEncoder::bitmap(const std::vector<int>& bits) {
  int top = -1;
  for (int b : bits) top = std::max(top, b);
  if (top < 0) return "0x00";
  std::vector<unsigned char> bytes(static_cast<std::size_t>(top / 8 + 1), 0);
  for (int b : bits) bytes[bytes.size() - 1 - static_cast<std::size_t>(b / 8)] |= 1u << (b % 8);
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = "0x";
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::vector<std::string> CdcEncoder::bitmaps(const std::vector<char>& set) const {
  std::vector<int> top;
  std::vector<std::string> nested;
  const auto& fields = layout_.fields();
  for (std::size_t f = 1; f < fields.size(); ++f) {
    if (fields[f].simField >= 0) {
      if (set[static_cast<std::size_t>(fields[f].simField)]) top.push_back(static_cast<int>(f));
      continue;
    }
    std::vector<int> sub;
    for (std::size_t s = 0; s < fields[f].subFields.size(); ++s) {
      if (set[static_cast<std::size_t>(fields[f].subFields[s])]) sub.push_back(static_cast<int>(s));
    }
    if (sub.empty()) continue;
    top.push_back(static_cast<int>(f));
    nested.push_back(std::to_string(f) + "-" + bitmap(sub));
  }
  std::vector<std::string> out;
  if (top.empty()) return out;
  out.push_back(bitmap(top));
  out.insert(out.end(), nested.begin(), nested.end());
  return out;
}

bool CdcEncoder::classify(const RecordChange& change, CdcChange& out) const {
  const ObjectSchema& schema = *change.schema;
  const bool wasLive = !deleted(schema, change.before), isLive = !deleted(schema, change.after);
  out = CdcChange{};
  out.header.entityName = schema.name();
  out.header.recordIds = {change.id};
  out.header.commitTimestamp = change.commitMs;
  out.header.commitUser = change.userId;
  out.row = change.after;
  const std::size_t n = schema.fields().size();
  if (!wasLive && !isLive) return false;
  if (wasLive && !isLive) {
    out.header.changeType = "DELETE";
    return true;
  }
  if (!wasLive) {
    out.header.changeType = change.before ? "UNDELETE" : "CREATE";
    for (std::size_t i = 0; i < n; ++i) {
      if (!change.after->at(i).isNull()) out.payloadFields.push_back(static_cast<int>(i));
    }
    return true;
  }
  out.header.changeType = "UPDATE";
  std::vector<char> changed(n, 0), nulled(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const CellView after = change.after->at(i);
    if (sameCell(change.before->at(i), after)) continue;
    changed[i] = 1;
    if (after.isNull()) {
      nulled[i] = 1;
    } else {
      out.payloadFields.push_back(static_cast<int>(i));
    }
  }
  std::vector<char> diff(n, 0);
  for (int f : out.payloadFields) {
    const std::string& name = schema.fields()[static_cast<std::size_t>(f)].name;
    if (std::find(diffNames_.begin(), diffNames_.end(), name) == diffNames_.end()) continue;
    diff[static_cast<std::size_t>(f)] = 1;
    out.diffFields.push_back(f);
  }
  out.header.changedFields = bitmaps(changed);
  out.header.nulledFields = bitmaps(nulled);
  out.header.diffFields = bitmaps(diff);
  return !out.header.changedFields.empty();
}

void CdcEncoder::setHeader(avro_value_t& header, const CdcHeader& h) {
  avro_value_t v, item;
  auto strings = [&](const char* name, const std::vector<std::string>& values) {
    check(avro_value_get_by_name(&header, name, &v, nullptr), name);
    for (const std::string& s : values) {
      check(avro_value_append(&v, &item, nullptr), name);
      check(avro_value_set_string_len(&item, s.c_str(), s.size() + 1), name);
    }
  };
  auto text = [&](const char* name, const std::string& s) {
    check(avro_value_get_by_name(&header, name, &v, nullptr), name);
    check(avro_value_set_string_len(&v, s.c_str(), s.size() + 1), name);
  };
  text("entityName", h.entityName);
  strings("recordIds", h.recordIds);
  const auto type = std::find(std::begin(kChangeTypes), std::end(kChangeTypes), h.changeType);
  check(avro_value_get_by_name(&header, "changeType", &v, nullptr), "changeType");
  check(avro_value_set_enum(&v, static_cast<int>(type - std::begin(kChangeTypes))), "changeType");
  text("changeOrigin", h.changeOrigin);
  text("transactionKey", h.transactionKey);
  check(avro_value_get_by_name(&header, "sequenceNumber", &v, nullptr), "sequenceNumber");
  check(avro_value_set_int(&v, h.sequenceNumber), "sequenceNumber");
  check(avro_value_get_by_name(&header, "commitTimestamp", &v, nullptr), "commitTimestamp");
  check(avro_value_set_long(&v, h.commitTimestamp), "commitTimestamp");
  check(avro_value_get_by_name(&header, "commitNumber", &v, nullptr), "commitNumber");
  check(avro_value_set_long(&v, h.commitNumber), "commitNumber");
  text("commitUser", h.commitUser);
  strings("nulledFields", h.nulledFields);
  strings("diffFields", h.diffFields);
  strings("changedFields", h.changedFields);
}

void CdcEncoder::setField(avro_value_t& unionValue, const Row* row, int simField, bool present) {
  avro_value_t branch;
  const CellView cell = row && present ? row->at(static_cast<std::size_t>(simField)) : CellView{};
  if (cell.isNull()) {
    check(avro_value_set_branch(&unionValue, 0, &branch), "null branch");
    check(avro_value_set_null(&branch), "null");
    return;
  }
  check(avro_value_set_branch(&unionValue, 1, &branch), "value branch");
  switch (cell.kind) {
    case ValueKind::Bool:
      check(avro_value_set_boolean(&branch, cell.b ? 1 : 0), "boolean");
      break;
    case ValueKind::Int:
    case ValueKind::Date:
      check(avro_value_set_int(&branch, static_cast<std::int32_t>(cell.i)), "int");
      break;
    case ValueKind::DateTime:
      check(avro_value_set_long(&branch, cell.i), "long");
      break;
    case ValueKind::Double:
      check(avro_value_set_double(&branch, cell.d), "double");
      break;
    default: {
      const std::string s(cell.s);
      check(avro_value_set_string_len(&branch, s.c_str(), s.size() + 1), "string");
    }
  }
}

std::string CdcEncoder::diffText(const std::string& newValue) {
  // The shape of a unified diff of the whole text (what matters: it is not the value).
  return "@@ -1 +1 @@\n+" + newValue;
}

std::string CdcEncoder::encode(const CdcChange& change) {
  avro_value_t record, header, field, sub;
  check(avro_generic_value_new(iface_, &record), "value");
  std::string out;
  try {
    check(avro_value_get_by_index(&record, 0, &header, nullptr), "header");
    setHeader(header, change.header);
    std::vector<char> present(change.row ? change.row->size() : 0, 0);
    for (int f : change.payloadFields) present[static_cast<std::size_t>(f)] = 1;
    const auto& fields = layout_.fields();
    for (std::size_t f = 1; f < fields.size(); ++f) {
      check(avro_value_get_by_index(&record, f, &field, nullptr), "field");
      const Row* row = change.row.get();
      if (fields[f].simField >= 0 && std::find(change.diffFields.begin(), change.diffFields.end(),
                                               fields[f].simField) != change.diffFields.end()) {
        avro_value_t branch;  // a diff field: the diff text instead of the value
        const std::string text =
            diffText(std::string(row->at(static_cast<std::size_t>(fields[f].simField)).s));
        check(avro_value_set_branch(&field, 1, &branch), "diff branch");
        check(avro_value_set_string_len(&branch, text.c_str(), text.size() + 1), "diff");
        continue;
      }
      if (fields[f].simField >= 0) {
        setField(field, row, fields[f].simField,
                 row && present[static_cast<std::size_t>(fields[f].simField)]);
        continue;
      }
      bool any = false;
      for (int s : fields[f].subFields) any = any || (row && present[static_cast<std::size_t>(s)]);
      avro_value_t branch;
      if (!any) {
        check(avro_value_set_branch(&field, 0, &branch), "null branch");
        check(avro_value_set_null(&branch), "null");
        continue;
      }
      check(avro_value_set_branch(&field, 1, &branch), "compound");
      for (std::size_t s = 0; s < fields[f].subFields.size(); ++s) {
        check(avro_value_get_by_index(&branch, s, &sub, nullptr), "part");
        const int simField = fields[f].subFields[s];
        setField(sub, row, simField, present[static_cast<std::size_t>(simField)]);
      }
    }
    std::size_t size = 0;
    check(avro_value_sizeof(&record, &size), "sizeof");
    out.resize(size);
    avro_writer_t writer = avro_writer_memory(out.data(), static_cast<int64_t>(size));
    const int rc = avro_value_write(writer, &record);
    avro_writer_free(writer);
    check(rc, "write");
  } catch (...) {
    avro_value_decref(&record);
    throw;
  }
  avro_value_decref(&record);
  return out;
}

}  // namespace sfsync::sim
