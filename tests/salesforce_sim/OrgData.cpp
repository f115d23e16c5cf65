#include "salesforce_sim/OrgData.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <Poco/DirectoryIterator.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimTime.h"

namespace sfsync::sim {
namespace {

const char kCurrencyType[] = "CurrencyType";
const char kCurrencyIsoCode[] = "CurrencyIsoCode";

Poco::Dynamic::Var parseJson(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

[[noreturn]] void badValue(const SimField& f, const std::string& why) {
  throw std::invalid_argument("field " + f.name + " (" + f.type + "): " + why);
}

double toDouble(const SimField& f, const Poco::Dynamic::Var& v) {
  if (v.isNumeric()) return v.convert<double>();
  if (v.isString()) {
    const std::string s = v.convert<std::string>();
    std::size_t used = 0;
    double d = 0;
    try {
      d = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || s.empty()) badValue(f, "not a number: '" + s + "'");
    return d;
  }
  badValue(f, "expected a number");
}

}  // namespace

OrgData::OrgData(bool multiCurrency) : multiCurrency_(multiCurrency) {}

void OrgData::loadDirectory(const std::string& dir, bool loadRecords) {
  std::vector<std::string> files;
  for (Poco::DirectoryIterator it(dir), end; it != end; ++it) {
    if (it->isFile() && Poco::Path(it->path()).getExtension() == "json")
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  // Describes first, so that records can be loaded in any file order.
  std::vector<std::pair<std::string, Poco::JSON::Object::Ptr>> documents;
  for (const std::string& file : files) {
    try {
      Poco::JSON::Object::Ptr doc = parseJson(readFile(file)).extract<Poco::JSON::Object::Ptr>();
      Poco::JSON::Object::Ptr describe = doc->getObject("describe");
      if (!describe) throw std::invalid_argument("no \"describe\" object");
      if (!multiCurrency_ && describe->getValue<std::string>("name") == kCurrencyType) continue;
      addObject(*describe);
      documents.emplace_back(file, doc);
    } catch (const std::exception& e) {
      throw std::runtime_error(file + ": " + e.what());
    }
  }
  if (!loadRecords) return;
  for (const auto& [file, doc] : documents) {
    try {
      RecordTable& t = requireTable(doc->getObject("describe")->getValue<std::string>("name"));
      const Poco::JSON::Array::Ptr records = doc->getArray("records");
      if (!records) continue;
      t.reserve(t.rows().size() + records->size());
      for (std::size_t k = 0; k < records->size(); ++k) {
        const Poco::JSON::Object::Ptr r = records->getObject(static_cast<unsigned>(k));
        if (!r) throw std::invalid_argument("record " + std::to_string(k) + " is not an object");
        try {
          upsertObject(t, *r, SimTime::nowMs());
        } catch (const std::exception& e) {
          throw std::invalid_argument("record " + std::to_string(k) + ": " + e.what());
        }
      }
    } catch (const std::exception& e) {
      throw std::runtime_error(file + ": " + e.what());
    }
  }
}

RecordTable& OrgData::addObject(const Poco::JSON::Object& describe) {
  std::vector<std::string> drop;
  if (!multiCurrency_) drop.push_back(kCurrencyIsoCode);
  ObjectSchema schema = ObjectSchema::fromJson(describe, drop);
  const std::string key = lowerAscii(schema.name());
  auto table = std::make_unique<RecordTable>(std::move(schema));
  RecordTable& ref = *table;
  auto& slot = tables_[key];
  // Open query cursors may still point at a replaced table: keep it alive.
  if (slot) retired_.push_back(std::move(slot));
  slot = std::move(table);
  return ref;
}

RecordTable* OrgData::table(std::string_view objectName) {
  const auto it = tables_.find(lowerAscii(objectName));
  return it == tables_.end() ? nullptr : it->second.get();
}

const RecordTable* OrgData::table(std::string_view objectName) const {
  const auto it = tables_.find(lowerAscii(objectName));
  return it == tables_.end() ? nullptr : it->second.get();
}

std::vector<const RecordTable*> OrgData::tables() const {
  std::vector<const RecordTable*> out;
  for (const auto& [key, t] : tables_) out.push_back(t.get());
  std::sort(out.begin(), out.end(), [](const RecordTable* a, const RecordTable* b) {
    return a->schema().name() < b->schema().name();
  });
  return out;
}

const RecordTable* OrgData::referenceTarget(const SimField& field) const {
  if (field.referenceTo.empty()) return nullptr;
  return table(field.referenceTo.front());
}

RecordTable& OrgData::requireTable(std::string_view objectName) {
  RecordTable* t = table(objectName);
  if (!t) throw std::invalid_argument("unknown sObject " + std::string(objectName));
  return *t;
}

SimValue OrgData::valueFromJson(const SimField& f, const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return SimValue::null();
  switch (f.kind) {
    case FieldKind::Id:
    case FieldKind::Reference: {
      if (!v.isString()) badValue(f, "expected an Id string");
      const std::string s = v.convert<std::string>();
      if (s.empty()) return SimValue::null();
      if (!SalesforceId::isValid(s)) badValue(f, "invalid Id '" + s + "'");
      return SimValue::string(SalesforceId::to18(s));
    }
    case FieldKind::Boolean:
      if (v.isBoolean()) return SimValue::boolean(v.convert<bool>());
      if (v.isString()) {
        const std::string s = lowerAscii(v.convert<std::string>());
        if (s == "true" || s == "false") return SimValue::boolean(s == "true");
      }
      badValue(f, "expected true or false");
    case FieldKind::Int: {
      if (v.isInteger()) return SimValue::integer(v.convert<std::int64_t>());
      const double d = toDouble(f, v);
      if (d != static_cast<double>(static_cast<std::int64_t>(d))) badValue(f, "not an integer");
      return SimValue::integer(static_cast<std::int64_t>(d));
    }
    case FieldKind::Double:
      return SimValue::number(toDouble(f, v));
    case FieldKind::Date: {
      std::int64_t days = 0;
      if (!v.isString() || !SimTime::parseDate(v.convert<std::string>(), days)) {
        badValue(f, "expected a date YYYY-MM-DD");
      }
      return SimValue::date(days);
    }
    case FieldKind::DateTime: {
      std::int64_t ms = 0;
      if (!v.isString() || !SimTime::parseDateTime(v.convert<std::string>(), ms)) {
        badValue(f, "expected a datetime like 2025-01-15T10:30:00.000+0000");
      }
      return SimValue::dateTime(ms);
    }
    case FieldKind::Time:
    case FieldKind::String:
      if (v.isString() || v.isNumeric() || v.isBoolean()) {
        return SimValue::string(v.convert<std::string>());
      }
      badValue(f, "expected a string");
  }
  return SimValue::null();
}

void OrgData::fillDefaults(const ObjectSchema& schema, std::vector<SimValue>& values,
                           std::int64_t nowMs) const {
  for (const char* stamp : {"CreatedDate", "LastModifiedDate", "SystemModstamp"}) {
    const int k = schema.fieldIndex(stamp);
    if (k >= 0 && values[k].kind == ValueKind::Null &&
        schema.field(k).kind == FieldKind::DateTime) {
      values[k] = SimValue::dateTime(nowMs);
    }
  }
  const int deleted = schema.isDeletedField();
  if (deleted >= 0 && values[deleted].kind == ValueKind::Null)
    values[deleted] = SimValue::boolean(false);
  // Person-style compound Name (Contact, User, Lead): FirstName + " " + LastName when not given.
  const int name = schema.fieldIndex("Name");
  const int first = schema.fieldIndex("FirstName");
  const int last = schema.fieldIndex("LastName");
  if (name >= 0 && first >= 0 && last >= 0 && values[name].kind == ValueKind::Null) {
    std::string full = values[first].kind == ValueKind::String ? values[first].s : "";
    if (values[last].kind == ValueKind::String) {
      if (!full.empty()) full.push_back(' ');
      full += values[last].s;
    }
    if (!full.empty()) values[name] = SimValue::string(full);
  }
}

std::string OrgData::upsertObject(RecordTable& t, const Poco::JSON::Object& record,
                                  std::int64_t nowMs) {
  const ObjectSchema& schema = t.schema();
  std::vector<SimValue> values(schema.fields().size());
  for (const auto& [key, value] : record) {
    if (key == "attributes") continue;
    const int k = schema.fieldIndex(key);
    if (k < 0) {
      if (!multiCurrency_ && key == kCurrencyIsoCode) continue;
      throw std::invalid_argument("no field " + key + " on " + schema.name());
    }
    values[k] = valueFromJson(schema.field(k), value);
  }
  SimValue& id = values[schema.idField()];
  if (id.kind == ValueKind::Null) {
    id = SimValue::string(newId(t));
  } else if (id.s.compare(0, 3, schema.keyPrefix()) != 0) {
    throw std::invalid_argument("Id " + id.s + " does not start with " + schema.name() +
                                "'s key prefix " + schema.keyPrefix());
  }
  fillDefaults(schema, values, nowMs);
  const std::string idText = id.s;
  t.upsert(std::make_shared<const Row>(values));
  return idText;
}

std::string OrgData::upsertJson(std::string_view objectName, const std::string& jsonRecord,
                                std::int64_t nowMs) {
  RecordTable& t = requireTable(objectName);
  Poco::Dynamic::Var parsed;
  try {
    parsed = parseJson(jsonRecord);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("record is not valid JSON: " + e.displayText());
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw std::invalid_argument("record JSON must be an object");
  }
  return upsertObject(t, *parsed.extract<Poco::JSON::Object::Ptr>(), nowMs);
}

void OrgData::setFieldJson(std::string_view objectName, std::string_view id, std::string_view field,
                           const std::string& jsonValue, std::int64_t nowMs) {
  RecordTable& t = requireTable(objectName);
  const ObjectSchema& schema = t.schema();
  const int k = schema.fieldIndex(field);
  if (k < 0) throw std::invalid_argument("no field " + std::string(field) + " on " + schema.name());
  if (!SalesforceId::isValid(id)) throw std::invalid_argument("invalid Id " + std::string(id));
  const RowPtr* row = t.find(SalesforceId::to18(id));
  if (!row) throw std::invalid_argument("no " + schema.name() + " with Id " + std::string(id));
  Poco::Dynamic::Var parsed;
  try {
    // Wrap so that scalars ("42", "null", "\"x\"") parse everywhere.
    parsed = parseJson("[" + jsonValue + "]").extract<Poco::JSON::Array::Ptr>()->get(0);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("value is not valid JSON: " + e.displayText());
  }
  std::vector<SimValue> values = (*row)->toValues();
  values[k] = valueFromJson(schema.field(k), parsed);
  const SimField& f = schema.field(k);
  if (!f.calculated && f.name != "SystemModstamp" && f.name != "LastModifiedDate") {
    for (const char* stamp : {"LastModifiedDate", "SystemModstamp"}) {
      const int s = schema.fieldIndex(stamp);
      if (s >= 0) values[s] = SimValue::dateTime(nowMs);
    }
  }
  t.upsert(std::make_shared<const Row>(values));
}

void OrgData::deleteRecord(std::string_view objectName, std::string_view id, std::int64_t nowMs) {
  RecordTable& t = requireTable(objectName);
  if (!SalesforceId::isValid(id)) throw std::invalid_argument("invalid Id " + std::string(id));
  const std::string id18 = SalesforceId::to18(id);
  const int deleted = t.schema().isDeletedField();
  if (deleted < 0) {
    t.erase(id18);
    return;
  }
  const RowPtr* row = t.find(id18);
  if (!row) return;
  std::vector<SimValue> values = (*row)->toValues();
  values[deleted] = SimValue::boolean(true);
  for (const char* stamp : {"LastModifiedDate", "SystemModstamp"}) {
    const int s = t.schema().fieldIndex(stamp);
    if (s >= 0) values[s] = SimValue::dateTime(nowMs);
  }
  t.upsert(std::make_shared<const Row>(values));
}

void OrgData::clearObject(std::string_view objectName) { requireTable(objectName).clear(); }

std::string OrgData::newId(const RecordTable& t, std::string_view pod) {
  const std::string key = t.schema().keyPrefix() + std::string(pod);
  std::uint64_t& serial = serials_[key];
  for (;;) {
    std::string id = SalesforceId::make(t.schema().keyPrefix(), pod, ++serial);
    if (!t.find(id)) return id;
  }
}

}  // namespace sfsync::sim
