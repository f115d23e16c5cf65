#include "admin/IsoTime.h"

#include <chrono>
#include <cstddef>

#include "sfsync/core/Clock.h"

namespace sfsync::admin {

namespace {

// Reads exactly `digits` decimal digits at `pos` (advancing it); nullopt otherwise.
std::optional<int> readNumber(std::string_view text, std::size_t& pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to year-month-day in the proleptic Gregorian calendar: whole 400-year eras
// (146097 days) plus the day within the era, counting years from March so the leap day comes last.
std::int64_t daysFromCivil(int year, int month, int day) {
  const int y = month <= 2 ? year - 1 : year;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yearOfEra = y - era * 400;
  const int monthFromMarch = month > 2 ? month - 3 : month + 9;
  const int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
  const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return static_cast<std::int64_t>(era) * 146097 + dayOfEra - 719468;
}

}  // namespace

std::optional<std::int64_t> parseIsoTime(std::string_view text) {
  std::size_t pos = 0;
  const auto expect = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  const std::optional<int> year = readNumber(text, pos, 4);
  if (!year || !expect('-')) return std::nullopt;
  const std::optional<int> month = readNumber(text, pos, 2);
  if (!month || *month < 1 || *month > 12 || !expect('-')) return std::nullopt;
  const std::optional<int> day = readNumber(text, pos, 2);
  if (!day || *day < 1 || *day > daysInMonth(*year, *month)) return std::nullopt;

  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
  std::int64_t offsetMinutes = 0;
  if (pos < text.size()) {
    if (!expect('T') && !expect('t') && !expect(' ')) return std::nullopt;
    const std::optional<int> h = readNumber(text, pos, 2);
    if (!h || *h > 23 || !expect(':')) return std::nullopt;
    const std::optional<int> m = readNumber(text, pos, 2);
    if (!m || *m > 59) return std::nullopt;
    hour = *h;
    minute = *m;
    if (expect(':')) {
      const std::optional<int> s = readNumber(text, pos, 2);
      if (!s || *s > 59) return std::nullopt;
      second = *s;
      if (expect('.')) {
        std::size_t digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (digits < 3) millis = millis * 10 + (text[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (std::size_t d = digits; d < 3; ++d) millis *= 10;
      }
    }
    if (expect('Z') || expect('z')) {
      // UTC
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      const std::optional<int> oh = readNumber(text, pos, 2);
      if (!oh || *oh > 23) return std::nullopt;
      expect(':');
      const std::optional<int> om = readNumber(text, pos, 2);
      if (!om || *om > 59) return std::nullopt;
      offsetMinutes = sign * (*oh * 60 + *om);
    }
  }
  if (pos != text.size()) return std::nullopt;
  const std::int64_t seconds = daysFromCivil(*year, *month, *day) * 86400 + hour * 3600 +
                               minute * 60 + second - offsetMinutes * 60;
  return seconds * 1000 + millis;
}

std::string formatIsoTime(std::int64_t epochMillis) {
  return formatIso8601(Clock::TimePoint(std::chrono::milliseconds(epochMillis)));
}

}  // namespace sfsync::admin
