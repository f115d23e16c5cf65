// OrgData: the whole simulated org: one RecordTable per sObject, loaded from an org directory
// (one JSON file per object: {"describe": {...}, "records": [...]}, see README.md), plus the record
// mutations the test API offers (upsert from JSON, set one field, soft delete, clear). Values
// coming in as JSON are converted by field type; Ids are normalised to 18 characters.
//
// Thread-safety: none of its own. SimService holds a reader/writer lock around every use; rows
// handed out are immutable and stay valid after the lock is released.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include "salesforce_sim/RecordTable.h"

namespace sfsync::sim {

class OrgData {
 public:
  explicit OrgData(bool multiCurrency = true);

  bool multiCurrency() const { return multiCurrency_; }

  // Loads every *.json file of `dir` (sorted by name). Without multi-currency the CurrencyType
  // object and every CurrencyIsoCode field are skipped. Throws std::runtime_error naming the file.
  void loadDirectory(const std::string& dir, bool loadRecords);
  // Adds (or replaces) an object from a describe-shaped JSON object; returns its table.
  RecordTable& addObject(const Poco::JSON::Object& describe);

  RecordTable* table(std::string_view objectName);
  const RecordTable* table(std::string_view objectName) const;
  // All tables, sorted by object name.
  std::vector<const RecordTable*> tables() const;
  // The table a reference field points to (its first referenceTo), or nullptr.
  const RecordTable* referenceTarget(const SimField& field) const;

  // Inserts or replaces a record given as a JSON object text; a missing Id gets a new one.
  // Returns the record's 18-character Id. Throws std::invalid_argument on unknown objects/fields or
  // values of the wrong type.
  std::string upsertJson(std::string_view objectName, const std::string& jsonRecord,
                         std::int64_t nowMs);
  std::string upsertObject(RecordTable& table, const Poco::JSON::Object& record,
                           std::int64_t nowMs);
  // Sets one field to a JSON value text; bumps LastModifiedDate/SystemModstamp unless the field is
  // one of them or calculated.
  void setFieldJson(std::string_view objectName, std::string_view id, std::string_view field,
                    const std::string& jsonValue, std::int64_t nowMs);
  // Soft delete (IsDeleted = true, stamps bumped) when the object has IsDeleted, else removal.
  void deleteRecord(std::string_view objectName, std::string_view id, std::int64_t nowMs);
  void clearObject(std::string_view objectName);
  // A fresh Id with the object's key prefix (serials per object, never reused).
  std::string newId(const RecordTable& table, std::string_view pod = "Sm");

  // Converts one JSON value to the stored form of `field`. Throws std::invalid_argument.
  static SimValue valueFromJson(const SimField& field, const Poco::Dynamic::Var& value);

 private:
  RecordTable& requireTable(std::string_view objectName);
  void fillDefaults(const ObjectSchema& schema, std::vector<SimValue>& values,
                    std::int64_t nowMs) const;

  bool multiCurrency_;
  std::map<std::string, std::unique_ptr<RecordTable>> tables_;  // key: lower-case name
  std::vector<std::unique_ptr<RecordTable>> retired_;           // replaced by addObject
  std::unordered_map<std::string, std::uint64_t> serials_;      // key: key prefix + pod
};

}  // namespace sfsync::sim
