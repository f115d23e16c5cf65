#include "snowflake/SnowflakeSource.h"

#include <Poco/String.h>

#include <algorithm>

#include "sfsync/snowflake/TypeTable.h"

namespace sfsync::snowflake {

source::SourcePtr makeSnowflakeSource(const SnowflakeSettings& settings, Clock& clock,
                                      SnowflakeSourceSpec spec) {
  return std::make_unique<SnowflakeSource>(settings, clock, std::move(spec));
}

SnowflakeSource::SnowflakeSource(const SnowflakeSettings& settings, Clock& clock,
                                 SnowflakeSourceSpec spec)
    : client_(settings, clock), spec_(std::move(spec)), cap_(kMaxOptions) {}

Result<salesforce::ObjectDescribe> SnowflakeSource::describe(const std::string& object) {
  Status valid = spec_.query.validate();
  if (!valid.ok()) return valid;
  salesforce::ObjectDescribe describe;
  describe.name = object;
  describe.label = object;
  Status s = client_.execute(spec_.query.describeStatement(),
                             [&](const ResultMeta& meta, int, const Poco::JSON::Array&) {
                               for (const ResultColumn& c : meta.columns) {
                                 salesforce::FieldDescribe f;
                                 f.name = c.name;
                                 f.label = c.name;
                                 f.type = describeType(c);
                                 f.scale = c.scale;
                                 describe.fields.push_back(f);
                               }
                               return Status::OK();
                             });
  if (!s.ok()) return s;
  const salesforce::FieldDescribe* id = describe.findField(spec_.identifierColumn);
  if (id == nullptr) {
    return Status::InvalidArgument("Snowflake source " + object + ": the identifier column " +
                                   spec_.identifierColumn + " is not in its result");
  }
  if (describe.findField("Id") == nullptr) {
    salesforce::FieldDescribe alias = *id;  // "Id" reads the identifier
    alias.name = "Id";
    alias.type = "id";
    alias.unique = true;
    describe.fields.insert(describe.fields.begin(), alias);
  }
  return describe;
}

Result<std::vector<std::size_t>> SnowflakeSource::columnIndexes(
    const ResultMeta& meta, const std::vector<std::string>& wanted) const {
  std::vector<std::size_t> indexes;
  for (const std::string& name : wanted) {
    const std::string& look =
        Poco::icompare(name, "Id") == 0 && Poco::icompare(spec_.identifierColumn, "Id") != 0
            ? spec_.identifierColumn
            : name;
    std::size_t found = meta.columns.size();
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
      if (Poco::icompare(meta.columns[i].name, look) == 0) found = i;
    }
    if (found == meta.columns.size()) {
      return Status::InvalidArgument("the Snowflake result has no column " + look);
    }
    indexes.push_back(found);
  }
  return indexes;
}

Status SnowflakeSource::decodePartition(const ResultMeta& meta,
                                        const std::vector<std::size_t>& indexes,
                                        const Poco::JSON::Array& rows, std::size_t first,
                                        std::size_t end, salesforce::RecordPage& page) {
  page.rows.reserve(end - first);
  for (std::size_t r = first; r < end; ++r) {
    Poco::JSON::Array::Ptr cells = rows.getArray(static_cast<unsigned>(r));
    if (!cells) return Status::DataError("Snowflake row " + std::to_string(r) + " is not an array");
    std::vector<Value> row;
    row.reserve(indexes.size());
    for (std::size_t index : indexes) {
      const ResultColumn& column = meta.columns[index];
      const Poco::Dynamic::Var cell =
          index < cells->size() ? cells->get(static_cast<unsigned>(index)) : Poco::Dynamic::Var();
      if (cell.isEmpty()) {
        row.emplace_back();
        continue;
      }
      const std::string text = cell.convert<std::string>();
      if (column.type == "array") {
        Result<std::vector<std::string>> items = arrayElements(text);
        if (!items.ok()) return Status::DataError("column " + column.name + ": not a JSON array");
        row.emplace_back(cap_.admit(column.name, *items));
        continue;
      }
      Result<Value> value = decodeCell(column, text);
      if (!value.ok()) return value.status();
      row.push_back(std::move(value).value());
    }
    page.rows.push_back(std::move(row));
  }
  return Status::OK();
}

Status SnowflakeSource::extract(const source::ExtractRequest& request,
                                const salesforce::PageHandler& onPage) {
  Status valid = spec_.query.validate();
  if (!valid.ok()) return valid;
  const std::string sql = request.soql.empty() ? spec_.query.statement() : request.soql;
  Status s = client_.execute(
      sql, [&](const ResultMeta& meta, int partition, const Poco::JSON::Array& rows) -> Status {
        std::vector<std::string> wanted = request.columns;
        if (wanted.empty()) {
          for (const ResultColumn& c : meta.columns) wanted.push_back(c.name);
        }
        Result<std::vector<std::size_t>> indexes = columnIndexes(meta, wanted);
        if (!indexes.ok()) return indexes.status();
        if (partition == 0) pageIndex_ = 0;
        const bool lastPartition = partition + 1 == static_cast<int>(meta.partitionRows.size());
        // Pages of at most kPageRows rows: a partition may hold 100,000 rows, and loading keeps
        // per-row state for a page.
        for (std::size_t first = 0; first == 0 || first < rows.size(); first += kPageRows) {
          const std::size_t end = std::min(rows.size(), first + kPageRows);
          salesforce::RecordPage page;
          page.columns = wanted;
          page.totalSize = meta.numRows;
          page.pageIndex = pageIndex_++;
          page.done = lastPartition && end == rows.size();
          Status decoded = decodePartition(meta, *indexes, rows, first, end, page);
          if (!decoded.ok()) return decoded;
          Status handed = onPage(page);
          if (!handed.ok() || end == rows.size()) return handed;
        }
        return Status::OK();
      });
  note_.clear();
  for (const std::string& w : cap_.warnings()) note_ += (note_.empty() ? "" : "; ") + w;
  return s;
}

}  // namespace sfsync::snowflake
