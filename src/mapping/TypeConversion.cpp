// Type conversion from Salesforce values to store column values; the rules are in
// sfsync/mapping/TypeConversion.h.
#include "sfsync/mapping/TypeConversion.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <system_error>

#include "mapping/IsoDateTime.h"

namespace sfsync::mapping {

namespace {

constexpr std::size_t kMaxQuotedValue = 80;

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// "cannot convert '<value>' to <type>[: <why>]", the value cut to a readable length.
Status failure(const Value& in, store::ColumnType target, const std::string& why = "") {
  std::string text = valueToText(in);
  if (text.size() > kMaxQuotedValue) text = text.substr(0, kMaxQuotedValue) + "...";
  std::string message = "cannot convert '" + text + "' to " + store::columnTypeName(target);
  if (!why.empty()) message += ": " + why;
  return Status::DataError(message);
}

// A decimal integer: optional sign, digits, nothing else.
bool parseIntegerText(const std::string& s, std::int64_t* out, bool* overflow) {
  *overflow = false;
  if (s.empty()) return false;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (*begin == '+') {
    ++begin;
    if (begin == end || *begin == '-' || *begin == '+') return false;  // "+", "+-1", "++1"
  }
  const auto result = std::from_chars(begin, end, *out);
  if (result.ec == std::errc::result_out_of_range) {
    *overflow = true;
    return false;
  }
  return result.ec == std::errc() && result.ptr == end;
}

// A decimal number: [sign] digits [. digits] [e [sign] digits] (also ".5" and "5."); no hex, no
// "inf"/"nan".
bool isDecimalNumber(const std::string& s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mantissaDigits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++mantissaDigits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++mantissaDigits;
  }
  if (mantissaDigits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponentDigits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exponentDigits;
    if (exponentDigits == 0) return false;
  }
  return i == s.size();
}

Result<Value> toText(const Value& in) {
  if (const auto* d = std::get_if<double>(&in); d != nullptr && !std::isfinite(*d)) {
    return failure(in, store::ColumnType::kText, "not a finite number");
  }
  return Value{valueToText(in)};
}

Result<Value> toInteger(const Value& in) {
  constexpr auto kTarget = store::ColumnType::kInteger;
  if (std::holds_alternative<std::int64_t>(in)) return in;
  if (const auto* d = std::get_if<double>(&in)) {
    if (!std::isfinite(*d)) return failure(in, kTarget, "not a finite number");
    if (*d != std::floor(*d)) return failure(in, kTarget, "not a whole number");
    // 2^63 is exactly representable; every double below it in magnitude fits.
    if (*d >= 9223372036854775808.0 || *d < -9223372036854775808.0) {
      return failure(in, kTarget, "out of range");
    }
    return Value{static_cast<std::int64_t>(*d)};
  }
  if (const auto* s = std::get_if<std::string>(&in)) {
    std::int64_t n = 0;
    bool overflow = false;
    if (parseIntegerText(trimmed(*s), &n, &overflow)) return Value{n};
    return failure(in, kTarget, overflow ? "out of range" : "");
  }
  return failure(in, kTarget);  // booleans
}

Result<Value> toReal(const Value& in) {
  constexpr auto kTarget = store::ColumnType::kReal;
  if (const auto* i = std::get_if<std::int64_t>(&in)) return Value{static_cast<double>(*i)};
  if (const auto* d = std::get_if<double>(&in)) {
    if (!std::isfinite(*d)) return failure(in, kTarget, "not a finite number");
    return in;
  }
  if (const auto* s = std::get_if<std::string>(&in)) {
    const std::string t = trimmed(*s);
    if (!isDecimalNumber(t)) return failure(in, kTarget);
    const char* begin = t.data() + (t[0] == '+' ? 1 : 0);
    double value = 0;
    const auto result = std::from_chars(begin, t.data() + t.size(), value);
    if (result.ec == std::errc::result_out_of_range) return failure(in, kTarget, "out of range");
    if (result.ec != std::errc() || result.ptr != t.data() + t.size() || !std::isfinite(value)) {
      return failure(in, kTarget);
    }
    return Value{value};
  }
  return failure(in, kTarget);  // booleans
}

Result<Value> toBoolean(const Value& in) {
  constexpr auto kTarget = store::ColumnType::kBoolean;
  if (std::holds_alternative<bool>(in)) return in;
  if (const auto* i = std::get_if<std::int64_t>(&in)) {
    if (*i == 0 || *i == 1) return Value{*i == 1};
    return failure(in, kTarget, "expected 0 or 1");
  }
  if (const auto* d = std::get_if<double>(&in)) {
    if (*d == 0.0 || *d == 1.0) return Value{*d == 1.0};
    return failure(in, kTarget, "expected 0 or 1");
  }
  const std::string t = lower(trimmed(std::get<std::string>(in)));
  if (t == "true" || t == "1") return Value{true};
  if (t == "false" || t == "0") return Value{false};
  return failure(in, kTarget, "expected true, false, 1 or 0");
}

Result<Value> toDate(const Value& in) {
  constexpr auto kTarget = store::ColumnType::kDate;
  const auto* s = std::get_if<std::string>(&in);
  if (s == nullptr) return failure(in, kTarget);
  const std::string t = trimmed(*s);
  std::string why;
  std::int64_t days = 0;
  if (t.size() == 10) {
    if (!IsoDateTime::parseDate(t, &days, &why)) return failure(in, kTarget, why);
    return Value{IsoDateTime::formatDate(days)};
  }
  std::int64_t millis = 0;
  if (!IsoDateTime::parseDateTime(t, &millis, &why)) return failure(in, kTarget, why);
  return Value{IsoDateTime::formatDate(IsoDateTime::daysOf(millis))};
}

Result<Value> toDateTime(const Value& in) {
  constexpr auto kTarget = store::ColumnType::kDateTime;
  const auto* s = std::get_if<std::string>(&in);
  if (s == nullptr) return failure(in, kTarget);
  std::string why;
  std::int64_t millis = 0;
  if (!IsoDateTime::parseDateTime(trimmed(*s), &millis, &why)) return failure(in, kTarget, why);
  return Value{IsoDateTime::formatDateTime(millis)};
}

}  // namespace

