#include "store/PostgresValues.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace sfsync::store::pgvalue {

namespace {

bool digits(const std::string& s, std::size_t from, std::size_t n) {
  if (from + n > s.size()) return false;
  for (std::size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool isIsoDate(const std::string& s) {
  return s.size() == 10 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2) && s[7] == '-' &&
         digits(s, 8, 2);
}

// YYYY-MM-DD[T ]HH:MM[:SS[.f+]][Z|+HH[:]MM|-HH[:]MM|+HH|-HH]
bool isIsoDateTime(const std::string& s) {
  if (s.size() < 16 || !isIsoDate(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' ')) return false;
  if (!digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2)) return false;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!digits(s, i + 1, 2)) return false;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      const std::size_t start = ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return false;
    }
  }
  if (i == s.size()) return true;
  if (s[i] == 'Z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  const std::string zone = s.substr(i + 1);
  return (zone.size() == 2 && digits(zone, 0, 2)) || (zone.size() == 4 && digits(zone, 0, 4)) ||
         (zone.size() == 5 && digits(zone, 0, 2) && zone[2] == ':' && digits(zone, 3, 2));
}

bool parseInt64(const std::string& s, std::int64_t* out) {
  if (s.empty() || s.size() > 32) return false;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size()) return false;
  *out = v;
  return true;
}

bool parseDouble(const std::string& s, double* out) {
  if (s.empty() || s.size() > 400) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return false;  // no hex, inf or nan spelled as text
  }
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

std::string doubleText(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return valueToText(Value{d});
}

bool integerText(const Value& value, std::optional<std::string>* out, std::string* why) {
  if (const bool* b = std::get_if<bool>(&value)) {
    *out = *b ? "1" : "0";
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) {
    *out = std::to_string(*i);
  } else if (const double* d = std::get_if<double>(&value)) {
    // As SQLite does: a real fits an integer column only when it is a whole number in range.
    if (!(std::trunc(*d) == *d && std::fabs(*d) < 9.2e18)) {
      *why = "the number " + doubleText(*d) + " is not an integer";
      return false;
    }
    *out = std::to_string(static_cast<std::int64_t>(*d));
  } else {
    std::int64_t v = 0;
    if (!parseInt64(std::get<std::string>(value), &v)) {
      *why = "'" + std::get<std::string>(value).substr(0, 40) + "' is not an integer";
      return false;
    }
    *out = std::to_string(v);
  }
  return true;
}

bool realText(const Value& value, std::optional<std::string>* out, std::string* why) {
  if (const bool* b = std::get_if<bool>(&value)) {
    *out = *b ? "1" : "0";
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) {
    *out = std::to_string(*i);
  } else if (const double* d = std::get_if<double>(&value)) {
    *out = doubleText(*d);
  } else {
    double parsed = 0;
    if (!parseDouble(std::get<std::string>(value), &parsed)) {
      *why = "'" + std::get<std::string>(value).substr(0, 40) + "' is not a number";
      return false;
    }
    *out = doubleText(parsed);
  }
  return true;
}

bool timeText(const Value& value, ColumnType type, std::optional<std::string>* out,
              std::string* why) {
  const std::string* s = std::get_if<std::string>(&value);
  if (s != nullptr && s->empty()) {
    out->reset();  // an empty date is no date
    return true;
  }
  const bool date = type == ColumnType::kDate;
  if (s == nullptr || !(date ? isIsoDate(*s) : isIsoDateTime(*s))) {
    *why = "'" + valueToText(value).substr(0, 40) + "' is not an ISO-8601 " +
           (date ? "date (YYYY-MM-DD)" : "datetime");
    return false;
  }
  *out = *s;
  return true;
}

}  // namespace

const char* ddlType(ColumnType type) {
  switch (type) {
    case ColumnType::kText:
      return "text COLLATE \"C\"";
    case ColumnType::kInteger:
      return "bigint";
    case ColumnType::kReal:
      return "numeric";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kDateTime:
      return "timestamptz";
  }
  return "text";
}

const char* castType(ColumnType type) {
  switch (type) {
    case ColumnType::kText:
      return "text";
    case ColumnType::kInteger:
      return "bigint";
    case ColumnType::kReal:
      return "numeric";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kDateTime:
      return "timestamptz";
  }
  return "text";
}

bool validUtf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are not UTF-8.
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

bool toText(const Value& value, ColumnType type, std::optional<std::string>* out,
            std::string* why) {
  out->reset();
  if (isNull(value)) return true;
  switch (type) {
    case ColumnType::kText: {
      const std::string text =
          std::holds_alternative<bool>(value)     ? std::string(std::get<bool>(value) ? "1" : "0")
          : std::holds_alternative<double>(value) ? doubleText(std::get<double>(value))
                                                  : valueToText(value);
      if (text.find('\0') != std::string::npos) {
        *why = "text with a NUL byte cannot be stored in PostgreSQL";
        return false;
      }
      if (!validUtf8(text)) {
        *why = "invalid UTF-8";
        return false;
      }
      *out = text;
      return true;
    }
    case ColumnType::kInteger:
      return integerText(value, out, why);
    case ColumnType::kReal:
      return realText(value, out, why);
    case ColumnType::kBoolean: {
      std::optional<std::string> n;
      if (!integerText(value, &n, why)) return false;
      *out = (*n == "0") ? "false" : "true";
      return true;
    }
    case ColumnType::kDate:
    case ColumnType::kDateTime:
      return timeText(value, type, out, why);
  }
  return false;
}

void appendCopyField(const std::optional<std::string>& text, std::string& line) {
  if (!text) {
    line += "\\N";
    return;
  }
  for (char c : *text) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += c;
    }
  }
}

std::string selectExpression(const std::string& quotedColumn, ColumnType type) {
  switch (type) {
    case ColumnType::kDate:
      return "to_char(" + quotedColumn + ", 'YYYY-MM-DD')";
    case ColumnType::kDateTime:
      return "to_char(" + quotedColumn +
             " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
    case ColumnType::kReal:
      return quotedColumn + "::text";
    default:
      return quotedColumn;
  }
}

Value fromResult(const PgResult& result, int row, int col, ColumnType type) {
  if (result.isNull(row, col)) return Value{};
  const std::string text = result.text(row, col);
  switch (type) {
    case ColumnType::kInteger:
      return Value{static_cast<std::int64_t>(std::strtoll(text.c_str(), nullptr, 10))};
    case ColumnType::kReal:
      if (text == "NaN") return Value{std::numeric_limits<double>::quiet_NaN()};
      if (text == "Infinity") return Value{std::numeric_limits<double>::infinity()};
      if (text == "-Infinity") return Value{-std::numeric_limits<double>::infinity()};
      return Value{std::strtod(text.c_str(), nullptr)};
    case ColumnType::kBoolean:
      return Value{text == "t"};
    default:
      return Value{text};
  }
}

std::string toHex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

bool fromHex(const std::string& hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out->clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]);
    const int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

}  // namespace sfsync::store::pgvalue
