#include "jobs/DuplicateStamp.h"

#include <cstring>
#include <string>

#include "sfsync/store/Upsert.h"

namespace sfsync::jobs {

namespace {

// `bits` as 16 lowercase hex digits, most significant first: text order is numeric order.
std::string hex16(std::uint64_t bits) {
  static const char* hex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, bits >>= 4) out[static_cast<std::size_t>(i)] = hex[bits & 15];
  return out;
}

// The dedupeBy value as text whose byte order is the value's order (the store compares the stamps
// of duplicate keys as text, where "10" < "9"): a number (an integer or a double, as one field may
// arrive as either) as 16 hex digits of its IEEE 754 bits made order-preserving; other values
// (ISO dates and date-times, text) as their text.
std::string sortableStamp(const Value& value) {
  const std::int64_t* integer = std::get_if<std::int64_t>(&value);
  const double* real = std::get_if<double>(&value);
  if (integer == nullptr && real == nullptr) return valueToText(value);
  const double d = integer != nullptr ? static_cast<double>(*integer) : *real;
  std::uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof bits);
  bits = (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);  // negatives reversed
  return hex16(bits);
}

// Appends `part` so that kStampIdentitySeparator sorts below every byte of it: bytes 0, 1, 2 become
// 2 then '@', 'A', 'B' (above the separator, in their order); the text order stays the part's.
void appendEscaped(std::string& text, const std::string& part) {
  for (char c : part) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 2) {
      text += '\x02';
      text += static_cast<char>('@' + byte);
    } else {
      text += c;
    }
  }
}

// 16 hex digits of FNV-1a 64 over every value of `row`: a null marker, then the length of its text
// (8 bytes) and the text, so no text can move a boundary. A row read again unchanged hashes the
// same.
std::string rowHash(const std::vector<Value>& row) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](unsigned char byte) { h = (h ^ byte) * 0x100000001b3ULL; };
  for (const Value& v : row) {
    mix(isNull(v) ? 0 : 1);
    const std::string text = valueToText(v);
    for (int shift = 56; shift >= 0; shift -= 8) {
      mix(static_cast<unsigned char>(static_cast<std::uint64_t>(text.size()) >> shift));
    }
    for (char c : text) mix(static_cast<unsigned char>(c));
  }
  return hex16(h);
}
}  // namespace

Value stampOf(const DuplicateStamp& stamp, const std::vector<Value>& source) {
  const auto part = [&](int column) {
    const Value& v = source[static_cast<std::size_t>(column)];
    return isNull(v) ? std::string() : sortableStamp(v);  // a record without a value loses
  };
  std::string text;
  if (stamp.id < 0 && !stamp.rowIdentity) {  // no identity: the dedupeBy value alone, or nothing
    if (stamp.dedupe < 0) return Value{};
    appendEscaped(text, part(stamp.dedupe));  // never a separator: no identity to find in it
    return Value{std::move(text)};
  }
  // <dedupeBy> SEP <SystemModstamp> SEP <identity> (store::kStampIdentitySeparator; an absent
  // column has no part, an empty value an empty one; the identity always follows a separator):
  // the text order is the order of the tuple.
  for (int column : {stamp.dedupe, stamp.modstamp}) {
    if (column < 0) continue;
    appendEscaped(text, part(column));
    text += store::kStampIdentitySeparator;
  }
  if (text.empty()) text += store::kStampIdentitySeparator;
  text += stamp.rowIdentity ? rowHash(source) : part(stamp.id);
  return Value{std::move(text)};
}

}  // namespace sfsync::jobs
