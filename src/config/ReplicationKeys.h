// ReplicationKeys: reads the replication keys of a job file (issue 10) - "source.mode",
// "source.api", "source.overlap", top-level "bulkThreshold", "onSourceDelete", "massDeletePercent"
// and "refreshCalculatedEvery" - and the durations they use ("300s", "5m", "12h", "7d": a whole
// number and one unit). Problems are reported at the key's JSON path; absent keys keep the
// JobConfig defaults.
//
// Thread-safety: stateless functions; each call uses only its arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/JsonObjectReader.h"
#include "sfsync/config/Config.h"

namespace sfsync::config::replication_keys {

inline constexpr std::int64_t kMaxOverlapSeconds = 24 * 3600;          // "24h"
inline constexpr std::int64_t kMinRefreshSeconds = 3600;               // "1h"
inline constexpr std::int64_t kMaxRefreshSeconds = 365ll * 24 * 3600;  // "365d"
inline constexpr std::int64_t kMaxBulkThreshold = 1000000000000ll;     // 10^12 records

// "300s" -> 300, "5m" -> 300, "12h", "7d"; nullopt for anything else (blanks, signs, fractions,
// several units, overflow).
std::optional<std::int64_t> parseDuration(const std::string& text);
// 300 -> "5m", 90 -> "90s", 86400 -> "1d": the largest unit that divides exactly.
std::string formatDuration(std::int64_t seconds);

// The keys inside "source" (`src` reads the "source" object).
void readSourceKeys(JsonObjectReader& src, JobConfig& job);
// The top-level keys (`in` reads the job's root object).
void readJobKeys(JsonObjectReader& in, JobConfig& job);

}  // namespace sfsync::config::replication_keys
