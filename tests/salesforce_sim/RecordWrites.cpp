#include "salesforce_sim/RecordWrites.h"

#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimTime.h"
#include "salesforce_sim/WriteError.h"

namespace sfsync::sim {
namespace {

const char kNotFoundMessage[] = "The requested resource does not exist";

bool isDeleted(const ObjectSchema& schema, const Row& row) {
  const int k = schema.isDeletedField();
  if (k < 0) return false;
  const CellView c = row.at(static_cast<std::size_t>(k));
  return c.kind == ValueKind::Bool && c.b;
}

}  // namespace

RecordTable& RecordWrites::table(OrgData& org, std::string_view object) {
  RecordTable* t = org.table(object);
  if (!t) throw WriteError(404, "NOT_FOUND", kNotFoundMessage);
  return *t;
}

const RowPtr& RecordWrites::existing(RecordTable& t, std::string_view id, bool allowDeleted) {
  if (!SalesforceId::isValid(id)) {
    throw WriteError(400, "MALFORMED_ID",
                     t.schema().name() + " ID: id value of incorrect type: " + std::string(id));
  }
  const RowPtr* row = t.find(SalesforceId::to18(id));
  if (!row) throw WriteError(404, "NOT_FOUND", kNotFoundMessage);
  if (!allowDeleted && isDeleted(t.schema(), **row)) {
    throw WriteError(404, "ENTITY_IS_DELETED", "entity is deleted");
  }
  return *row;
}

void RecordWrites::apply(const ObjectSchema& schema, const Poco::JSON::Object& fields,
                         std::vector<SimValue>& values, bool creating, bool checkAccess) {
  std::vector<std::string> readOnly;
  for (const auto& [key, value] : fields) {
    if (key == "attributes") continue;
    const int k = schema.fieldIndex(key);
    if (k < 0) {
      throw WriteError(400, "INVALID_FIELD",
                       "No such column '" + key + "' on sobject of type " + schema.name());
    }
    const SimField& f = schema.field(k);
    if (checkAccess && !(creating ? f.createable : f.updateable)) {
      readOnly.push_back(f.name);
      continue;
    }
    try {
      values[k] = OrgData::valueFromJson(f, value);
    } catch (const std::invalid_argument& e) {
      throw WriteError(400, "JSON_PARSER_ERROR",
                       "Cannot deserialize the value of " + f.name + ": " + e.what(), {f.name});
    }
  }
  if (!readOnly.empty()) {
    std::string names;
    for (const std::string& n : readOnly) names += (names.empty() ? "" : ", ") + n;
    throw WriteError(400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                     "Unable to create/update fields: " + names +
                         ". Please check the security settings of this field and verify that it "
                         "is read/write for your profile or permission set.",
                     readOnly);
  }
}

void RecordWrites::stamp(const ObjectSchema& schema, std::vector<SimValue>& values,
                         std::int64_t ms) {
  for (const char* name : {"LastModifiedDate", "SystemModstamp"}) {
    const int s = schema.fieldIndex(name);
    if (s >= 0) values[s] = SimValue::dateTime(ms);
  }
}

std::string RecordWrites::create(OrgData& org, std::string_view object,
                                 const Poco::JSON::Object& fields, std::int64_t nowMs) {
  RecordTable& t = table(org, object);
  std::vector<SimValue> scratch(t.schema().fields().size());
  apply(t.schema(), fields, scratch, true, true);  // validates; OrgData fills the defaults
  return org.upsertObject(t, fields, nowMs);
}

void RecordWrites::update(OrgData& org, std::string_view object, std::string_view id,
                          const Poco::JSON::Object& fields, std::int64_t nowMs) {
  RecordTable& t = table(org, object);
  std::vector<SimValue> values = existing(t, id, false)->toValues();
  apply(t.schema(), fields, values, false, true);
  stamp(t.schema(), values, nowMs);
  t.upsert(std::make_shared<const Row>(values));
}

void RecordWrites::softDelete(OrgData& org, std::string_view object, std::string_view id,
                              std::int64_t nowMs) {
  RecordTable& t = table(org, object);
  existing(t, id, false);
  org.deleteRecord(object, id, nowMs);
}

void RecordWrites::undelete(OrgData& org, std::string_view object, std::string_view id,
                            std::int64_t nowMs) {
  RecordTable& t = table(org, object);
  const RowPtr& row = existing(t, id, true);
  if (!isDeleted(t.schema(), *row)) {
    throw WriteError(400, "UNDELETE_FAILED", "Entity is not in the recycle bin");
  }
  std::vector<SimValue> values = row->toValues();
  values[t.schema().isDeletedField()] = SimValue::boolean(false);
  stamp(t.schema(), values, nowMs);
  t.upsert(std::make_shared<const Row>(values));
}

void RecordWrites::hardDelete(OrgData& org, std::string_view object, std::string_view id) {
  RecordTable& t = table(org, object);
  existing(t, id, true);
  t.erase(SalesforceId::to18(id));
}

std::string RecordWrites::commitLate(OrgData& org, std::string_view object,
                                     const Poco::JSON::Object& record, std::int64_t stampMs) {
  RecordTable& t = table(org, object);
  const ObjectSchema& schema = t.schema();
  std::string id;
  for (const auto& [key, value] : record) {
    if (schema.fieldIndex(key) == schema.idField() && value.isString()) id = value.toString();
  }
  const RowPtr* row = SalesforceId::isValid(id) ? t.find(SalesforceId::to18(id)) : nullptr;
  if (!row) {
    Poco::JSON::Object copy(record);
    const std::string iso = SimTime::formatDateTime(stampMs);
    for (const char* name : {"LastModifiedDate", "SystemModstamp"}) {
      if (schema.fieldIndex(name) >= 0) copy.set(name, iso);
    }
    return org.upsertObject(t, copy, stampMs);  // CreatedDate defaults to the stamp
  }
  std::vector<SimValue> values = (*row)->toValues();
  apply(schema, record, values, false, false);
  stamp(schema, values, stampMs);
  t.upsert(std::make_shared<const Row>(values));
  return SalesforceId::to18(id);
}

}  // namespace sfsync::sim
