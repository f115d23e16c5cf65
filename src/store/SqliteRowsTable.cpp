#include "store/SqliteRowsTable.h"

#include "store/SqlNames.h"

#include <variant>

namespace sfsync::store {

namespace {

constexpr int kIndexColumn = 0;
constexpr int kGsidColumn = 1;
constexpr int kFirstValueColumn = 2;
constexpr int kViewColumn = kFirstValueColumn + SqliteRowsTable::kMaxColumns;  // HIDDEN

struct RowsCursor {
  sqlite3_vtab_cursor base;  // first: SQLite casts between the two
  const RowsView* view;
  std::size_t at;
};

std::size_t pickedCount(const RowsView* view) {
  return view == nullptr || view->pick == nullptr || view->rows == nullptr ? 0 : view->pick->size();
}

int connect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** out, char**) {
  std::string schema = "CREATE TABLE x(i, g";
  for (int c = 0; c < SqliteRowsTable::kMaxColumns; ++c) schema += ", c" + std::to_string(c);
  schema += ", view HIDDEN)";
  const int rc = sqlite3_declare_vtab(db, schema.c_str());
  if (rc != SQLITE_OK) return rc;
  auto* table = static_cast<sqlite3_vtab*>(sqlite3_malloc(sizeof(sqlite3_vtab)));
  if (table == nullptr) return SQLITE_NOMEM;
  *table = sqlite3_vtab{};
  *out = table;
  return SQLITE_OK;
}

int disconnect(sqlite3_vtab* table) {
  sqlite3_free(table);
  return SQLITE_OK;
}

// Only a plan that passes the view (an equality on the hidden column) can list rows; without it
// the function lists nothing.
int bestIndex(sqlite3_vtab*, sqlite3_index_info* info) {
  bool unusable = false;
  for (int c = 0; c < info->nConstraint; ++c) {
    const auto& constraint = info->aConstraint[c];
    if (constraint.iColumn != kViewColumn || constraint.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!constraint.usable) {
      unusable = true;
      continue;
    }
    info->aConstraintUsage[c].argvIndex = 1;
    info->aConstraintUsage[c].omit = 1;
    info->idxNum = 1;
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
  }
  if (unusable) return SQLITE_CONSTRAINT;  // this plan cannot work: SQLite tries another
  info->idxNum = 0;
  info->estimatedCost = 1e12;
  info->estimatedRows = 1;
  return SQLITE_OK;
}

int open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  auto* cursor = static_cast<RowsCursor*>(sqlite3_malloc(sizeof(RowsCursor)));
  if (cursor == nullptr) return SQLITE_NOMEM;
  cursor->base = sqlite3_vtab_cursor{};
  cursor->view = nullptr;
  cursor->at = 0;
  *out = &cursor->base;
  return SQLITE_OK;
}

int close(sqlite3_vtab_cursor* base) {
  sqlite3_free(base);
  return SQLITE_OK;
}

int filter(sqlite3_vtab_cursor* base, int idxNum, const char*, int argc, sqlite3_value** argv) {
  auto* cursor = reinterpret_cast<RowsCursor*>(base);
  cursor->at = 0;
  cursor->view =
      idxNum == 1 && argc == 1
          ? static_cast<const RowsView*>(sqlite3_value_pointer(argv[0], SqliteRowsTable::kName))
          : nullptr;
  return SQLITE_OK;
}

int next(sqlite3_vtab_cursor* base) {
  ++reinterpret_cast<RowsCursor*>(base)->at;
  return SQLITE_OK;
}

int eof(sqlite3_vtab_cursor* base) {
  const auto* cursor = reinterpret_cast<RowsCursor*>(base);
  return cursor->at >= pickedCount(cursor->view) ? 1 : 0;
}

void resultValue(sqlite3_context* context, const Value& value) {
  struct Result {
    sqlite3_context* context;
    void operator()(std::monostate) const { sqlite3_result_null(context); }
    void operator()(bool b) const { sqlite3_result_int64(context, b ? 1 : 0); }
    void operator()(std::int64_t i) const { sqlite3_result_int64(context, i); }
    void operator()(double d) const { sqlite3_result_double(context, d); }
    void operator()(const std::string& s) const {
      sqlite3_result_text64(context, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
  };
  std::visit(Result{context}, value);
}

int column(sqlite3_vtab_cursor* base, sqlite3_context* context, int n) {
  const auto* cursor = reinterpret_cast<RowsCursor*>(base);
  const RowsView& view = *cursor->view;  // eof() was false: a view with rows
  const std::size_t row = (*view.pick)[cursor->at];
  if (n == kIndexColumn) {
    sqlite3_result_int64(context, static_cast<sqlite3_int64>(row));
  } else if (n == kGsidColumn) {
    if (view.gsids == nullptr || cursor->at >= view.gsids->size()) {
      sqlite3_result_null(context);
    } else {
      const std::string& gsid = (*view.gsids)[cursor->at];
      sqlite3_result_text64(context, gsid.data(), gsid.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
  } else {
    const auto c = static_cast<std::size_t>(n - kFirstValueColumn);
    const std::vector<Value>& values = (*view.rows)[row];
    if (n < kFirstValueColumn || n >= kViewColumn || c >= values.size()) {
      sqlite3_result_null(context);
    } else {
      resultValue(context, values[c]);
    }
  }
  return SQLITE_OK;
}

int rowid(sqlite3_vtab_cursor* base, sqlite3_int64* out) {
  *out = static_cast<sqlite3_int64>(reinterpret_cast<RowsCursor*>(base)->at);
  return SQLITE_OK;
}

sqlite3_module makeModule() {
  sqlite3_module module{};
  module.iVersion = 1;
  module.xCreate = nullptr;  // eponymous only: no CREATE VIRTUAL TABLE
  module.xConnect = connect;
  module.xBestIndex = bestIndex;
  module.xDisconnect = disconnect;
  module.xOpen = open;
  module.xClose = close;
  module.xFilter = filter;
  module.xNext = next;
  module.xEof = eof;
  module.xColumn = column;
  module.xRowid = rowid;
  return module;
}

const sqlite3_module kModule = makeModule();

}  // namespace

Status SqliteRowsTable::registerOn(sqlite3* db) {
  const int rc = sqlite3_create_module_v2(db, kName, &kModule, nullptr, nullptr);
  if (rc == SQLITE_OK) return Status::OK();
  return Status::IoError(std::string("cannot register ") + kName + ": " + sqlite3_errstr(rc));
}

int SqliteRowsTable::bindRows(sqlite3_stmt* stmt, int index, const RowsView& view) {
  return sqlite3_bind_pointer(stmt, index, const_cast<RowsView*>(&view), kName, nullptr);
}

int SqliteRowsTable::query(SqliteStatement& stmt, const RowsView& view,
                           const std::function<bool()>& onRow) {
  int rc = bindRows(stmt.get(), 1, view);
  while (rc == SQLITE_OK && (rc = stmt.step()) == SQLITE_ROW) {
    rc = onRow() ? SQLITE_OK : SQLITE_DONE;
  }
  return rc;
}

std::string SqliteRowsTable::joinOn(const std::vector<std::string>& columns,
                                    const std::vector<std::size_t>& positions) {
  std::string on;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    on += (c == 0 ? "" : " AND ") + ("t." + quoteIdentifier(columns[c])) + " = +p." +
          column(positions[c]);
  }
  return on;
}

}  // namespace sfsync::store
