// snowflake::Cursor (include/sfsync/snowflake/SnowflakeQuery.h): the incremental cursor as a SQL
// API bind variable at Snowflake's precision, its stored form and the literal form of earlier
// versions.
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <cctype>
#include <cstdlib>
#include <sstream>

#include "sfsync/snowflake/SnowflakeQuery.h"

namespace sfsync::snowflake {

namespace {

using Wide = __int128;

bool digits(const std::string& s, std::size_t from, std::size_t to) {
  if (from >= to) return false;
  for (std::size_t i = from; i < to; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// A whole number ([-]digits, at most `maxDigits` of them) into `out`. The bound keeps every
// product below (seconds * 1e9, days * 86400000) far inside the 128-bit range.
bool parseWide(const std::string& s, Wide& out, std::size_t maxDigits = 20) {
  const std::size_t from = !s.empty() && s[0] == '-' ? 1 : 0;
  if (!digits(s, from, s.size()) || s.size() - from > maxDigits) return false;
  Wide v = 0;
  for (std::size_t i = from; i < s.size(); ++i) v = v * 10 + (s[i] - '0');
  out = from == 1 ? -v : v;
  return true;
}

std::string wideText(Wide v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  std::string out;
  for (Wide m = negative ? -v : v; m > 0; m /= 10) out.insert(out.begin(), char('0' + int(m % 10)));
  return negative ? "-" + out : out;
}

// jsonv2 timestamp text "[-]S[.F]" (timestamp_tz: followed by " <offset>") -> nanoseconds.
bool timestampNanos(const std::string& cell, Wide& nanos) {
  const std::string text = cell.substr(0, cell.find(' '));
  const std::size_t dot = text.find('.');
  Wide seconds = 0;
  if (!parseWide(text.substr(0, dot), seconds)) return false;
  Wide fraction = 0;
  if (dot != std::string::npos) {
    std::string f = text.substr(dot + 1);
    if (f.size() > 9 || !digits(f, 0, f.size())) return false;
    f.resize(9, '0');
    fraction = std::strtoll(f.c_str(), nullptr, 10);
  }
  const bool negative = !text.empty() && text[0] == '-';
  nanos = seconds * 1000000000 + (negative ? -fraction : fraction);
  return true;
}

bool isNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtold(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

Cursor make(std::string type, std::string value) {
  return Cursor{{std::move(type), std::move(value)}, false};
}

}  // namespace

std::string Cursor::text() const {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("type", value.type);
  o.set("value", value.value);
  o.set("inclusive", inclusive);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::string Cursor::display() const {
  std::string shown = value.value;
  Wide n = 0;
  const bool timestamp = value.type.rfind("TIMESTAMP", 0) == 0;
  if ((timestamp || value.type == "DATE") && parseWide(value.value, n, 30)) {
    const Wide unit = timestamp ? 1000000000 : 1000;
    Wide seconds = n / unit, rest = n % unit;
    if (rest < 0) {
      seconds -= 1;
      rest += unit;
    }
    const Wide kYear10000 = static_cast<Wide>(253402300800);  // beyond: shown as the number
    if (seconds >= kYear10000 || seconds <= -kYear10000)
      return inclusive ? shown + " (inclusive)" : shown;
    const Poco::Timestamp at(static_cast<Poco::Timestamp::TimeVal>(seconds) * 1000000);
    if (timestamp) {
      std::string frac = wideText(rest);
      frac.insert(0, 9 - frac.size(), '0');
      shown = Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%S") + "." + frac + "Z";
    } else {
      shown = Poco::DateTimeFormatter::format(at, "%Y-%m-%d");
    }
  }
  return inclusive ? shown + " (inclusive)" : shown;
}

Result<Cursor> Cursor::parse(const std::string& stored) {
  if (!stored.empty() && stored.front() == '{') {
    try {
      Poco::JSON::Object::Ptr o =
          Poco::JSON::Parser().parse(stored).extract<Poco::JSON::Object::Ptr>();
      Cursor c = make(o->getValue<std::string>("type"), o->getValue<std::string>("value"));
      c.inclusive = o->optValue<bool>("inclusive", false);
      return c;
    } catch (const Poco::Exception& e) {
      return Status::DataError("stored Snowflake cursor is not readable: " + e.displayText());
    }
  }
  // An earlier version's SQL literal: 'text' (\ and ' doubled) or a number.
  if (stored.size() >= 2 && stored.front() == '\'' && stored.back() == '\'') {
    std::string text;
    for (std::size_t i = 1; i + 1 < stored.size(); ++i) {
      const char c = stored[i];
      if ((c == '\\' || c == '\'') && i + 2 < stored.size() && stored[i + 1] == c) ++i;
      text += c;
    }
    return make("TEXT", text);
  }
  if (isNumber(stored)) {
    const bool whole = stored.find_first_of(".eE") == std::string::npos;
    return make(whole ? "FIXED" : "REAL", stored);
  }
  return Status::DataError("stored Snowflake cursor is neither JSON nor a SQL literal");
}

Result<Cursor> Cursor::fromCell(const ResultColumn& column, const std::string& cell) {
  const std::string& t = column.type;
  const auto bad = [&]() {
    return Status::DataError("column " + column.name + ": '" + cell.substr(0, 40) + "' is not a " +
                             t + " value");
  };
  if (t.rfind("timestamp", 0) == 0) {
    Wide nanos = 0;
    if (!timestampNanos(cell, nanos)) return bad();
    // timestamp_tz / _ltz: the instant (UTC); timestamp_ntz: its wall clock, as Snowflake sends.
    return make(t == "timestamp_ntz" ? "TIMESTAMP_NTZ" : "TIMESTAMP_LTZ", wideText(nanos));
  }
  if (t == "date") {
    Wide days = 0;
    if (!parseWide(cell, days)) return bad();
    return make("DATE", wideText(days * 86400000));
  }
  if (t == "fixed" || t == "real" || t == "float" || t == "double" || t == "decfloat" ||
      t == "number" || t == "decimal") {
    if (!isNumber(cell)) return bad();
    const bool whole = t == "fixed" && cell.find_first_of(".eE") == std::string::npos;
    return make(whole || t == "fixed" ? "FIXED" : "REAL", cell);
  }
  if (t == "boolean") return make("BOOLEAN", cell);
  return make("TEXT", cell);
}

bool Cursor::above(const Cursor& other) const {
  Wide a = 0, b = 0;
  if (value.type != "TEXT" && parseWide(value.value, a, 30) &&
      parseWide(other.value.value, b, 30)) {
    return a > b;
  }
  if (value.type != "TEXT" && isNumber(value.value) && isNumber(other.value.value)) {
    return std::strtold(value.value.c_str(), nullptr) >
           std::strtold(other.value.value.c_str(), nullptr);
  }
  return value.value > other.value.value;
}

}  // namespace sfsync::snowflake
