#include "snowflake_sim/SqlSubset.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace sfsync::snowsim {

namespace {

std::int64_t tableSize(const SimTable& t) {
  return t.generate ? t.generatedRows : static_cast<std::int64_t>(t.rows.size());
}

void readRow(const SimTable& t, std::int64_t i, Row& out) {
  if (t.generate) {
    out.assign(t.columns.size(), std::nullopt);
    t.generate(i, out);
  } else {
    out = t.rows[static_cast<std::size_t>(i)];
  }
}

std::vector<std::string> tokenize(const std::string& sql) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'') {
      std::size_t end = sql.find('\'', i + 1);
      if (end == std::string::npos) end = sql.size();
      tokens.push_back(sql.substr(i, end + 1 - i));
      i = end + 1;
    } else if (std::string("(),*;").find(c) != std::string::npos) {
      tokens.emplace_back(1, c);
      ++i;
    } else if (std::string("<>=!").find(c) != std::string::npos) {
      std::size_t end = i;
      while (end < sql.size() && std::string("<>=!").find(sql[end]) != std::string::npos) ++end;
      tokens.push_back(sql.substr(i, end - i));
      i = end;
    } else {
      std::size_t end = i;
      while (end < sql.size() && !std::isspace(static_cast<unsigned char>(sql[end])) &&
             std::string("(),*;<>=!'").find(sql[end]) == std::string::npos) {
        ++end;
      }
      tokens.push_back(sql.substr(i, end - i));
      i = end;
    }
  }
  return tokens;
}

struct Parser {
  std::vector<std::string> t;
  std::size_t p = 0;
  const std::map<std::string, SimTable>& tables;
  SqlError& error;

  bool fail(const std::string& code, const std::string& state, const std::string& message) {
    error = {code, state, message};
    return false;
  }
  bool at(const char* word) const { return p < t.size() && Poco::icompare(t[p], word) == 0; }
  bool syntax() {
    return fail("001003", "42000",
                "SQL compilation error:\nsyntax error near '" + (p < t.size() ? t[p] : "") + "'");
  }
  int columnIndex(const View& v, const std::string& name) const {
    for (std::size_t i = 0; i < v.columns.size(); ++i) {
      if (Poco::icompare(v.table->columns[v.columns[i]].name, name) == 0)
        return static_cast<int>(i);
    }
    return -1;
  }
  bool select(View& view);
  bool from(View& view);
  bool where(View& view);
  bool orderBy(View& view);
};

bool numericType(const std::string& type) {
  return type == "fixed" || type == "real" || type == "float" || type == "double";
}

// -1, 0, 1 comparing a cell with a literal.
int compare(const SimColumn& column, const Cell& cell, const std::string& literal) {
  std::string lit = literal;
  if (lit.size() >= 2 && lit.front() == '\'') lit = lit.substr(1, lit.size() - 2);
  if (!cell) return -2;
  if (numericType(column.type) || column.type.rfind("timestamp", 0) == 0 || column.type == "date") {
    const double a = std::strtod(cell->c_str(), nullptr);
    const double b = std::strtod(lit.c_str(), nullptr);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const std::string a = column.type == "boolean" ? Poco::toLower(*cell) : *cell;
  const std::string b = column.type == "boolean" ? Poco::toLower(lit) : lit;
  return a < b ? -1 : a > b ? 1 : 0;
}

bool holds(int cmp, const std::string& op) {
  if (cmp == -2) return false;  // NULL never matches
  if (op == "=") return cmp == 0;
  if (op == "!=" || op == "<>") return cmp != 0;
  if (op == "<") return cmp < 0;
  if (op == "<=") return cmp <= 0;
  if (op == ">") return cmp > 0;
  return cmp >= 0;
}

}  // namespace

std::int64_t View::size() const {
  return allRows ? tableSize(*table) : static_cast<std::int64_t>(indices.size());
}

void View::row(std::int64_t i, Row& out) const {
  Row full;
  readRow(*table, tableRow(i), full);
  out.clear();
  for (std::size_t c : columns) out.push_back(full[c]);
}

