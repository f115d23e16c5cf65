#include "store/SqliteStatement.h"

#include <cstring>

#include <utility>

namespace sfsync::store {

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

int SqliteStatement::bindValue(int index, const Value& value) {
  struct Binder {
    SqliteStatement* self;
    int index;
    int operator()(std::monostate) const { return self->bindNull(index); }
    int operator()(bool b) const { return self->bindInt64(index, b ? 1 : 0); }
    int operator()(std::int64_t i) const { return self->bindInt64(index, i); }
    int operator()(double d) const { return sqlite3_bind_double(self->stmt_, index, d); }
    int operator()(const std::string& s) const { return self->bindText(index, s); }
  };
  return std::visit(Binder{this, index}, value);
}

int SqliteStatement::bindText(int index, const std::string& text) {
  return sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

int SqliteStatement::bindInt64(int index, std::int64_t v) {
  return sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(v));
}

int SqliteStatement::bindNull(int index) { return sqlite3_bind_null(stmt_, index); }

int SqliteStatement::step() { return sqlite3_step(stmt_); }

void SqliteStatement::reset() { sqlite3_reset(stmt_); }

void SqliteStatement::release() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::columnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::string SqliteStatement::columnText(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return std::string();
  const int size = sqlite3_column_bytes(stmt_, col);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::int64_t SqliteStatement::columnInt64(int col) const {
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, col));
}

bool SqliteStatement::columnEquals(int col, const Value& value) const {
  const int type = sqlite3_column_type(stmt_, col);
  switch (value.index()) {
    case 0:
      return type == SQLITE_NULL;
    case 1:
      return type == SQLITE_INTEGER && columnInt64(col) == (std::get<bool>(value) ? 1 : 0);
    case 2:
      return type == SQLITE_INTEGER && columnInt64(col) == std::get<std::int64_t>(value);
    case 3: {
      if (type != SQLITE_FLOAT) return false;
      const double stored = sqlite3_column_double(stmt_, col);
      const double mine = std::get<double>(value);
      return std::memcmp(&stored, &mine, sizeof stored) == 0;
    }
    default: {
      if (type != SQLITE_TEXT) return false;
      const std::string& text = std::get<std::string>(value);
      const void* stored = sqlite3_column_blob(stmt_, col);  // the bytes as stored, no conversion
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col));
      return size == text.size() && (size == 0 || std::memcmp(stored, text.data(), size) == 0);
    }
  }
}

Value SqliteStatement::columnValue(int col, ColumnType type) const {
  if (columnIsNull(col)) return Value{};
  switch (type) {
    case ColumnType::kInteger:
      return Value{columnInt64(col)};
    case ColumnType::kReal:
      return Value{sqlite3_column_double(stmt_, col)};
    case ColumnType::kBoolean:
      return Value{columnInt64(col) != 0};
    case ColumnType::kText:
    case ColumnType::kDate:
    case ColumnType::kDateTime:
      return Value{columnText(col)};
  }
  return Value{columnText(col)};
}

int SqliteStatement::readRows(const std::vector<ColumnType>& types,
                              std::vector<std::vector<Value>>& rows) {
  int rc;
  while ((rc = step()) == SQLITE_ROW) {
    std::vector<Value> row;
    row.reserve(types.size());
    for (std::size_t c = 0; c < types.size(); ++c) {
      row.push_back(columnValue(static_cast<int>(c), types[c]));
    }
    rows.push_back(std::move(row));
  }
  return rc;
}

}  // namespace sfsync::store
