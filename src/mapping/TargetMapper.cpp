#include "sfsync/mapping/TargetMapper.h"

#include <Poco/String.h>

#include <algorithm>
#include <cmath>
#include <variant>

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
    const salesforce::FieldDescribe* field = describe.findField(m.source);
    if (field != nullptr) {
      column.salesforceType = field->type;
      column.compound = isCompoundType(field->type);
      column.maxChars = maxTextLength(field->type, field->length);
    }
    if (m.type) {
      column.type = *m.type;
    } else if (field != nullptr) {
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
  return mapRow(source, {}, out, error);
}

bool TargetMapper::map(const salesforce::RecordPage& page, std::size_t row, std::vector<Value>& out,
                       MapError& error) const {
  std::vector<std::uint32_t> structured;
  if (!page.structuredCells.empty()) {
    const auto [first, last] =
        std::equal_range(page.structuredCells.begin(), page.structuredCells.end(),
                         std::make_pair(static_cast<std::uint32_t>(row), std::uint32_t{0}),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = first; it != last; ++it) structured.push_back(it->second);
  }
  return mapRow(page.rows[row], structured, out, error);
}

Result<Value> TargetMapper::mapValue(const Column& column, const Value& in, bool structured,
                                     const char*& reasonCode) const {
  reasonCode = reason::kTypeConversion;
  if (structured && !column.compound) {
    return Status::DataError(
        "a JSON " + std::string(valueToText(in).rfind('[', 0) == 0 ? "array" : "object") +
        " where the field (" +
        (column.salesforceType.empty() ? "a relationship path" : "type " + column.salesforceType) +
        ") holds a single value");
  }
  if (const auto* text = std::get_if<std::string>(&in);
      text != nullptr && column.maxChars > 0 &&
      static_cast<std::int64_t>(text->size()) > column.maxChars) {
    const std::int64_t chars = utf8Length(*text);
    if (chars > column.maxChars) {
      reasonCode = reason::kValueTooLong;
      return Status::DataError(std::to_string(chars) + " characters, more than the " +
                               std::to_string(column.maxChars) +
                               " accepted for this field (describe length + 10% + " +
                               std::to_string(kTextLengthSlack) + ")");
    }
  }
  return convertValue(in, column.type);
}

namespace {

// Whether mapValue would return `in` unchanged (and cannot fail): a null, or a value that already
// has the column's type (a text within the length limit, a finite real). Such values are copied
// without the conversion machinery, the common case of every page.
bool passesThrough(store::ColumnType type, std::int64_t maxChars, const Value& in) {
  switch (in.index()) {
    case 0:  // null
      return true;
    case 1:
      return type == store::ColumnType::kBoolean;
    case 2:
      return type == store::ColumnType::kInteger;
    case 3:
      return type == store::ColumnType::kReal && std::isfinite(std::get<double>(in));
    default:
      return type == store::ColumnType::kText &&
             (maxChars <= 0 ||
              static_cast<std::int64_t>(std::get<std::string>(in).size()) <= maxChars);
  }
}

}  // namespace

bool TargetMapper::mapRow(const std::vector<Value>& source,
                          const std::vector<std::uint32_t>& structured, std::vector<Value>& out,
                          MapError& error) const {
  constexpr std::size_t kMaxReportedValue = 200;
  // Resized, not cleared: a text value assigned over the previous row's text reuses its buffer
  // (the caller hands the same rows back page after page), so most rows allocate nothing.
  out.resize(columns_.size());
  bool ok = true;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    if (column.filledLater) {
      out[i] = Value{};
      continue;
    }
    const Value& in = column.sourceIndex >= 0 ? source[column.sourceIndex] : column.constant;
    const bool isStructured =
        column.sourceIndex >= 0 &&
        std::find(structured.begin(), structured.end(),
                  static_cast<std::uint32_t>(column.sourceIndex)) != structured.end();
    if (!isStructured && passesThrough(column.type, column.maxChars, in)) {
      out[i] = in;
      continue;
    }
    const char* reasonCode = nullptr;
    Result<Value> converted = mapValue(column, in, isStructured, reasonCode);
    if (converted.ok()) {
      out[i] = std::move(converted).value();
      continue;
    }
    out[i] = Value{};
    const std::string mappingName =
        (column.source.empty() ? "constant" : column.source) + " -> " + columnNames_[i];
    if (ok) {
      error = MapError{};
      error.reasonCode = reasonCode;
      error.mapping = mappingName;
      error.value = valueToText(in);
      if (error.value.size() > kMaxReportedValue) {  // e.g. a 10 MB value: its start is enough
        std::size_t cut = kMaxReportedValue;         // on a character boundary
        while (cut > 0 && (static_cast<unsigned char>(error.value[cut]) & 0xC0) == 0x80) --cut;
        error.value = error.value.substr(0, cut) + "...";
      }
    } else {
      error.message += "; ";
    }
    error.message += mappingName + ": " + converted.status().message();
    ok = false;
  }
  return ok;
}

}  // namespace sfsync::mapping
