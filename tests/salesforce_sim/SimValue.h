// SimValue: one field value of a simulated record, as an owning value (SimValue, used while
// building and loading records) and as a non-owning view into a stored Row (CellView, used while
// querying). Dates are days since the epoch and datetimes epoch milliseconds (see SimTime); "time"
// fields and every text-like type are strings.
//
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sfsync::sim {

enum class ValueKind : std::uint8_t { Null, Bool, Int, Double, Date, DateTime, String };

struct SimValue {
  ValueKind kind = ValueKind::Null;
  bool b = false;
  std::int64_t i = 0;  // Int, Date (days), DateTime (epoch ms)
  double d = 0;
  std::string s;

  static SimValue null() { return {}; }
  static SimValue boolean(bool v) {
    SimValue x;
    x.kind = ValueKind::Bool;
    x.b = v;
    return x;
  }
  static SimValue integer(std::int64_t v) { return withInt(ValueKind::Int, v); }
  static SimValue date(std::int64_t days) { return withInt(ValueKind::Date, days); }
  static SimValue dateTime(std::int64_t ms) { return withInt(ValueKind::DateTime, ms); }
  static SimValue number(double v) {
    SimValue x;
    x.kind = ValueKind::Double;
    x.d = v;
    return x;
  }
  static SimValue string(std::string v) {
    SimValue x;
    x.kind = ValueKind::String;
    x.s = std::move(v);
    return x;
  }

 private:
  static SimValue withInt(ValueKind k, std::int64_t v) {
    SimValue x;
    x.kind = k;
    x.i = v;
    return x;
  }
};

struct CellView {
  ValueKind kind = ValueKind::Null;
  bool b = false;
  std::int64_t i = 0;
  double d = 0;
  std::string_view s;

  bool isNull() const { return kind == ValueKind::Null; }
};

}  // namespace sfsync::sim
