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
  ResultHandler handler;
  handler.onMeta = [&](const ResultMeta& meta) {
    for (const ResultColumn& c : meta.columns) {
      salesforce::FieldDescribe f;
      f.name = c.name;
      f.label = c.name;
      f.type = describeType(c);
      f.scale = c.scale;
      describe.fields.push_back(f);
    }
    return Status::OK();
  };
  Status s = client_.execute({spec_.query.describeStatement(), {}}, handler);
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

Status SnowflakeSource::trackCursor(const ResultMeta& meta, int incremental,
                                    const std::vector<Value>& cells) {
  if (incremental < 0) return Status::OK();
  const Value& cell = cells[static_cast<std::size_t>(incremental)];
  if (isNull(cell)) return Status::OK();  // never above any cursor
  const std::string text =
      std::holds_alternative<std::string>(cell) ? std::get<std::string>(cell) : valueToText(cell);
  Result<Cursor> c = Cursor::fromCell(meta.columns[static_cast<std::size_t>(incremental)], text);
  if (!c.ok()) return c.status();
  if (!high_ || c->above(*high_)) high_ = std::move(c).value();
  return Status::OK();
}

void SnowflakeSource::seedOptions(const ResultMeta& meta) {
  if (seeded_) return;
  seeded_ = true;
  for (const auto& [column, options] : spec_.existingOptions) {
    for (const ResultColumn& c : meta.columns) {
      if (Poco::icompare(c.name, column) == 0) cap_.seed(c.name, options);
    }
  }
}

Status SnowflakeSource::run(const BoundStatement& statement, const source::ExtractRequest& request,
                            bool last, const salesforce::PageHandler& onPage) {
  salesforce::RecordPage page;
  std::vector<std::size_t> indexes;
  int incremental = -1;
  std::vector<Value> row;
  const auto flush = [&](bool done) {
    page.done = done;
    page.pageIndex = pageIndex_++;
    page.sourceCursor.clear();
    if (high_) page.sourceCursor = Cursor{high_->value, true}.text();
    Status handed = onPage(page);
    page.rows.clear();
    return handed;
  };
  ResultHandler handler;
  handler.onMeta = [&](const ResultMeta& meta) -> Status {
    std::vector<std::string> wanted = request.columns;
    if (wanted.empty()) {
      for (const ResultColumn& c : meta.columns) wanted.push_back(c.name);
    }
    Result<std::vector<std::size_t>> found = columnIndexes(meta, wanted);
    if (!found.ok()) return found.status();
    indexes = std::move(found).value();
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
      if (!spec_.query.incrementalColumn.empty() &&
          Poco::icompare(meta.columns[i].name, spec_.query.incrementalColumn) == 0) {
        incremental = static_cast<int>(i);
      }
    }
    seedOptions(meta);
    page.columns = wanted;
    page.totalSize = meta.numRows;
    page.rows.reserve(kPageRows);
    return Status::OK();
  };
  handler.onRow = [&](const ResultMeta& meta, int, std::vector<Value>& cells) -> Status {
    cells.resize(meta.columns.size());  // a short row: the missing cells are null
    Status s = decodeRow(meta, indexes, cells, row);
    if (s.ok()) s = trackCursor(meta, incremental, cells);
    if (!s.ok()) return s;
    page.rows.push_back(std::move(row));
    row = {};
    // Handed on when full (not when the next row starts), so the page's cursor is exactly the
    // highest value of the rows handed on.
    return page.rows.size() == kPageRows ? flush(false) : Status::OK();
  };
  Status s = client_.execute(statement, handler);
  if (!s.ok()) return s;
  if (!page.rows.empty() || last) return flush(last);
  return Status::OK();
}

Status SnowflakeSource::extract(const source::ExtractRequest& request,
                                const salesforce::PageHandler& onPage) {
  Status valid = spec_.query.validate();
  if (!valid.ok()) return valid;
  pageIndex_ = 0;
  high_.reset();
  Status s;
  if (!spec_.onlyIdentifiers.empty()) {  // a re-run of failed records: batches of identifiers
    const auto& ids = spec_.onlyIdentifiers;
    for (std::size_t from = 0; s.ok() && from < ids.size(); from += kRerunBatch) {
      const std::vector<std::string> batch(
          ids.begin() + static_cast<std::ptrdiff_t>(from),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + kRerunBatch)));
      s = run(spec_.query.identifiersStatement(spec_.identifierColumn, batch), request,
              from + kRerunBatch >= ids.size(), onPage);
    }
  } else {
    s = run(spec_.query.statement(spec_.since), request, true, onPage);
  }
  note_.clear();
  for (const std::string& w : cap_.warnings()) note_ += (note_.empty() ? "" : "; ") + w;
  return s;
}

Status SnowflakeSource::listIds(const std::string& object, const std::string& filter,
                                const source::IdSink& sink) {
  SnowflakeQuery ids = spec_.query;
  ids.incrementalColumn.clear();  // every row of the statement, not only the newer ones
  ids.limit = 0;                  // every row, also when this source was made for a dry run
  if (!ids.table.empty()) ids.fields = {spec_.identifierColumn};
  if (!filter.empty()) {
    ids.filter = ids.filter.empty() ? filter : "(" + ids.filter + ") AND (" + filter + ")";
  }
  Status valid = ids.validate();
  if (!valid.ok()) return valid;
  source::ExtractRequest request;
  request.object = object;
  request.columns = {"Id"};  // the identifier column
  // The same streamed statement as extract(), without a cursor or a re-run's identifiers; the
  // cursor run() tracks is the extract's, so it is kept as it was.
  const std::optional<Cursor> extracted = high_;
  pageIndex_ = 0;
  Status s = run(ids.statement(), request, true, [&](salesforce::RecordPage& page) {
    std::vector<std::string> batch;
    batch.reserve(page.rows.size());
    for (const auto& row : page.rows) {
      if (!row.empty() && !isNull(row[0])) batch.push_back(valueToText(row[0]));
    }
    return batch.empty() ? Status::OK() : sink(batch);
  });
  high_ = extracted;
  return s;
}

}  // namespace sfsync::snowflake
