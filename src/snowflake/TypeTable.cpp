#include "sfsync/snowflake/TypeTable.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

#include <cstdio>
#include <ctime>

#include "salesforce/JsonReader.h"

namespace sfsync::snowflake {

namespace {

bool oneOf(const std::string& t, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (t == n) return true;
  }
  return false;
}

Status bad(const ResultColumn& column, const std::string& text) {
  std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  return Status::DataError("column " + column.name + " (" + column.type + "): '" + shown +
                           "' is not a valid value");
}

std::string isoDate(std::int64_t days) {
  const std::time_t t = static_cast<std::time_t>(days * 86400);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return out;
}

// "<seconds>[.<fraction>]" (Snowflake's epoch form) as ISO-8601 UTC with milliseconds, truncated
// (never rounded up: a high-water mark must not pass a row it has not read), exact before 1970 too.
// False when `text` is not that form.
bool isoTimestamp(const std::string& text, std::string* out) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::size_t dot = text.find('.');
  const std::string whole = text.substr(
      negative ? 1 : 0, dot == std::string::npos ? std::string::npos : dot - (negative ? 1 : 0));
  const std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 12) return false;
  for (char c : whole + fraction) {
    if (c < '0' || c > '9') return false;
  }
  std::int64_t seconds = std::stoll(whole);
  std::int64_t nanos = std::stoll((fraction + "000000000").substr(0, 9));
  if (negative) {
    seconds = -seconds;
    if (nanos > 0) {  // -1.25 s is -2 s plus 0.75 s
      seconds -= 1;
      nanos = 1000000000 - nanos;
    }
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(nanos / 1000000));
  *out = buffer;
  return true;
}

bool isTimestamp(const std::string& t) { return t.rfind("timestamp", 0) == 0; }

bool isFloating(const ResultColumn& c) {
  return (c.type == "fixed" && c.scale > 0) ||
         oneOf(c.type, {"real", "float", "double", "decfloat", "number", "decimal"});
}

}  // namespace

std::string describeType(const ResultColumn& column) {
  const std::string& t = column.type;
  if (t == "array") return "multipicklist";
  if (t == "boolean") return "boolean";
  if (t == "fixed" && column.scale == 0) return "int";
  if (isFloating(column)) return "double";
  if (t == "date") return "date";
  if (isTimestamp(t)) return "datetime";
  return "string";
}

Result<std::vector<std::string>> arrayElements(const std::string& json) {
  std::vector<std::string> out;
  salesforce::JsonReader in(json);
  if (!in.expect('[')) return Status::DataError("not a JSON array");
  if (!in.tryConsume(']')) {
    do {
      Value v;
      if (in.peek() == '[' || in.peek() == '{') {  // a nested value: kept as its JSON text
        const char* start = in.position();
        if (!in.skipValue()) return Status::DataError("not a JSON array");
        out.emplace_back(in.since(start));
        continue;
      }
      if (!in.readScalar(v)) return Status::DataError("not a JSON array");
      if (!isNull(v)) out.push_back(valueToText(v));
    } while (in.tryConsume(','));
    if (!in.expect(']')) return Status::DataError("not a JSON array");
  }
  return out;
}

Result<Value> decodeCell(const ResultColumn& column, const std::string& text) {
  const std::string type = describeType(column);
  try {
    if (type == "boolean") {
      if (text == "true" || text == "TRUE" || text == "1") return Value(true);
      if (text == "false" || text == "FALSE" || text == "0") return Value(false);
      return bad(column, text);
    }
    if (type == "int") {
      std::int64_t v = 0;
      if (Poco::NumberParser::tryParse64(text, v)) return Value(v);
      return Value(Poco::NumberParser::parseFloat(text));  // beyond int64: keep the magnitude
    }
    if (type == "double") return Value(Poco::NumberParser::parseFloat(text));
    if (type == "date") return Value(isoDate(Poco::NumberParser::parse64(text)));
    if (type == "datetime") {
      const std::string seconds = text.substr(0, text.find(' '));  // _tz: "<secs> <offset>"
      std::string iso;
      if (!isoTimestamp(seconds, &iso)) return bad(column, text);
      return Value(iso);
    }
    if (type == "multipicklist") {
      Result<std::vector<std::string>> items = arrayElements(text);
      if (!items.ok()) return bad(column, text);
      std::string joined;
      for (const std::string& item : *items) joined += (joined.empty() ? "" : ";") + item;
      return Value(joined);
    }
  } catch (const Poco::Exception&) {
    return bad(column, text);
  }
  return Value(text);
}

}  // namespace sfsync::snowflake
