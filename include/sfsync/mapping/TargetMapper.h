// TargetMapper: turns one extracted Salesforce row into one row of ONE target object of a job:
// direct mappings (converted to the column's type, TypeConversion), constants, gsids of rows
// written for an earlier target of the same record ("fromTarget", filled by the runner) and derived
// mappings (lookups, resolved by LookupResolver). Built once per run from the target's config and
// the source object's describe; a column's type is its mapping's explicit "type", else the natural
// type of the Salesforce field (text for relationship paths, derived gsids and unknown fields).
// Values are checked against the source field first: a JSON object or array (a structured cell of
// the page) is accepted only for compound fields (address, location) - anywhere else, relationship
// paths included, it is a TYPE_CONVERSION error; a text value longer than the describe length plus
// slack (maxTextLength) is a VALUE_TOO_LONG error.
//
// Thread-safety: immutable after create(); map() is const.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Result.h"
#include "sfsync/mapping/LookupResolver.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/salesforce/RecordPage.h"
#include "sfsync/store/TableSpec.h"

namespace sfsync::mapping {

// Why a row could not be mapped: the first failing mapping plus a message covering every failure.
struct MapError {
  std::string reasonCode;
  std::string mapping;  // "Source -> Target"
  std::string value;    // offending value as text
  std::string message;
  std::vector<std::string> candidates;
};

class TargetMapper {
 public:
  // `sourceColumns` is the SELECT list, in order, that rows passed to map() follow.
  static Result<TargetMapper> create(const config::TargetConfig& target,
                                     const salesforce::ObjectDescribe& describe,
                                     const std::vector<std::string>& sourceColumns);

  const store::TableSpec& table() const { return table_; }
  const std::vector<std::string>& columns() const { return columnNames_; }
  const std::vector<std::string>& keyColumns() const { return keyColumns_; }
  // Output column index and earlier-target name of every fromTarget mapping.
  const std::vector<std::pair<std::size_t, std::string>>& fromTargets() const {
    return fromTargets_;
  }
  // The derived mappings and the output column each fills.
  const std::vector<LookupResolver>& lookups() const { return lookups_; }
  std::size_t lookupColumn(std::size_t lookup) const { return firstLookupColumn_ + lookup; }
  // Output column index of a column name (case-insensitive), or -1.
  int columnIndex(const std::string& name) const;

  // Fills the direct and constant columns of `out` (resized to columns().size(); fromTarget and
  // derived columns are left null). Returns false and fills `error` when a value does not convert.
  bool map(const std::vector<Value>& source, std::vector<Value>& out, MapError& error) const;
  // The same for row `row` of `page`, also rejecting structured cells (page.structuredCells) of
  // fields that hold a single value.
  bool map(const salesforce::RecordPage& page, std::size_t row, std::vector<Value>& out,
           MapError& error) const;

 private:
  struct Column {
    std::string source;  // empty for constants and gsid columns
    int sourceIndex = -1;
    Value constant;
    bool filledLater = false;  // fromTarget or derived
    store::ColumnType type = store::ColumnType::kText;
    bool compound = false;       // the source field may hold a JSON object (address, location)
    std::int64_t maxChars = 0;   // 0: no length limit
    std::string salesforceType;  // of the source field, empty when unknown
  };

  // `structured`: source column indexes of this row that held a JSON object or array.
  bool mapRow(const std::vector<Value>& source, const std::vector<std::uint32_t>& structured,
              std::vector<Value>& out, MapError& error) const;
  // The value of one column, or the failure and its reason code.
  Result<Value> mapValue(const Column& column, const Value& in, bool structured,
                         const char*& reasonCode) const;

  store::TableSpec table_;
  std::vector<std::string> columnNames_;
  std::vector<std::string> keyColumns_;
  std::vector<Column> columns_;
  std::vector<std::pair<std::size_t, std::string>> fromTargets_;
  std::vector<LookupResolver> lookups_;
  std::size_t firstLookupColumn_ = 0;
};

}  // namespace sfsync::mapping
