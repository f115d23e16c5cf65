// IsoTime: strict ISO-8601 parsing for the API's time parameters (since, until) and for the
// activity rows' times (durations, metrics), to and from milliseconds since the Unix epoch (UTC).
//
// Accepted: "2026-03-01" (midnight UTC), "2026-03-01T10:30", "2026-03-01T10:30:15",
// "2026-03-01T10:30:15.123" - each optionally followed by "Z" or an offset "+02:00" / "-0500"; a
// time without a zone is UTC; a space may stand for the "T". Fractions beyond milliseconds are
// truncated. Anything else (a bad field, 2026-02-30, trailing text) is rejected.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sfsync::admin {

// Milliseconds since 1970-01-01T00:00:00Z, or nullopt when `text` is not accepted (see above).
std::optional<std::int64_t> parseIsoTime(std::string_view text);

// "2026-03-01T10:30:15.123Z": the form the store keeps times in (formatIso8601), so that times
// compare correctly as strings.
std::string formatIsoTime(std::int64_t epochMillis);

}  // namespace sfsync::admin
