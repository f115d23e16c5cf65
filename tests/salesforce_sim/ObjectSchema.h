// ObjectSchema: the describe of one simulated sObject (its fields with Salesforce's describe
// properties), loaded from the "describe" part of an org file and rendered back as Salesforce's
// describe JSON. Field and relationship lookups are case-insensitive, as in SOQL.
//
// Thread-safety: immutable after construction; const methods are safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <Poco/JSON/Object.h>

#include "salesforce_sim/SimValue.h"

namespace sfsync::sim {

// How the simulator stores, compares and renders a field's values.
enum class FieldKind { Id, String, Reference, Boolean, Int, Double, Date, DateTime, Time };

struct SimField {
  std::string name;
  std::string label;
  std::string
      type;  // Salesforce describe type: id, string, picklist, reference, int, currency, ...
  FieldKind kind = FieldKind::String;
  int length = 0;
  int precision = 0;
  int scale = 0;
  int digits = 0;
  bool nillable = true;
  bool externalId = false;
  bool unique = false;
  bool createable = true;
  bool updateable = true;
  bool calculated = false;
  bool custom = false;
  std::vector<std::string> referenceTo;
  std::string relationshipName;  // empty: none (rendered as null)
  std::vector<std::string> picklistValues;

  // Long text areas cannot be filtered or sorted in SOQL; multi-select picklists cannot be sorted.
  bool filterable() const { return !(type == "textarea" && length > 255); }
  bool sortable() const { return filterable() && type != "multipicklist"; }
};

class ObjectSchema {
 public:
  ObjectSchema() = default;
  // Builds a schema from a describe-shaped JSON object ({"name", "label", "keyPrefix", "fields":
  // [...]}). Missing field properties get Salesforce-like defaults (see README). Fields named in
  // `dropFields` are left out. Throws std::invalid_argument on a malformed describe.
  static ObjectSchema fromJson(const Poco::JSON::Object& describe,
                               const std::vector<std::string>& dropFields = {});

  const std::string& name() const { return name_; }
  const std::string& label() const { return label_; }
  const std::string& labelPlural() const { return labelPlural_; }
  const std::string& keyPrefix() const { return keyPrefix_; }
  bool custom() const { return custom_; }
  bool queryable() const { return queryable_; }
  const std::vector<SimField>& fields() const { return fields_; }
  const SimField& field(std::size_t index) const { return fields_[index]; }

  // Index of the field with this API name (case-insensitive), or -1.
  int fieldIndex(std::string_view apiName) const;
  // Index of the reference field whose relationshipName matches (case-insensitive), or -1.
  int relationshipIndex(std::string_view relationshipName) const;
  int idField() const { return idField_; }
  int isDeletedField() const { return fieldIndex("IsDeleted"); }

  // Salesforce's describe JSON for GET .../sobjects/{name}/describe (urls use `version`, "v62.0").
  std::string describeJson(std::string_view version) const;
  // One entry of describeGlobal's "sobjects" array.
  void appendGlobalEntry(std::string& out, std::string_view version) const;

  static FieldKind kindForType(std::string_view describeType);
  static const char* soapType(FieldKind kind);

 private:
  void appendUrls(std::string& out, std::string_view version) const;

  std::string name_;
  std::string label_;
  std::string labelPlural_;
  std::string keyPrefix_;
  bool custom_ = false;
  bool queryable_ = true;
  std::vector<SimField> fields_;
  std::unordered_map<std::string, int> byName_;          // lower-case name -> index
  std::unordered_map<std::string, int> byRelationship_;  // lower-case relationship -> index
  int idField_ = -1;
};

// ASCII lower-casing used for every case-insensitive name lookup in the simulator.
std::string lowerAscii(std::string_view text);

}  // namespace sfsync::sim
