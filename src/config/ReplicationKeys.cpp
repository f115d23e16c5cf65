#include "config/ReplicationKeys.h"

#include <limits>

namespace sfsync::config::replication_keys {

namespace {

std::int64_t unitSeconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    default:
      return 0;
  }
}

// Reads `key` as a duration in [min, max] seconds; nullopt (after reporting) when it is not one.
std::optional<std::int64_t> readDuration(JsonObjectReader& in, const std::string& key,
                                         std::int64_t min, std::int64_t max) {
  const auto s = in.getString(key, Presence::kOptional, /*allowEmpty=*/true);
  if (!s) return std::nullopt;
  const std::string range =
      "from \"" + formatDuration(min) + "\" to \"" + formatDuration(max) + "\"";
  const auto seconds = parseDuration(*s);
  if (!seconds) {
    in.problems().add(in.pathOf(key), "expected a duration " + range +
                                          " (a whole number and one unit: s, m, h or d, e.g. "
                                          "\"5m\"), found '" +
                                          *s + "'");
    return std::nullopt;
  }
  if (*seconds < min || *seconds > max) {
    in.problems().add(in.pathOf(key), "expected a duration " + range + ", found '" + *s + "'");
    return std::nullopt;
  }
  return seconds;
}

void readMassDeletePercent(JsonObjectReader& in, JobConfig& job) {
  const auto raw = in.getRaw("massDeletePercent");
  if (!raw) return;
  const std::string expected = "expected a number greater than 0 and at most 100";
  if (raw->isEmpty() || raw->isBoolean() || raw->isString() || !raw->isNumeric()) {
    in.problems().add(in.pathOf("massDeletePercent"),
                      expected + ", found " + JsonObjectReader::kindOf(*raw));
    return;
  }
  const double value = raw->convert<double>();
  if (!(value > 0.0 && value <= 100.0)) {
    in.problems().add(in.pathOf("massDeletePercent"),
                      expected + ", found " + raw->convert<std::string>());
    return;
  }
  job.massDeletePercent = value;
}

}  // namespace

std::optional<std::int64_t> parseDuration(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  const std::int64_t unit = unitSeconds(text.back());
  if (unit == 0) return std::nullopt;
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (n > (std::numeric_limits<std::int64_t>::max() / unit - (c - '0')) / 10) {
      return std::nullopt;
    }
    n = n * 10 + (c - '0');
  }
  return n * unit;
}

std::string formatDuration(std::int64_t seconds) {
  for (const char unit : {'d', 'h', 'm'}) {
    const std::int64_t u = unitSeconds(unit);
    if (seconds != 0 && seconds % u == 0) return std::to_string(seconds / u) + unit;
  }
  return std::to_string(seconds) + "s";
}

void readSourceKeys(JsonObjectReader& src, JobConfig& job) {
  if (const auto mode =
          src.getChoice("mode", Presence::kOptional, "source mode", {"incremental", "full"})) {
    job.mode = *mode == 0 ? SourceMode::kIncremental : SourceMode::kFull;
  }
  if (const auto api =
          src.getChoice("api", Presence::kOptional, "source api", {"auto", "rest", "bulk"})) {
    job.api = *api == 0 ? SourceApi::kAuto : (*api == 1 ? SourceApi::kRest : SourceApi::kBulk);
  }
  if (const auto overlap = readDuration(src, "overlap", 0, kMaxOverlapSeconds)) {
    job.overlapSeconds = *overlap;
  }
}

void readJobKeys(JsonObjectReader& in, JobConfig& job) {
  if (const auto n = in.getInteger("bulkThreshold", Presence::kOptional, 0, kMaxBulkThreshold)) {
    job.bulkThreshold = *n;
  }
  if (const auto n = in.getInteger("dryRunMaxRecords", Presence::kOptional, 1,
                                   salesforce::kMaxDryRunRecords)) {
    job.dryRunMaxRecords = *n;
  }
  if (const auto policy = in.getChoice("onSourceDelete", Presence::kOptional, "delete policy",
                                       {"ignore", "markDeleted", "delete"})) {
    job.onSourceDelete = *policy == 0   ? DeletePolicy::kIgnore
                         : *policy == 1 ? DeletePolicy::kMarkDeleted
                                        : DeletePolicy::kDelete;
  }
  readMassDeletePercent(in, job);
  const auto refresh =
      readDuration(in, "refreshCalculatedEvery", kMinRefreshSeconds, kMaxRefreshSeconds);
  if (refresh) job.refreshCalculatedEverySeconds = *refresh;
}

}  // namespace sfsync::config::replication_keys
