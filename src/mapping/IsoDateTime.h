// IsoDateTime: strict parsing of the ISO-8601 dates and datetimes Salesforce sends ("2025-01-15",
// "2025-01-15T10:30:00.000+0000", other offsets such as "Z", "+05:30", "-0800") and formatting of
// the store's canonical forms ("2025-01-15", "2025-01-15T10:30:00.000Z", always UTC). Calendar
// arithmetic is proleptic Gregorian for years 0001..9999; no time zone database is involved.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

namespace sfsync::mapping {

class IsoDateTime {
 public:
  // "YYYY-MM-DD" -> days since 1970-01-01. On failure returns false and sets `why`.
  static bool parseDate(const std::string& s, std::int64_t* days, std::string* why);
  // "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM[:SS[.fraction]]" followed by "Z", "+HH",
  // "+HHMM" or "+HH:MM" -> UTC milliseconds since the epoch. Fractions beyond milliseconds are
  // truncated. A datetime without an offset is rejected (its instant is unknown).
  static bool parseDateTime(const std::string& s, std::int64_t* utcMillis, std::string* why);

  static std::string formatDate(std::int64_t days);           // "YYYY-MM-DD"
  static std::string formatDateTime(std::int64_t utcMillis);  // "YYYY-MM-DDTHH:MM:SS.mmmZ"
  // A SOQL datetime literal, whole seconds (milliseconds dropped): "YYYY-MM-DDTHH:MM:SSZ".
  static std::string soqlDateTime(std::int64_t utcMillis);
  // Days since 1970-01-01 of the UTC date of an instant.
  static std::int64_t daysOf(std::int64_t utcMillis);
  // Whether utcMillis lies within years 0001..9999.
  static bool inRange(std::int64_t utcMillis);
};

}  // namespace sfsync::mapping