bool Parser::from(View& view) {
  if (p < t.size() && t[p] == "(") {
    ++p;
    if (!select(view)) return false;
    if (p >= t.size() || t[p] != ")") return syntax();
    ++p;
    return true;
  }
  if (p >= t.size()) return syntax();
  const std::string name = Poco::toUpper(t[p++]);
  std::string unquoted;
  for (char c : name) {
    if (c != '"') unquoted += c;
  }
  auto it = tables.find(unquoted);
  if (it == tables.end()) {
    return fail(
        "002003", "42S02",
        "SQL compilation error:\nObject '" + unquoted + "' does not exist or not authorized.");
  }
  view = View{};
  view.table = &it->second;
  for (std::size_t i = 0; i < it->second.columns.size(); ++i) view.columns.push_back(i);
  return true;
}

bool Parser::where(View& view) {
  struct Cond {
    std::size_t column;
    std::string op, literal;
  };
  std::vector<Cond> conds;
  do {
    ++p;  // WHERE or AND
    while (p < t.size() && t[p] == "(") ++p;
    if (p + 2 >= t.size()) return syntax();
    const int c = columnIndex(view, t[p]);
    if (c < 0) {
      return fail("000904", "42000", "SQL compilation error: invalid identifier '" + t[p] + "'");
    }
    conds.push_back({view.columns[static_cast<std::size_t>(c)], t[p + 1], t[p + 2]});
    p += 3;
    while (p < t.size() && t[p] == ")") ++p;
  } while (at("AND"));
  std::vector<std::int64_t> kept;
  Row row;
  for (std::int64_t i = 0; i < view.size(); ++i) {
    readRow(*view.table, view.tableRow(i), row);
    bool ok = true;
    for (const Cond& cond : conds) {
      ok = ok && holds(compare(view.table->columns[cond.column], row[cond.column], cond.literal),
                       cond.op);
    }
    if (ok) kept.push_back(view.tableRow(i));
  }
  view.allRows = false;
  view.indices = std::move(kept);
  return true;
}

bool Parser::orderBy(View& view) {
  p += 2;
  if (p >= t.size()) return syntax();
  const int c = columnIndex(view, t[p++]);
  if (c < 0) return syntax();
  const std::size_t column = view.columns[static_cast<std::size_t>(c)];
  if (view.allRows) {
    for (std::int64_t i = 0; i < view.size(); ++i) view.indices.push_back(i);
    view.allRows = false;
  }
  const SimTable& table = *view.table;
  std::stable_sort(view.indices.begin(), view.indices.end(), [&](std::int64_t a, std::int64_t b) {
    Row ra, rb;
    readRow(table, a, ra);
    readRow(table, b, rb);
    if (!ra[column] || !rb[column]) return static_cast<bool>(rb[column]);
    return compare(table.columns[column], ra[column], *rb[column]) < 0;
  });
  return true;
}

bool Parser::select(View& view) {
  if (!at("SELECT"))
    return fail("001003", "42000", "SQL compilation error: only SELECT is allowed");
  ++p;
  std::vector<std::string> names;
  bool star = false;
  while (p < t.size() && !at("FROM")) {
    if (t[p] == "*")
      star = true;
    else if (t[p] != ",")
      names.push_back(t[p]);
    ++p;
  }
  if (!at("FROM")) return syntax();
  ++p;
  if (!from(view)) return false;
  if (at("WHERE") && !where(view)) return false;
  if (at("ORDER") && !orderBy(view)) return false;
  if (at("LIMIT")) {
    if (p + 1 >= t.size()) return syntax();
    const std::int64_t limit = std::atoll(t[p + 1].c_str());
    p += 2;
    if (view.allRows) {
      for (std::int64_t i = 0; i < std::min(limit, view.size()); ++i) view.indices.push_back(i);
      view.allRows = false;
    } else if (static_cast<std::int64_t>(view.indices.size()) > limit) {
      view.indices.resize(static_cast<std::size_t>(limit));
    }
  }
  if (!star) {
    std::vector<std::size_t> projected;
    for (const std::string& name : names) {
      const int c = columnIndex(view, name);
      if (c < 0) {
        return fail("000904", "42000", "SQL compilation error: invalid identifier '" + name + "'");
      }
      projected.push_back(view.columns[static_cast<std::size_t>(c)]);
    }
    view.columns = projected;
  }
  return true;
}

bool runSelect(const std::string& sql, const std::map<std::string, SimTable>& tables, View& view,
               SqlError& error) {
  Parser parser{tokenize(sql), 0, tables, error};
  if (!parser.select(view)) return false;
  while (parser.p < parser.t.size() && parser.t[parser.p] == ";") ++parser.p;
  if (parser.p != parser.t.size()) return parser.syntax();
  return true;
}

}  // namespace sfsync::snowsim
