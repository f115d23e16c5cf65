// RecordMapper: turns one extracted Salesforce row into one target row for a job's direct and constant
// mappings, converting each value to its target column type (TypeConversion). Built once per run from
// the job and the source object's describe; the column type of a mapping is its explicit "type", else
// the natural type of the Salesforce field (text for relationship paths and unknown fields).
//
// Thread-safety: immutable after create(); map() is const and may be called from several threads.
#pragma once

#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/store/TableSpec.h"

namespace sfsync::mapping {

// Why a row could not be mapped: the first failing mapping plus a message covering every failure.
struct MapError {
  std::string reasonCode;  // reason::kTypeConversion
  std::string mapping;     // "Source -> Target"
  std::string value;       // offending value as text
  std::string message;
};

class RecordMapper {
 public:
  // `sourceColumns` is the SELECT list, in order, that rows passed to map() follow.
  static Result<RecordMapper> create(const config::JobConfig& job,
                                     const salesforce::ObjectDescribe& describe,
                                     const std::vector<std::string>& sourceColumns);

  const store::TableSpec& table() const { return table_; }
  const std::vector<std::string>& targetColumns() const { return targetColumns_; }
  const std::vector<std::string>& keyColumns() const { return keyColumns_; }

  // Maps `source` into `out` (resized to targetColumns().size()). Returns false and fills `error` when
  // any value fails to convert.
  bool map(const std::vector<Value>& source, std::vector<Value>& out, MapError& error) const;

 private:
  struct Column {
    std::string source;  // empty for constants
    int sourceIndex = -1;
    Value constant;
    store::ColumnType type = store::ColumnType::kText;
  };

  store::TableSpec table_;
  std::vector<std::string> targetColumns_;
  std::vector<std::string> keyColumns_;
  std::vector<Column> columns_;
};

}  // namespace sfsync::mapping
