#include "salesforce_sim/SimTime.h"

#include <chrono>

namespace sfsync::sim {
namespace {

constexpr std::int64_t kMsPerDay = 86400000;

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

bool parseDatePart(std::string_view text, std::int64_t& days) {
  int y = 0, m = 0, d = 0;
  if (text.size() < 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, m) ||
      text[7] != '-' || !digits(text, 8, 2, d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return false;
  days = SimTime::daysFromCivil(y, m, d);
  return true;
}

void append2(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

// Days <-> civil date by the era/day-of-era method (Hinnant's published calendar algorithm).
std::int64_t SimTime::daysFromCivil(int year, int month, int day) {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void SimTime::civilFromDays(std::int64_t days, int& year, int& month, int& day) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

bool SimTime::parseDate(std::string_view text, std::int64_t& days) {
  return text.size() == 10 && parseDatePart(text, days);
}

bool SimTime::parseDateTime(std::string_view text, std::int64_t& epochMs) {
  std::int64_t days = 0;
  if (!parseDatePart(text, days) || text.size() < 20 || text[10] != 'T') return false;
  int hh = 0, mi = 0, ss = 0;
  if (!digits(text, 11, 2, hh) || text[13] != ':' || !digits(text, 14, 2, mi) || text[16] != ':' ||
      !digits(text, 17, 2, ss) || hh > 23 || mi > 59 || ss > 59) {
    return false;
  }
  std::size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int scale = 100;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return false;
  }
  if (pos >= text.size()) return false;
  int offsetMinutes = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!digits(text, pos + 1, 2, oh)) return false;
    std::size_t p = pos + 3;
    if (p < text.size() && text[p] == ':') ++p;
    if (!digits(text, p, 2, om) || oh > 23 || om > 59) return false;
    offsetMinutes = sign * (oh * 60 + om);
    pos = p + 2;
  } else {
    return false;
  }
  if (pos != text.size()) return false;
  epochMs =
      days * kMsPerDay + (hh * 3600 + mi * 60 + ss) * 1000LL + millis - offsetMinutes * 60000LL;
  return true;
}

void SimTime::appendDate(std::string& out, std::int64_t days) {
  int y = 0, m = 0, d = 0;
  civilFromDays(days, y, m, d);
  if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;
  append2(out, y / 100);
  append2(out, y % 100);
  out.push_back('-');
  append2(out, m);
  out.push_back('-');
  append2(out, d);
}

void SimTime::appendDateTime(std::string& out, std::int64_t epochMs) {
  std::int64_t days = epochMs / kMsPerDay;
  std::int64_t rest = epochMs % kMsPerDay;
  if (rest < 0) {
    rest += kMsPerDay;
    --days;
  }
  appendDate(out, days);
  const int secs = static_cast<int>(rest / 1000);
  const int millis = static_cast<int>(rest % 1000);
  out.push_back('T');
  append2(out, secs / 3600);
  out.push_back(':');
  append2(out, secs / 60 % 60);
  out.push_back(':');
  append2(out, secs % 60);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + millis / 100));
  append2(out, millis % 100);
  out += "+0000";
}

std::string SimTime::formatDate(std::int64_t days) {
  std::string out;
  appendDate(out, days);
  return out;
}

std::string SimTime::formatDateTime(std::int64_t epochMs) {
  std::string out;
  appendDateTime(out, epochMs);
  return out;
}

std::int64_t SimTime::nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace sfsync::sim
