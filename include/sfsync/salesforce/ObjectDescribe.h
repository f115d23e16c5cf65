// ObjectDescribe: the parts of Salesforce's sObject describe result sfsync uses (field names,
// types, lengths, nillable, externalId, ...). Lookups by field name are case-insensitive, as in
// SOQL.
//
// Thread-safety: plain value type; const methods are safe to share.
#pragma once

#include <string>
#include <vector>

namespace sfsync::salesforce {

struct FieldDescribe {
  std::string name;  // API name, e.g. "NumberOfEmployees"
  std::string label;
  std::string type;  // Salesforce soapType-level type: id, string, int, double, boolean, date, ...
  int length = 0;
  int precision = 0;
  int scale = 0;
  bool nillable = true;
  bool externalId = false;
  bool unique = false;
  bool createable = false;
  bool updateable = false;
  bool calculated = false;
  std::vector<std::string> referenceTo;
  std::string relationshipName;  // e.g. "Account" for AccountId
};

struct ObjectDescribe {
  std::string name;
  std::string label;
  bool queryable = true;
  std::vector<FieldDescribe> fields;

  // The field with this API name (case-insensitive), or nullptr.
  const FieldDescribe* findField(const std::string& apiName) const;
};

}  // namespace sfsync::salesforce
