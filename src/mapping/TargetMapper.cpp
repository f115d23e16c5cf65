#include "sfsync/mapping/TargetMapper.h"

#include <Poco/String.h>

#include "sfsync/core/Names.h"

#include "sfsync/core/ReasonCodes.h"
#include "sfsync/mapping/TypeConversion.h"

namespace sfsync::mapping {

Result<TargetMapper> TargetMapper::create(const config::TargetConfig& target,
                                          const salesforce::ObjectDescribe& describe,
                                          const std::vector<std::string>& sourceColumns) {
  TargetMapper mapper;
  mapper.table_.name = target.object;
  for (const auto& m : target.mappings) {
    Column column;
    column.source = m.source;
    if (!m.fromTarget.empty()) {
      column.filledLater = true;
      mapper.fromTargets_.emplace_back(mapper.columns_.size(), m.fromTarget);
    } else if (m.constant) {
      column.constant = *m.constant;
    } else {
      column.sourceIndex = indexOfIgnoreCase(sourceColumns, m.source);
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
    mapper.columnNames_.push_back(m.target);
    if (m.upsertKey) mapper.keyColumns_.push_back(m.target);
    mapper.columns_.push_back(std::move(column));
  }
  mapper.firstLookupColumn_ = mapper.columns_.size();
  for (const auto& d : target.derived) {
    Result<LookupResolver> resolver = LookupResolver::create(d, target.object, sourceColumns);
    if (!resolver.ok()) return resolver.status();
    mapper.lookups_.push_back(std::move(resolver).value());
    Column column;
    column.filledLater = true;
    mapper.table_.columns.push_back({d.target, store::ColumnType::kText});
    mapper.columnNames_.push_back(d.target);
    if (d.upsertKey) mapper.keyColumns_.push_back(d.target);
    mapper.columns_.push_back(std::move(column));
  }
  return mapper;
}

int TargetMapper::columnIndex(const std::string& name) const {
  return indexOfIgnoreCase(columnNames_, name);
}

bool TargetMapper::map(const std::vector<Value>& source, std::vector<Value>& out,
                       MapError& error) const {
  out.assign(columns_.size(), Value{});
  bool ok = true;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    if (column.filledLater) continue;
    const Value& in = column.sourceIndex >= 0 ? source[column.sourceIndex] : column.constant;
    Result<Value> converted = convertValue(in, column.type);
    if (converted.ok()) {
      out[i] = std::move(converted).value();
      continue;
    }
    const std::string mappingName =
        (column.source.empty() ? "constant" : column.source) + " -> " + columnNames_[i];
    if (ok) {
      error = MapError{};
      error.reasonCode = reason::kTypeConversion;
      error.mapping = mappingName;
      error.value = valueToText(in);
    } else {
      error.message += "; ";
    }
    error.message += mappingName + ": " + converted.status().message();
    ok = false;
  }
  return ok;
}

}  // namespace sfsync::mapping
