#include "cdc/AvroChangeDecoder.h"

#include <cctype>

namespace sfsync::cdc {

namespace {

std::string avroError(const char* what) { return std::string(what) + ": " + avro_strerror(); }

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The REST name of part `part` of compound field `field`: Name.FirstName -> FirstName,
// BillingAddress.City -> BillingCity, Location__c.Latitude -> Location__Latitude__s.
std::string flatName(const std::string& field, const std::string& part) {
  if (field == "Name") return part;
  if (endsWith(field, "Address")) return field.substr(0, field.size() - 7) + part;
  if (endsWith(field, "__c")) return field.substr(0, field.size() - 1) + part + "__s";
  return field + "." + part;
}

// The non-null branch of a ["null", T] union schema (or the schema itself).
avro_schema_t valueSchema(avro_schema_t s) {
  if (!is_avro_union(s)) return s;
  for (size_t b = 0; b < avro_schema_union_size(s); ++b) {
    avro_schema_t branch = avro_schema_union_branch(s, static_cast<int>(b));
    if (!is_avro_null(branch)) return branch;
  }
  return s;
}

// One scalar (a union resolved to its current branch); kDataError for records and arrays.
Result<Value> readScalar(avro_value_t& in) {
  avro_value_t v = in;
  if (avro_value_get_type(&in) == AVRO_UNION && avro_value_get_current_branch(&in, &v) != 0) {
    return Status::DataError(avroError("union"));
  }
  switch (avro_value_get_type(&v)) {
    case AVRO_NULL:
      return Value{};
    case AVRO_STRING: {
      const char* p = nullptr;
      size_t size = 0;
      if (avro_value_get_string(&v, &p, &size) != 0) return Status::DataError(avroError("string"));
      return Value{std::string(p, size > 0 ? size - 1 : 0)};
    }
    case AVRO_INT32: {
      int32_t x = 0;
      if (avro_value_get_int(&v, &x) != 0) return Status::DataError(avroError("int"));
      return Value{static_cast<std::int64_t>(x)};
    }
    case AVRO_INT64: {
      int64_t x = 0;
      if (avro_value_get_long(&v, &x) != 0) return Status::DataError(avroError("long"));
      return Value{static_cast<std::int64_t>(x)};
    }
    case AVRO_FLOAT: {
      float x = 0;
      if (avro_value_get_float(&v, &x) != 0) return Status::DataError(avroError("float"));
      return Value{static_cast<double>(x)};
    }
    case AVRO_DOUBLE: {
      double x = 0;
      if (avro_value_get_double(&v, &x) != 0) return Status::DataError(avroError("double"));
      return Value{x};
    }
    case AVRO_BOOLEAN: {
      int x = 0;
      if (avro_value_get_boolean(&v, &x) != 0) return Status::DataError(avroError("boolean"));
      return Value{x != 0};
    }
    case AVRO_ENUM: {
      int x = 0;
      if (avro_value_get_enum(&v, &x) != 0) return Status::DataError(avroError("enum"));
      // avro-c keeps whatever index the event carries; looking up one out of range reads an
      // uninitialised pointer.
      avro_schema_t schema = avro_value_get_schema(&v);
      if (x < 0 || x >= avro_schema_enum_number_of_symbols(schema)) {
        return Status::DataError("enum index " + std::to_string(x) + " out of range");
      }
      const char* symbol = avro_schema_enum_get(schema, x);
      return Value{std::string(symbol ? symbol : "")};
    }
    default:
      return Status::DataError("unexpected Avro type in a field value");
  }
}

Result<std::vector<std::string>> readStrings(avro_value_t& record, const char* name) {
  avro_value_t array, item;
  if (avro_value_get_by_name(&record, name, &array, nullptr) != 0) {
    return Status::DataError(std::string("ChangeEventHeader has no ") + name);
  }
  size_t n = 0;
  if (avro_value_get_size(&array, &n) != 0) return Status::DataError(avroError(name));
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    if (avro_value_get_by_index(&array, i, &item, nullptr) != 0) {
      return Status::DataError(avroError(name));
    }
    Result<Value> v = readScalar(item);
    if (!v.ok()) return v.status();
    if (const auto* s = std::get_if<std::string>(&v.value())) out.push_back(*s);
  }
  return out;
}

}  // namespace

