// SimTime: the date and datetime codecs the simulator needs, in Salesforce's wire formats. Dates
// are kept as days since 1970-01-01 and datetimes as milliseconds since the epoch (UTC), so
// comparisons are integer comparisons. Output: date "2025-01-15", datetime
// "2025-01-15T10:30:00.000+0000". Input accepts what SOQL and seed files use: "2025-01-15",
// "2025-01-15T10:30:00Z", "2025-01-15T10:30:00.000+0000", "2025-01-15T10:30:00-08:00".
//
// Thread-safety: stateless; every function may be called from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sfsync::sim {

class SimTime {
 public:
  static std::int64_t daysFromCivil(int year, int month, int day);
  static void civilFromDays(std::int64_t days, int& year, int& month, int& day);

  // Exactly YYYY-MM-DD with a valid calendar date.
  static bool parseDate(std::string_view text, std::int64_t& days);
  // YYYY-MM-DDTHH:MM:SS[.fff][Z|+HHMM|+HH:MM|-...]; the zone is required.
  static bool parseDateTime(std::string_view text, std::int64_t& epochMs);

  static void appendDate(std::string& out, std::int64_t days);
  static void appendDateTime(std::string& out, std::int64_t epochMs);
  static std::string formatDate(std::int64_t days);
  static std::string formatDateTime(std::int64_t epochMs);

  static std::int64_t nowMs();
};

}  // namespace sfsync::sim
