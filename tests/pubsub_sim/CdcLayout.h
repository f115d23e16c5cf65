// CdcLayout: the Change Data Capture event shape of one simulated sObject, as Salesforce builds it:
// the topic name (/data/<Object>ChangeEvent, custom objects /data/<Name>__ChangeEvent), the Avro
// schema JSON (ChangeEventHeader first, then every field as a nullable union; Contact/User-like
// names grouped into the compound "Name" record and <Prefix>Street/City/... into "<Prefix>Address"
// records, as Salesforce sends them) and the field order the bitmaps (changedFields, nulledFields)
// index. Built from the object's schema alone, so the same object always gets the same schema id.
//
// Thread-safety: immutable after build(); const methods are safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "salesforce_sim/ObjectSchema.h"

namespace sfsync::sim {

class CdcLayout {
 public:
  // A top-level field of the event (position = its index in the schema; 0 is the header).
  struct Field {
    std::string name;
    int simField = -1;                  // index in the ObjectSchema, -1 for compound fields
    std::vector<std::string> subNames;  // compound: the Avro sub-field names
    std::vector<int> subFields;         // compound: their ObjectSchema indexes
  };

  static CdcLayout build(const ObjectSchema& schema);

  const std::string& object() const { return object_; }
  const std::string& topic() const { return topic_; }
  const std::string& schemaJson() const { return schemaJson_; }
  const std::string& schemaId() const { return schemaId_; }
  // Index 0 is ChangeEventHeader (simField -1, no sub-fields).
  const std::vector<Field>& fields() const { return fields_; }

  // The topic of an object ("/data/AccountChangeEvent", "/data/Tier__ChangeEvent").
  static std::string topicFor(const std::string& object);

 private:
  void groupCompounds(const ObjectSchema& schema);
  void writeSchemaJson(const ObjectSchema& schema);

  std::string object_;
  std::string topic_;
  std::string schemaJson_;
  std::string schemaId_;
  std::vector<Field> fields_;
};

}  // namespace sfsync::sim
