#include "sfsync/mapping/RecordMapper.h"

#include <Poco/String.h>

#include "sfsync/core/ReasonCodes.h"
#include "sfsync/mapping/TypeConversion.h"

namespace sfsync::mapping {

namespace {
int findColumn(const std::vector<std::string>& columns, const std::string& name) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (Poco::icompare(columns[i], name) == 0) return static_cast<int>(i);
  }
  return -1;
}
}  // namespace

Result<RecordMapper> RecordMapper::create(const config::JobConfig& job,
                                          const salesforce::ObjectDescribe& describe,
                                          const std::vector<std::string>& sourceColumns) {
  RecordMapper mapper;
  mapper.table_.name = job.targetObject;
  for (const auto& m : job.mappings) {
    Column column;
    column.source = m.source;
    if (m.constant) {
      column.constant = *m.constant;
    } else {
      column.sourceIndex = findColumn(sourceColumns, m.source);
      if (column.sourceIndex < 0) {
        return Status::Internal("mapping source '" + m.source + "' is not in the SELECT list");
      }
    }
    if (m.type) {
      column.type = *m.type;
    } else if (const auto* field = describe.findField(m.source)) {
      column.type = defaultColumnType(field->type);
    }
    mapper.table_.columns.push_back({m.target, column.type});
    mapper.targetColumns_.push_back(m.target);
    if (m.upsertKey) mapper.keyColumns_.push_back(m.target);
    mapper.columns_.push_back(std::move(column));
  }
  return mapper;
}

bool RecordMapper::map(const std::vector<Value>& source, std::vector<Value>& out,
                       MapError& error) const {
  out.resize(columns_.size());
  bool ok = true;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    const Value& in = column.sourceIndex >= 0 ? source[column.sourceIndex] : column.constant;
    Result<Value> converted = convertValue(in, column.type);
    if (converted.ok()) {
      out[i] = std::move(converted).value();
      continue;
    }
    const std::string mappingName =
        (column.source.empty() ? "constant" : column.source) + " -> " + targetColumns_[i];
    if (ok) {
      error.reasonCode = reason::kTypeConversion;
      error.mapping = mappingName;
      error.value = valueToText(in);
      error.message.clear();
    } else {
      error.message += "; ";
    }
    error.message += mappingName + ": " + converted.status().message();
    ok = false;
  }
  return ok;
}

}  // namespace sfsync::mapping
