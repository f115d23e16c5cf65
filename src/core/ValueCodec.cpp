#include "sfsync/core/ValueCodec.h"

#include <cstdint>
#include <cstring>

namespace sfsync {

namespace {

enum Tag : char { kNull = 0, kBool = 1, kInt = 2, kDouble = 3, kString = 4 };

template <class T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
bool get(std::string_view in, std::size_t& pos, T& v) {
  if (in.size() - pos < sizeof v) return false;
  std::memcpy(&v, in.data() + pos, sizeof v);
  pos += sizeof v;
  return true;
}

void appendValue(const Value& v, std::string& out) {
  if (std::holds_alternative<std::monostate>(v)) {
    out += kNull;
  } else if (const bool* b = std::get_if<bool>(&v)) {
    out += kBool;
    out += static_cast<char>(*b);
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&v)) {
    out += kInt;
    put(out, *i);
  } else if (const double* d = std::get_if<double>(&v)) {
    out += kDouble;
    put(out, *d);
  } else {
    const std::string& s = std::get<std::string>(v);
    out += kString;
    put(out, static_cast<std::uint32_t>(s.size()));
    out += s;
  }
}

bool readValue(std::string_view in, std::size_t& pos, Value& v) {
  char tag = 0;
  if (!get(in, pos, tag)) return false;
  switch (tag) {
    case kNull:
      v = Value{};
      return true;
    case kBool: {
      char b = 0;
      if (!get(in, pos, b)) return false;
      v = Value(b != 0);
      return true;
    }
    case kInt: {
      std::int64_t i = 0;
      if (!get(in, pos, i)) return false;
      v = Value(i);
      return true;
    }
    case kDouble: {
      double d = 0;
      if (!get(in, pos, d)) return false;
      v = Value(d);
      return true;
    }
    case kString: {
      std::uint32_t n = 0;
      if (!get(in, pos, n) || in.size() - pos < n) return false;
      v = Value(std::string(in.substr(pos, n)));
      pos += n;
      return true;
    }
  }
  return false;
}

}  // namespace

void appendRow(const std::vector<Value>& row, std::string& out) {
  put(out, static_cast<std::uint32_t>(row.size()));
  for (const Value& v : row) appendValue(v, out);
}

bool readRow(std::string_view in, std::size_t& pos, std::vector<Value>& row) {
  std::uint32_t n = 0;
  if (!get(in, pos, n) || n > in.size() - pos) return false;  // each value takes >= 1 byte
  row.resize(n);
  for (Value& v : row) {
    if (!readValue(in, pos, v)) return false;
  }
  return true;
}

}  // namespace sfsync
