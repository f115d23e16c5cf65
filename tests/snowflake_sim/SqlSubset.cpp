#include "snowflake_sim/SqlSubset.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iterator>

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
    } else if (std::string("(),*;?").find(c) != std::string::npos) {
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
             std::string("(),*;?<>=!'").find(sql[end]) == std::string::npos) {
        ++end;
      }
      tokens.push_back(sql.substr(i, end - i));
      i = end;
    }
  }
  return tokens;
}

// A comparand: a literal token ('text', a number, TRUE) or a bind variable (type + value).
struct Operand {
  std::string literal;
  std::string bindType;  // empty: a literal
  std::string value;     // a bind variable's value
};

struct Parser {
  std::vector<std::string> t;
  std::size_t p = 0;
  const std::map<std::string, SimTable>& tables;
  SqlError& error;
  const std::vector<SimBinding>& bindings;
  std::size_t nextBinding = 0;

  bool operand(Operand& out) {
    if (p >= t.size()) return syntax();
    if (t[p] != "?") {
      out = {t[p++], "", ""};
      return true;
    }
    ++p;
    if (nextBinding >= bindings.size()) {
      return fail(
          "002049", "22000",
          "SQL compilation error: bind variable ?" + std::to_string(nextBinding + 1) + " not set");
    }
    const SimBinding& b = bindings[nextBinding++];
    static const char* kTypes[] = {"FIXED",        "REAL",  "TEXT",          "BOOLEAN",
                                   "DATE",         "TIME",  "TIMESTAMP_NTZ", "TIMESTAMP_LTZ",
                                   "TIMESTAMP_TZ", "BINARY"};
    if (std::find(std::begin(kTypes), std::end(kTypes), b.type) == std::end(kTypes)) {
      return fail("002049", "22000", "unsupported bind variable type '" + b.type + "'");
    }
    out = {"", b.type, b.value};
    return true;
  }

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

using Wide = __int128;

// "[-]digits" -> value.
bool wholeNumber(const std::string& s, Wide& out) {
  const std::size_t from = !s.empty() && s[0] == '-' ? 1 : 0;
  if (from >= s.size() || s.size() - from > 30) return false;
  Wide v = 0;
  for (std::size_t i = from; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = from ? -v : v;
  return true;
}

// jsonv2 "[-]S[.F][ offset]" -> nanoseconds.
bool cellNanos(const std::string& cell, Wide& nanos) {
  const std::string text = cell.substr(0, cell.find(' '));
  const std::size_t dot = text.find('.');
  Wide seconds = 0;
  if (!wholeNumber(text.substr(0, dot), seconds)) return false;
  std::string f = dot == std::string::npos ? "" : text.substr(dot + 1);
  if (f.size() > 9) return false;
  f.resize(9, '0');
  Wide fraction = 0;
  if (!wholeNumber(f, fraction)) return false;
  nanos = seconds * 1000000000 + (text[0] == '-' ? -fraction : fraction);
  return true;
}

// Days from 1970-01-01 of a civil date (Howard Hinnant's algorithm).
Wide daysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Wide>(era) * 146097 + doe - 719468;
}

// ISO text YYYY-MM-DD[(T| )HH:MM:SS[.f]][Z] -> nanoseconds.
bool isoNanos(const std::string& text, Wide& nanos) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3) return false;
  std::string fraction;
  if (static_cast<std::size_t>(used) < text.size()) {
    int more = 0;
    if (std::sscanf(text.c_str() + used + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &more) != 3) {
      return false;
    }
    std::size_t i = static_cast<std::size_t>(used + 1 + more);
    if (i < text.size() && text[i] == '.') {
      while (++i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        fraction += text[i];
      }
    }
  }
  if (fraction.size() > 9) return false;
  fraction.resize(9, '0');
  Wide f = 0;
  wholeNumber(fraction, f);
  nanos = (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000000000 + f;
  return true;
}

