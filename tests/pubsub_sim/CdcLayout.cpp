#include "pubsub_sim/CdcLayout.h"

#include <functional>
#include <set>

#include "salesforce_sim/JsonText.h"

namespace sfsync::sim {

namespace {

const char* const kNameParts[] = {"Salutation", "FirstName", "LastName", "MiddleName", "Suffix"};
const char* const kAddressParts[] = {"Street",    "City",       "State",     "PostalCode",
                                     "Country",   "Latitude",   "Longitude", "GeocodeAccuracy",
                                     "StateCode", "CountryCode"};

const char* avroType(FieldKind kind) {
  switch (kind) {
    case FieldKind::Boolean:
      return "\"boolean\"";
    case FieldKind::Int:
    case FieldKind::Date:  // days since the epoch
      return "\"int\"";
    case FieldKind::Double:
      return "\"double\"";
    case FieldKind::DateTime:  // epoch milliseconds
      return "\"long\"";
    default:
      return "\"string\"";
  }
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const char kHeaderSchema[] =
    R"({"name":"ChangeEventHeader","type":{"type":"record","name":"ChangeEventHeader",)"
    R"("namespace":"com.sforce.eventbus","fields":[)"
    R"({"name":"entityName","type":"string"},)"
    R"({"name":"recordIds","type":{"type":"array","items":"string"}},)"
    R"({"name":"changeType","type":{"type":"enum","name":"ChangeType","namespace":)"
    R"("com.sforce.eventbus","symbols":["CREATE","UPDATE","DELETE","UNDELETE","GAP_CREATE",)"
    R"("GAP_UPDATE","GAP_DELETE","GAP_UNDELETE","GAP_OVERFLOW","SNAPSHOT"]}},)"
    R"({"name":"changeOrigin","type":"string"},)"
    R"({"name":"transactionKey","type":"string"},)"
    R"({"name":"sequenceNumber","type":"int"},)"
    R"({"name":"commitTimestamp","type":"long"},)"
    R"({"name":"commitNumber","type":"long"},)"
    R"({"name":"commitUser","type":"string"},)"
    R"({"name":"nulledFields","type":{"type":"array","items":"string"}},)"
    R"({"name":"diffFields","type":{"type":"array","items":"string"}},)"
    R"({"name":"changedFields","type":{"type":"array","items":"string"}}]}})";

}  // namespace

std::string CdcLayout::topicFor(const std::string& object) {
  if (endsWith(object, "__c"))
    return "/data/" + object.substr(0, object.size() - 1) + "ChangeEvent";
  return "/data/" + object + "ChangeEvent";
}

CdcLayout CdcLayout::build(const ObjectSchema& schema) {
  CdcLayout layout;
  layout.object_ = schema.name();
  layout.topic_ = topicFor(schema.name());
  layout.fields_.push_back(Field{"ChangeEventHeader", -1, {}, {}});
  layout.groupCompounds(schema);
  layout.writeSchemaJson(schema);
  layout.schemaId_ = std::to_string(std::hash<std::string>{}(layout.schemaJson_));
  return layout;
}

// Fields in describe order; a compound takes the position of its first part, its parts leave the
// flat list (and a flat "Name" of a person-like object gives way to the compound Name).
void CdcLayout::groupCompounds(const ObjectSchema& schema) {
  std::set<int> grouped;
  std::vector<Field> compounds;
  std::vector<int> compoundAt;  // field index where each compound is placed
  const bool personName = schema.fieldIndex("FirstName") >= 0 && schema.fieldIndex("LastName") >= 0;
  if (personName) {
    Field name{"Name", -1, {}, {}};
    for (const char* part : kNameParts) {
      const int i = schema.fieldIndex(part);
      if (i < 0) continue;
      name.subNames.push_back(part);
      name.subFields.push_back(i);
      grouped.insert(i);
    }
    const int flat = schema.fieldIndex("Name");
    if (flat >= 0) grouped.insert(flat);
    compoundAt.push_back(flat >= 0 ? flat : name.subFields.front());
    compounds.push_back(std::move(name));
  }
  for (std::size_t i = 0; i < schema.fields().size(); ++i) {
    const std::string& n = schema.field(i).name;
    if (!endsWith(n, "City")) continue;
    const std::string prefix = n.substr(0, n.size() - 4);
    if (schema.fieldIndex(prefix + "Street") < 0 && schema.fieldIndex(prefix + "Country") < 0)
      continue;
    Field address{prefix + "Address", -1, {}, {}};
    for (const char* part : kAddressParts) {
      const int p = schema.fieldIndex(prefix + part);
      if (p < 0 || grouped.count(p)) continue;
      address.subNames.push_back(part);
      address.subFields.push_back(p);
      grouped.insert(p);
    }
    compoundAt.push_back(address.subFields.front());
    compounds.push_back(std::move(address));
  }
  for (std::size_t i = 0; i < schema.fields().size(); ++i) {
    for (std::size_t c = 0; c < compounds.size(); ++c) {
      if (compoundAt[c] == static_cast<int>(i)) fields_.push_back(compounds[c]);
    }
    if (!grouped.count(static_cast<int>(i))) {
      fields_.push_back(Field{schema.field(i).name, static_cast<int>(i), {}, {}});
    }
  }
}

void CdcLayout::writeSchemaJson(const ObjectSchema& schema) {
  std::string out = R"({"type":"record","name":")";
  std::string recordName = topic_.substr(6);  // after "/data/"
  out += recordName + R"(","namespace":"com.sforce.eventbus","fields":[)";
  out += kHeaderSchema;
  for (std::size_t f = 1; f < fields_.size(); ++f) {
    const Field& field = fields_[f];
    out += R"(,{"name":)";
    JsonText::appendString(out, field.name);
    out += R"(,"type":["null",)";
    if (field.simField >= 0) {
      out += avroType(schema.field(static_cast<std::size_t>(field.simField)).kind);
    } else {
      // The record type is named after the field: two addresses may have different parts.
      out += R"({"type":"record","name":")" + field.name +
             R"(","namespace":"com.sforce.eventbus.compound","fields":[)";
      for (std::size_t s = 0; s < field.subNames.size(); ++s) {
        if (s) out += ',';
        out += R"({"name":")" + field.subNames[s] + R"(","type":["null",)" +
               avroType(schema.field(static_cast<std::size_t>(field.subFields[s])).kind) +
               R"(],"default":null})";
      }
      out += "]}";
    }
    out += R"(],"default":null})";
  }
  out += "]}";
  schemaJson_ = std::move(out);
}

}  // namespace sfsync::sim
