#include "sfsync/scheduling/CronExpression.h"

#include <cctype>
#include <cstdint>
#include <optional>
#include <sstream>
#include <vector>

#include <cctz/civil_time.h>

namespace sfsync::scheduling {

namespace {

// One of the five fields: its position, name, value range and accepted names (index = value).
struct FieldSpec {
  int number;  // 1-based position, used in messages
  const char* name;
  int lo;
  int hi;
  const std::vector<std::string>* names;  // nullptr when the field takes numbers only
  const char* namesHint;                  // e.g. "month name (JAN-DEC)"
};

const std::vector<std::string> kMonthNames = {"",    "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                              "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const std::vector<std::string> kDayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

const FieldSpec kFields[5] = {
    {1, "minute", 0, 59, nullptr, nullptr},
    {2, "hour", 0, 23, nullptr, nullptr},
    {3, "day-of-month", 1, 31, nullptr, nullptr},
    {4, "month", 1, 12, &kMonthNames, "month name (JAN-DEC)"},
    {5, "day-of-week", 0, 7, &kDayNames, "day name (SUN-SAT)"},
};

// Parses one field into a bit mask over [spec.lo, spec.hi] (bit v = value v).
class FieldParser {
 public:
  explicit FieldParser(const FieldSpec& spec) : spec_(spec) {}

  // On success returns OK and sets *mask; otherwise an error message without the field prefix.
  std::string parse(const std::string& text, std::uint64_t* mask) const {
    *mask = 0;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = text.find(',', start);
      const std::string element =
          text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (element.empty()) return "empty list element in '" + text + "'";
      std::string err = parseElement(element, mask);
      if (!err.empty()) return err;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return "";
  }

 private:
  std::string parseElement(const std::string& element, std::uint64_t* mask) const {
    std::string base = element;
    int step = 1;
    const std::size_t slash = element.find('/');
    if (slash != std::string::npos) {
      base = element.substr(0, slash);
      const std::string stepText = element.substr(slash + 1);
      const std::optional<int> s = number(stepText);
      if (!s) return "'" + stepText + "' is not a valid step in '" + element + "'";
      const int maxStep = spec_.hi - spec_.lo;
      if (*s < 1 || *s > maxStep) {
        return "step " + std::to_string(*s) + " is out of range 1-" + std::to_string(maxStep);
      }
      step = *s;
      if (base != "*" && base.find('-') == std::string::npos) {
        return "'" + element + "' needs '*' or a range before '/'";
      }
    }

    int first = spec_.lo;
    int last = spec_.hi;
    if (base != "*") {
      const std::size_t dash = base.find('-');
      if (dash == std::string::npos) {
        std::string err = value(base, &first);
        if (!err.empty()) return err;
        last = first;
      } else {
        const std::string a = base.substr(0, dash);
        const std::string b = base.substr(dash + 1);
        if (a.empty() || b.empty()) return "'" + base + "' is not a valid range";
        std::string err = value(a, &first);
        if (err.empty()) err = value(b, &last);
        if (!err.empty()) return err;
        if (first > last) {
          return "range " + base + " is backwards (the start must not be after the end)";
        }
      }
    }
    for (int v = first; v <= last; v += step) *mask |= std::uint64_t{1} << v;
    return "";
  }

  // A number or (for month and day-of-week) a name, checked against the field's range.
  std::string value(const std::string& text, int* out) const {
    if (const std::optional<int> n = number(text)) {
      if (*n < spec_.lo || *n > spec_.hi) {
        return std::to_string(*n) + " is out of range " + std::to_string(spec_.lo) + "-" +
               std::to_string(spec_.hi);
      }
      *out = *n;
      return "";
    }
    if (spec_.names != nullptr) {
      std::string upper;
      for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      for (std::size_t i = 0; i < spec_.names->size(); ++i) {
        if (!(*spec_.names)[i].empty() && (*spec_.names)[i] == upper) {
          *out = static_cast<int>(i);
          return "";
        }
      }
      return "'" + text + "' is not a number or " + spec_.namesHint;
    }
    return "'" + text + "' is not a number";
  }

  // Decimal digits only (at most 4, so no overflow); nullopt otherwise.
  static std::optional<int> number(const std::string& text) {
    if (text.empty() || text.size() > 4) return std::nullopt;
    int n = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n;
  }

  const FieldSpec& spec_;
};

template <std::size_t N>
std::bitset<N> toBits(std::uint64_t mask) {
  std::bitset<N> bits;
  for (std::size_t i = 0; i < N; ++i) bits[i] = ((mask >> i) & 1U) != 0;
  return bits;
}

}  // namespace

Result<CronExpression> CronExpression::parse(const std::string& expr) {
  std::istringstream in(expr);
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() != 5) {
    return Status::InvalidArgument(
        "expected 5 fields (minute hour day-of-month month day-of-week), got " +
        std::to_string(fields.size()));
  }

  std::uint64_t masks[5] = {};
  for (int i = 0; i < 5; ++i) {
    const std::string err = FieldParser(kFields[i]).parse(fields[i], &masks[i]);
    if (!err.empty()) {
      return Status::InvalidArgument("field " + std::to_string(kFields[i].number) + " (" +
                                     kFields[i].name + "): " + err);
    }
  }
  // Day-of-week 7 is Sunday.
  if ((masks[4] >> 7) & 1U) masks[4] = (masks[4] | 1U) & ~(std::uint64_t{1} << 7);

  CronExpression e;
  e.text_ = fields[0] + " " + fields[1] + " " + fields[2] + " " + fields[3] + " " + fields[4];
  e.minutes_ = toBits<60>(masks[0]);
  e.hours_ = toBits<24>(masks[1]);
  e.daysOfMonth_ = toBits<32>(masks[2]);
  e.months_ = toBits<13>(masks[3]);
  e.daysOfWeek_ = toBits<7>(masks[4]);
  e.dayOfMonthRestricted_ = fields[2][0] != '*';
  e.dayOfWeekRestricted_ = fields[4][0] != '*';
  return e;
}

bool CronExpression::matchesDate(int year, int month, int day) const {
  if (!months_[month]) return false;
  const bool dom = daysOfMonth_[day];
  const int weekday = static_cast<int>(cctz::get_weekday(cctz::civil_day(year, month, day)));
  // cctz::weekday runs monday = 0 .. sunday = 6; cron runs Sunday = 0 .. Saturday = 6.
  const bool dow = daysOfWeek_[(weekday + 1) % 7];
  if (dayOfMonthRestricted_ && dayOfWeekRestricted_) return dom || dow;
  return dom && dow;
}

bool CronExpression::matches(int year, int month, int day, int hour, int minute) const {
  return minutes_[minute] && hours_[hour] && matchesDate(year, month, day);
}

}  // namespace sfsync::scheduling