// An operand as nanoseconds, for a timestamp or date column.
bool operandNanos(const Operand& o, Wide& nanos) {
  if (o.bindType.rfind("TIMESTAMP", 0) == 0) return wholeNumber(o.value, nanos);
  if (o.bindType == "DATE") {
    if (!wholeNumber(o.value, nanos)) return false;
    nanos *= 1000000;
    return true;
  }
  std::string text = o.bindType.empty() ? o.literal : o.value;
  if (o.bindType.empty() && text.size() >= 2 && text.front() == '\'') {
    text = text.substr(1, text.size() - 2);
  }
  if (isoNanos(text, nanos)) return true;
  const long double seconds = std::strtold(text.c_str(), nullptr);  // a number: seconds
  nanos = static_cast<Wide>(seconds * 1000000000.0L);
  return true;
}

// -1, 0, 1 comparing a cell with an operand; -2 for NULL.
int compare(const SimColumn& column, const Cell& cell, const Operand& operand) {
  if (!cell) return -2;
  if (column.type.rfind("timestamp", 0) == 0 || column.type == "date") {
    const auto cellValue = [&column](const std::string& text, Wide& out) {
      if (column.type != "date") return cellNanos(text, out);
      if (!wholeNumber(text, out)) return false;
      out *= static_cast<Wide>(86400) * 1000000000;
      return true;
    };
    Wide a = 0, b = 0;
    if (!cellValue(*cell, a)) return -2;
    if (operand.bindType == "CELL" ? !cellValue(operand.value, b) : !operandNanos(operand, b)) {
      return -2;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  std::string lit = operand.bindType.empty() ? operand.literal : operand.value;
  if (operand.bindType.empty() && lit.size() >= 2 && lit.front() == '\'') {
    lit = lit.substr(1, lit.size() - 2);
  }
  if (numericType(column.type)) {
    const long double a = std::strtold(cell->c_str(), nullptr);
    const long double b = std::strtold(lit.c_str(), nullptr);
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
    std::string op;  // "IN": any of `operands`
    std::vector<Operand> operands;
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
    Cond cond{view.columns[static_cast<std::size_t>(c)], Poco::toUpper(t[p + 1]), {}};
    p += 2;
    if (cond.op == "IN") {
      if (p >= t.size() || t[p++] != "(") return syntax();
      do {
        Operand o;
        if (!operand(o)) return false;
        cond.operands.push_back(o);
      } while (p < t.size() && t[p] == "," && ++p);
      if (p >= t.size() || t[p++] != ")") return syntax();
    } else {
      Operand o;
      if (!operand(o)) return false;
      cond.operands.push_back(o);
    }
    conds.push_back(std::move(cond));
    while (p < t.size() && t[p] == ")") ++p;
  } while (at("AND"));
  std::vector<std::int64_t> kept;
  Row row;
  for (std::int64_t i = 0; i < view.size(); ++i) {
    readRow(*view.table, view.tableRow(i), row);
    bool ok = true;
    for (const Cond& cond : conds) {
      const SimColumn& column = view.table->columns[cond.column];
      bool any = false;
      for (const Operand& o : cond.operands) {
        any = any || holds(compare(column, row[cond.column], o), cond.op == "IN" ? "=" : cond.op);
      }
      ok = ok && any;
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
    return compare(table.columns[column], ra[column], Operand{"", "CELL", *rb[column]}) < 0;
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
               SqlError& error, const std::vector<SimBinding>& bindings) {
  Parser parser{tokenize(sql), 0, tables, error, bindings};
  if (!parser.select(view)) return false;
  if (parser.nextBinding != bindings.size()) {
    error = {"002049", "22000",
             std::to_string(bindings.size()) + " bind variable(s) for " +
                 std::to_string(parser.nextBinding) + " placeholder(s)"};
    return false;
  }
  while (parser.p < parser.t.size() && parser.t[parser.p] == ";") ++parser.p;
  if (parser.p != parser.t.size()) return parser.syntax();
  return true;
}

}  // namespace sfsync::snowsim