bool AvroChangeDecoder::parseBitmap(const std::string& hex, std::vector<int>& bits) {
  bits.clear();
  if (hex.size() < 3 || hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) return false;
  int position = 0;
  for (std::size_t i = hex.size(); i-- > 2;) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i])));
    int nibble;
    if (c >= '0' && c <= '9') {
      nibble = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      nibble = c - 'a' + 10;
    } else {
      return false;
    }
    for (int b = 0; b < 4; ++b) {
      if (nibble & (1 << b)) bits.push_back(position + b);
    }
    position += 4;
  }
  return true;
}

Result<std::unique_ptr<AvroChangeDecoder>> AvroChangeDecoder::create(
    const std::string& schemaJson) {
  std::unique_ptr<AvroChangeDecoder> d(new AvroChangeDecoder());
  if (avro_schema_from_json_length(schemaJson.data(), schemaJson.size(), &d->schema_) != 0) {
    return Status::DataError(avroError("the event schema does not parse"));
  }
  if (!is_avro_record(d->schema_) || avro_schema_record_size(d->schema_) < 1 ||
      std::string(avro_schema_record_field_name(d->schema_, 0)) != "ChangeEventHeader") {
    return Status::DataError("the event schema is not a change event (no ChangeEventHeader first)");
  }
  for (size_t i = 0; i < avro_schema_record_size(d->schema_); ++i) {
    Field field;
    field.name = avro_schema_record_field_name(d->schema_, static_cast<int>(i));
    avro_schema_t s =
        valueSchema(avro_schema_record_field_get_by_index(d->schema_, static_cast<int>(i)));
    if (i > 0 && is_avro_record(s)) {
      for (size_t p = 0; p < avro_schema_record_size(s); ++p) {
        field.parts.push_back(avro_schema_record_field_name(s, static_cast<int>(p)));
        field.flatParts.push_back(flatName(field.name, field.parts.back()));
      }
    }
    d->fields_.push_back(std::move(field));
  }
  d->iface_ = avro_generic_class_from_schema(d->schema_);
  if (!d->iface_) return Status::DataError(avroError("the event schema"));
  return d;
}

AvroChangeDecoder::~AvroChangeDecoder() {
  if (iface_) avro_value_iface_decref(iface_);
  if (schema_) avro_schema_decref(schema_);
}

Status AvroChangeDecoder::readHeader(avro_value_t& header, ChangeEvent& event) const {
  avro_value_t v;
  auto scalar = [&](const char* name) -> Result<Value> {
    if (avro_value_get_by_name(&header, name, &v, nullptr) != 0) {
      return Status::DataError(std::string("ChangeEventHeader has no ") + name);
    }
    return readScalar(v);
  };
  auto text = [](const Value& x) {
    const auto* s = std::get_if<std::string>(&x);
    return s ? *s : std::string();
  };
  auto number = [](const Value& x) {
    const auto* n = std::get_if<std::int64_t>(&x);
    return n ? *n : std::int64_t{0};
  };
  Result<Value> entity = scalar("entityName"), type = scalar("changeType");
  if (!entity.ok()) return entity.status();
  if (!type.ok()) return type.status();
  event.entityName = text(entity.value());
  event.changeType = changeTypeFromText(text(type.value()));
  for (auto [name, out] : {std::pair{"changeOrigin", &event.changeOrigin},
                           std::pair{"transactionKey", &event.transactionKey},
                           std::pair{"commitUser", &event.commitUser}}) {
    if (Result<Value> x = scalar(name); x.ok()) *out = text(x.value());
  }
  if (Result<Value> x = scalar("sequenceNumber"); x.ok()) {
    event.sequenceNumber = static_cast<int>(number(x.value()));
  }
  if (Result<Value> x = scalar("commitTimestamp"); x.ok())
    event.commitTimestamp = number(x.value());
  if (Result<Value> x = scalar("commitNumber"); x.ok()) event.commitNumber = number(x.value());
  auto ids = readStrings(header, "recordIds");
  if (!ids.ok()) return ids.status();
  event.recordIds = std::move(ids.value());
  for (auto [name, out] : {std::pair{"changedFields", &event.changedBitmaps},
                           std::pair{"nulledFields", &event.nulledBitmaps},
                           std::pair{"diffFields", &event.diffBitmaps}}) {
    auto bitmaps = readStrings(header, name);
    if (bitmaps.ok()) *out = std::move(bitmaps.value());
  }
  return Status::OK();
}

