#include "sfsync/snowflake/SnowflakeQuery.h"

#include <Poco/String.h>

#include <cctype>

namespace sfsync::snowflake {

namespace {

// The first word of `sql` (after blanks and comments), upper-cased.
std::string firstWord(const std::string& sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) return "";
    } else if (sql.compare(i, 2, "/*") == 0) {
      i = sql.find("*/", i);
      if (i == std::string::npos) return "";
      i += 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) word += sql[i++];
  return Poco::toUpper(word);
}

// True when `sql` has a ';' outside quotes that is followed by more than blanks.
bool severalStatements(const std::string& sql) {
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ';') {
      for (std::size_t j = i + 1; j < sql.size(); ++j) {
        if (!std::isspace(static_cast<unsigned char>(sql[j]))) return true;
      }
    }
  }
  return false;
}

bool validTablePath(const std::string& table) {
  if (table.empty()) return false;
  for (char c : table) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '_' && c != '$' && c != '.' && c != '"') return false;
  }
  return table.front() != '.' && table.back() != '.';
}

std::string trimmed(std::string sql) {
  Poco::trimInPlace(sql);
  while (!sql.empty() && sql.back() == ';') {
    sql.pop_back();
    Poco::trimRightInPlace(sql);
  }
  return sql;
}

}  // namespace

Status checkReadOnly(const std::string& sql, const std::string& where) {
  const std::string word = firstWord(sql);
  if (word != "SELECT" && word != "WITH") {
    return Status::InvalidArgument(where + ": sfsync only reads from Snowflake; a " +
                                   (word.empty() ? "blank" : word) +
                                   " statement is refused (use one SELECT or WITH query)");
  }
  if (severalStatements(sql)) {
    return Status::InvalidArgument(where + ": several statements; give exactly one SELECT");
  }
  return Status::OK();
}

Status SnowflakeQuery::validate() const {
  if (table.empty() == query.empty()) {
    return Status::InvalidArgument("source: give exactly one of \"table\" or \"query\"");
  }
  if (!table.empty() && !validTablePath(table)) {
    return Status::InvalidArgument("source.table: '" + table +
                                   "' is not a table name (DB.SCHEMA.TABLE)");
  }
  if (!table.empty() && fields.empty()) {
    return Status::InvalidArgument("source.fields: a table source needs the columns to read");
  }
  if (!query.empty()) {
    Status s = checkReadOnly(query, "source.query");
    if (!s.ok()) return s;
  }
  if (filter.find(';') != std::string::npos) {
    return Status::InvalidArgument("source.filter: ';' is not allowed in a filter");
  }
  return Status::OK();
}

BoundStatement SnowflakeQuery::statement(const std::optional<Cursor>& since) const {
  BoundStatement bound;
  std::string& sql = bound.sql;
  if (!table.empty()) {
    sql = "SELECT " + Poco::cat(std::string(", "), fields.begin(), fields.end()) + " FROM " + table;
  } else {
    sql = "SELECT * FROM (" + trimmed(query) + ")";
  }
  std::vector<std::string> conditions;
  if (!filter.empty()) conditions.push_back("(" + filter + ")");
  if (!incrementalColumn.empty() && since) {
    conditions.push_back(incrementalColumn + (since->inclusive ? " >= ?" : " > ?"));
    bound.bindings.push_back(since->value);
  }
  if (!conditions.empty()) {
    sql += " WHERE " + Poco::cat(std::string(" AND "), conditions.begin(), conditions.end());
  }
  if (!incrementalColumn.empty()) sql += " ORDER BY " + incrementalColumn;
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  return bound;
}

std::string textLiteral(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') quoted += c;
    quoted += c;
  }
  return quoted + "'";
}

BoundStatement SnowflakeQuery::identifiersStatement(
    const std::string& column, const std::vector<std::string>& identifiers) const {
  SnowflakeQuery plain = *this;
  plain.incrementalColumn.clear();
  BoundStatement bound = plain.statement();
  std::string marks;
  for (const std::string& id : identifiers) {
    marks += marks.empty() ? "?" : ", ?";
    bound.bindings.push_back({"TEXT", id});
  }
  const std::string condition = column + " IN (" + marks + ")";
  bound.sql += (filter.empty() ? " WHERE " : " AND ") + condition;
  return bound;
}

std::string SnowflakeQuery::describeStatement() const {
  SnowflakeQuery none = *this;
  none.limit = 0;
  return none.statement().sql + " LIMIT 0";
}

}  // namespace sfsync::snowflake