Result<Value> convertValue(const Value& in, store::ColumnType target) {
  if (isNull(in)) return in;
  switch (target) {
    case store::ColumnType::kText:
      return toText(in);
    case store::ColumnType::kInteger:
      return toInteger(in);
    case store::ColumnType::kReal:
      return toReal(in);
    case store::ColumnType::kBoolean:
      return toBoolean(in);
    case store::ColumnType::kDate:
      return toDate(in);
    case store::ColumnType::kDateTime:
      return toDateTime(in);
  }
  return Status::Internal("unknown column type");
}

store::ColumnType defaultColumnType(const std::string& salesforceType) {
  const std::string t = lower(trimmed(salesforceType));
  if (t == "int") return store::ColumnType::kInteger;
  if (t == "double" || t == "currency" || t == "percent") return store::ColumnType::kReal;
  if (t == "boolean") return store::ColumnType::kBoolean;
  if (t == "date") return store::ColumnType::kDate;
  if (t == "datetime") return store::ColumnType::kDateTime;
  // id, reference, string, textarea, picklist, multipicklist, email, phone, url, combobox,
  // encryptedstring, time, and anything unknown.
  return store::ColumnType::kText;
}

}  // namespace sfsync::mapping

namespace sfsync::mapping {

bool isCompoundType(const std::string& salesforceType) {
  const std::string t = lower(trimmed(salesforceType));
  return t == "address" || t == "location";
}

std::int64_t maxTextLength(const std::string& salesforceType, int describeLength) {
  static const char* const kTextTypes[] = {
      "id",       "reference", "string", "textarea", "picklist",       "multipicklist",
      "combobox", "email",     "phone",  "url",      "encryptedstring"};
  if (describeLength <= 0) return 0;
  const std::string t = lower(trimmed(salesforceType));
  for (const char* type : kTextTypes) {
    if (t == type) {
      const std::int64_t length = describeLength;
      return length + length / 10 + kTextLengthSlack;
    }
  }
  return 0;
}

std::int64_t utf8Length(std::string_view text) {
  std::int64_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace sfsync::mapping
