#include "mapping/IsoDateTime.h"

#include <cstdio>

namespace sfsync::mapping {

namespace {

constexpr std::int64_t kMillisPerDay = 86'400'000;
constexpr int kCumulativeDays[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

bool isLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(std::int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// Days from 0001-01-01 to y-m-d (y >= 1): whole years, their leap days, then months and days.
std::int64_t daysSinceYearOne(std::int64_t y, int m, int d) {
  const std::int64_t prior = y - 1;
  std::int64_t days = prior * 365 + prior / 4 - prior / 100 + prior / 400;
  days += kCumulativeDays[m - 1] + (m > 2 && isLeap(y) ? 1 : 0);
  return days + d - 1;
}

const std::int64_t kEpochFromYearOne = daysSinceYearOne(1970, 1, 1);
const std::int64_t kMinMillis = (daysSinceYearOne(1, 1, 1) - kEpochFromYearOne) * kMillisPerDay;
const std::int64_t kEndMillis = (daysSinceYearOne(10000, 1, 1) - kEpochFromYearOne) * kMillisPerDay;

void civilFromDays(std::int64_t epochDays, std::int64_t* y, int* m, int* d) {
  const std::int64_t n = epochDays + kEpochFromYearOne;  // days since 0001-01-01
  std::int64_t year = n * 400 / 146097 + 1;              // 146097 days per 400 years; close guess
  while (daysSinceYearOne(year, 1, 1) > n) --year;
  while (daysSinceYearOne(year + 1, 1, 1) <= n) ++year;
  int dayOfYear = static_cast<int>(n - daysSinceYearOne(year, 1, 1));
  int month = 1;
  while (month < 12 && dayOfYear >= daysInMonth(year, month))
    dayOfYear -= daysInMonth(year, month++);
  *y = year;
  *m = month;
  *d = dayOfYear + 1;
}

// Reads exactly `count` digits at `pos`.
bool digits(const std::string& s, std::size_t pos, std::size_t count, int* out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// The "YYYY-MM-DD" prefix of `s`; `why` explains a failure.
bool parseDatePart(const std::string& s, std::int64_t* days, std::string* why) {
  int y = 0, m = 0, d = 0;
  if (!digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, &m) || s[7] != '-' ||
      !digits(s, 8, 2, &d)) {
    *why = "expected YYYY-MM-DD";
    return false;
  }
  if (y < 1) {
    *why = "year out of range";
    return false;
  }
  if (m < 1 || m > 12) {
    *why = "month out of range";
    return false;
  }
  if (d < 1 || d > daysInMonth(y, m)) {
    *why = "day out of range";
    return false;
  }
  *days = daysSinceYearOne(y, m, d) - kEpochFromYearOne;
  return true;
}

}  // namespace

bool IsoDateTime::parseDate(const std::string& s, std::int64_t* days, std::string* why) {
  if (!parseDatePart(s, days, why)) return false;
  if (s.size() != 10) {
    *why = "expected YYYY-MM-DD";
    return false;
  }
  return true;
}

bool IsoDateTime::parseDateTime(const std::string& s, std::int64_t* utcMillis, std::string* why) {
  std::int64_t days = 0;
  if (!parseDatePart(s, &days, why)) return false;
  if (s.size() == 10) {
    *utcMillis = days * kMillisPerDay;
    return true;
  }
  const std::string expected = "expected YYYY-MM-DDTHH:MM:SS[.sss] with Z or a +HH:MM offset";
  int hh = 0, mi = 0, ss = 0, millis = 0;
  std::size_t pos = 11;
  if (s[10] != 'T' || !digits(s, 11, 2, &hh) || pos + 2 >= s.size() || s[13] != ':' ||
      !digits(s, 14, 2, &mi)) {
    *why = expected;
    return false;
  }
  pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, &ss)) {
      *why = expected;
      return false;
    }
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      const std::size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (pos - start < 3) millis = millis * 10 + (s[pos] - '0');
        ++pos;
      }
      const std::size_t count = pos - start;
      if (count == 0 || count > 9) {
        *why = expected;
        return false;
      }
      for (std::size_t i = count; i < 3; ++i) millis *= 10;
    }
  }
  if (hh > 23 || mi > 59 || ss > 59) {
    *why = "time out of range";
    return false;
  }
  // Offset.
  int offsetMinutes = 0;
  if (pos < s.size() && s[pos] == 'Z' && pos + 1 == s.size()) {
    offsetMinutes = 0;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    const std::size_t rest = s.size() - pos - 1;
    bool ok = digits(s, pos + 1, 2, &oh);
    if (ok && rest == 2) {
      om = 0;
    } else if (ok && rest == 4) {
      ok = digits(s, pos + 3, 2, &om);
    } else if (ok && rest == 5 && s[pos + 3] == ':') {
      ok = digits(s, pos + 4, 2, &om);
    } else {
      ok = false;
    }
    if (!ok) {
      *why = expected;
      return false;
    }
    if (oh > 23 || om > 59) {
      *why = "offset out of range";
      return false;
    }
    offsetMinutes = sign * (oh * 60 + om);
  } else {
    *why = pos >= s.size() ? "missing time zone offset (Z or +HH:MM)" : expected;
    return false;
  }
  const std::int64_t local = days * kMillisPerDay + ((hh * 60 + mi) * 60 + ss) * 1000LL + millis;
  *utcMillis = local - offsetMinutes * 60'000LL;
  if (!inRange(*utcMillis)) {
    *why = "year out of range";
    return false;
  }
  return true;
}

bool IsoDateTime::inRange(std::int64_t utcMillis) {
  return utcMillis >= kMinMillis && utcMillis < kEndMillis;
}

std::int64_t IsoDateTime::daysOf(std::int64_t utcMillis) {
  std::int64_t days = utcMillis / kMillisPerDay;
  if (utcMillis % kMillisPerDay < 0) --days;  // floor for instants before 1970
  return days;
}

std::string IsoDateTime::formatDate(std::int64_t days) {
  std::int64_t y = 0;
  int m = 0, d = 0;
  civilFromDays(days, &y, &m, &d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), m, d);
  return buf;
}

std::string IsoDateTime::formatDateTime(std::int64_t utcMillis) {
  const std::int64_t days = daysOf(utcMillis);
  const std::int64_t ms = utcMillis - days * kMillisPerDay;
  const int hh = static_cast<int>(ms / 3'600'000);
  const int mi = static_cast<int>(ms / 60'000 % 60);
  const int ss = static_cast<int>(ms / 1000 % 60);
  const int milli = static_cast<int>(ms % 1000);
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.%03dZ", hh, mi, ss, milli);
  return formatDate(days) + buf;
}

std::string IsoDateTime::soqlDateTime(std::int64_t utcMillis) {
  return formatDateTime(utcMillis).substr(0, 19) + "Z";
}

}  // namespace sfsync::mapping
