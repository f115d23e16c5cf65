#include "snowflake/SnowflakeSource.h"

#include <Poco/String.h>

#include <algorithm>

#include "salesforce/JsonReader.h"
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
                             [&](const ResultMeta& meta, int, std::string_view) {
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

Status SnowflakeSource::decodeRow(const ResultMeta& meta, const std::vector<std::size_t>& indexes,
                                  const std::vector<Value>& cells, std::vector<Value>& row) {
  row.clear();
  row.reserve(indexes.size());
  for (std::size_t index : indexes) {
    const ResultColumn& column = meta.columns[index];
    const Value& cell = cells[index];
    if (isNull(cell)) {
      row.emplace_back();
      continue;
    }
    // Copied, not moved: a column may be requested twice ("Id" is the identifier column).
    const std::string text = std::holds_alternative<std::string>(cell)
                                 ? std::get<std::string>(cell)
                                 : valueToText(cell);  // jsonv2 sends text; tolerate numbers
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
  return Status::OK();
}

Status SnowflakeSource::decodePartition(const ResultMeta& meta,
                                        const std::vector<std::size_t>& indexes,
                                        std::string_view data, bool lastPartition,
                                        salesforce::RecordPage& page,
                                        const salesforce::PageHandler& onPage) {
  salesforce::JsonReader in(data);
  const auto bad = [&in]() {
    return Status::DataError("malformed Snowflake result rows: " + in.error());
  };
  const auto flush = [&](bool done) {
    page.done = done;
    page.pageIndex = pageIndex_++;
    Status handed = onPage(page);
    page.rows.clear();
    return handed;
  };
  std::vector<Value> cells(meta.columns.size());
  std::vector<Value> row;
  if (!in.expect('[')) return bad();
  if (!in.tryConsume(']')) {
    do {
      if (!in.expect('[')) return bad();
      std::fill(cells.begin(), cells.end(), Value());
      std::size_t c = 0;
      if (!in.tryConsume(']')) {
        do {
          Value v;
          if (!in.readScalar(v)) return bad();
          if (c < cells.size()) cells[c] = std::move(v);
          ++c;
        } while (in.tryConsume(','));
        if (!in.expect(']')) return bad();
      }
      Status decoded = decodeRow(meta, indexes, cells, row);
      if (!decoded.ok()) return decoded;
      if (page.rows.size() == kPageRows) {
        Status handed = flush(false);
        if (!handed.ok()) return handed;
      }
      page.rows.push_back(std::move(row));
      row = {};
    } while (in.tryConsume(','));
    if (!in.expect(']')) return bad();
  }
  if (!page.rows.empty() || lastPartition) return flush(lastPartition);
  return Status::OK();
}

Status SnowflakeSource::run(const std::string& sql, const std::vector<std::string>& columns,
                            const salesforce::PageHandler& onPage) {
  pageIndex_ = 0;
  return client_.execute(
      sql, [&](const ResultMeta& meta, int partition, std::string_view data) -> Status {
        std::vector<std::string> wanted = columns;
        if (wanted.empty()) {
          for (const ResultColumn& c : meta.columns) wanted.push_back(c.name);
        }
        Result<std::vector<std::size_t>> indexes = columnIndexes(meta, wanted);
        if (!indexes.ok()) return indexes.status();
        // Pages of at most kPageRows rows: a partition may hold 100,000 rows, and loading keeps
        // per-row state for a page.
        salesforce::RecordPage page;
        page.columns = wanted;
        page.totalSize = meta.numRows;
        page.rows.reserve(kPageRows);
        const bool lastPartition = partition + 1 == static_cast<int>(meta.partitionRows.size());
        return decodePartition(meta, *indexes, data, lastPartition, page, onPage);
      });
}

Status SnowflakeSource::extract(const source::ExtractRequest& request,
                                const salesforce::PageHandler& onPage) {
  Status valid = spec_.query.validate();
  if (!valid.ok()) return valid;
  const std::string sql = request.soql.empty() ? spec_.query.statement() : request.soql;
  Status s = run(sql, request.columns, onPage);
  note_.clear();
  for (const std::string& w : cap_.warnings()) note_ += (note_.empty() ? "" : "; ") + w;
  return s;
}

Status SnowflakeSource::listIds(const std::string&, const std::string& filter,
                                const source::IdSink& sink) {
  SnowflakeQuery ids = spec_.query;
  ids.incrementalColumn.clear();  // every row of the statement, not only the newer ones
  if (!ids.table.empty()) ids.fields = {spec_.identifierColumn};
  if (!filter.empty()) {
    ids.filter = ids.filter.empty() ? filter : "(" + ids.filter + ") AND (" + filter + ")";
  }
  Status valid = ids.validate();
  if (!valid.ok()) return valid;
  return run(ids.statement(), {"Id"}, [&](salesforce::RecordPage& page) {
    std::vector<std::string> batch;
    batch.reserve(page.rows.size());
    for (const auto& row : page.rows) {
      if (!row.empty() && !isNull(row[0])) batch.push_back(valueToText(row[0]));
    }
    return sink(batch);
  });
}

}  // namespace sfsync::snowflake