bool AvroChangeDecoder::select(const std::vector<std::string>& bitmaps, std::vector<char>& top,
                               std::vector<std::vector<char>>& parts) const {
  top.assign(fields_.size(), 0);
  parts.assign(fields_.size(), {});
  std::vector<int> bits;
  for (const std::string& entry : bitmaps) {
    const auto dash = entry.find('-');
    if (dash == std::string::npos) {
      if (!parseBitmap(entry, bits)) return false;
      for (int b : bits) {
        if (b > 0 && static_cast<std::size_t>(b) < top.size()) top[static_cast<std::size_t>(b)] = 1;
      }
      continue;
    }
    std::size_t f = 0;
    try {
      f = std::stoul(entry.substr(0, dash));
    } catch (const std::exception&) {
      return false;
    }
    if (f == 0 || f >= fields_.size() || !parseBitmap(entry.substr(dash + 1), bits)) return false;
    parts[f].assign(fields_[f].parts.size(), 0);
    for (int b : bits) {
      if (static_cast<std::size_t>(b) < parts[f].size()) parts[f][static_cast<std::size_t>(b)] = 1;
    }
    top[f] = 1;
  }
  return true;
}

Status AvroChangeDecoder::readFields(avro_value_t& record, ChangeEvent& event) const {
  const bool whole = event.changeType == ChangeType::kCreate ||
                     event.changeType == ChangeType::kUndelete ||
                     (event.changeType == ChangeType::kUpdate && event.changedBitmaps.empty());
  if (!whole && event.changeType != ChangeType::kUpdate) return Status::OK();
  std::vector<char> changed, nulled;
  std::vector<std::vector<char>> changedParts, nulledParts;
  if (!whole && (!select(event.changedBitmaps, changed, changedParts) ||
                 !select(event.nulledBitmaps, nulled, nulledParts))) {
    return Status::DataError("malformed changedFields/nulledFields bitmap in event " +
                             event.eventId);
  }
  std::vector<char> diff;
  std::vector<std::vector<char>> diffParts;
  if (!whole && !select(event.diffBitmaps, diff, diffParts)) {
    return Status::DataError("malformed diffFields bitmap in event " + event.eventId);
  }
  avro_value_t field, branch, part;
  for (std::size_t f = 1; f < fields_.size(); ++f) {
    if (!whole && diff[f] && fields_[f].parts.empty()) {  // a diff, not the value: read again
      event.diffFields.push_back(fields_[f].name);
      continue;
    }
    if (!whole && !changed[f]) continue;
    if (avro_value_get_by_index(&record, f, &field, nullptr) != 0) {
      return Status::DataError(avroError("field"));
    }
    if (fields_[f].parts.empty()) {
      Result<Value> v = readScalar(field);
      if (!v.ok()) return v.status();
      if (whole && isNull(v.value())) continue;
      event.fields.emplace_back(fields_[f].name,
                                nulled[f] && !whole ? Value{} : std::move(v.value()));
      continue;
    }
    // A compound: its record (or null when none of its parts has a value).
    const bool hasRecord = avro_value_get_current_branch(&field, &branch) == 0 &&
                           avro_value_get_type(&branch) == AVRO_RECORD;
    for (std::size_t p = 0; p < fields_[f].parts.size(); ++p) {
      const bool nested = !whole && !changedParts[f].empty();
      if (nested && !changedParts[f][p]) continue;
      Value v;
      if (hasRecord) {
        if (avro_value_get_by_index(&branch, p, &part, nullptr) != 0) {
          return Status::DataError(avroError("compound part"));
        }
        Result<Value> x = readScalar(part);
        if (!x.ok()) return x.status();
        v = std::move(x.value());
      }
      const bool partNulled = !whole && nulled[f] && (nulledParts[f].empty() || nulledParts[f][p]);
      if (isNull(v) && !partNulled && !nested) continue;  // an unchanged part
      event.fields.emplace_back(fields_[f].flatParts[p], partNulled ? Value{} : std::move(v));
    }
  }
  return Status::OK();
}

Result<ChangeEvent> AvroChangeDecoder::decode(const std::string& payload) const {
  avro_value_t record, header;
  if (avro_generic_value_new(iface_, &record) != 0) return Status::DataError(avroError("value"));
  avro_reader_t reader = avro_reader_memory(payload.data(), static_cast<int64_t>(payload.size()));
  const int rc = avro_value_read(reader, &record);
  avro_reader_free(reader);
  ChangeEvent event;
  Status status = rc == 0
                      ? Status::OK()
                      : Status::DataError(avroError("the event payload does not match its schema"));
  if (status.ok() && avro_value_get_by_index(&record, 0, &header, nullptr) != 0) {
    status = Status::DataError(avroError("ChangeEventHeader"));
  }
  if (status.ok()) status = readHeader(header, event);
  if (status.ok()) status = readFields(record, event);
  avro_value_decref(&record);
  if (!status.ok()) return status;
  return event;
}

}  // namespace sfsync::cdc
