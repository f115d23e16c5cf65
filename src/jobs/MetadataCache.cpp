#include "sfsync/jobs/MetadataCache.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Logger.h>

#include "sfsync/salesforce/DescribeCodec.h"

namespace sfsync::jobs {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("sfsync.metadata"); }

std::optional<Clock::TimePoint> parseTime(const std::string& iso) {
  Poco::DateTime parsed;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, iso, parsed,
                                      tzd)) {
    return std::nullopt;
  }
  parsed.makeUTC(tzd);
  return Clock::TimePoint(std::chrono::microseconds(parsed.timestamp().epochMicroseconds()));
}

}  // namespace

MetadataCache::MetadataCache(store::Store& store, Clock& clock, std::string connection,
                             int refreshDays)
    : store_(store),
      clock_(clock),
      connection_(std::move(connection)),
      maxAge_(std::chrono::hours(24) * refreshDays) {}

std::optional<MetadataCache::Entry> MetadataCache::load(const std::string& object) {
  Result<std::optional<store::MetadataEntry>> row = store_.getMetadata(connection_, object);
  if (!row.ok()) {
    logger().warning("cannot read the cached describe of %s/%s: %s", connection_, object,
                     row.status().toString());
    return std::nullopt;
  }
  if (!row->has_value()) return std::nullopt;
  Result<salesforce::ObjectDescribe> decoded =
      salesforce::DescribeCodec::decode((*row)->describeJson);
  std::optional<Clock::TimePoint> at = parseTime((*row)->fetchedAt);
  if (!decoded.ok() || !at) {
    logger().warning("ignoring the unreadable cached describe of %s/%s", connection_, object);
    return std::nullopt;
  }
  return Entry{std::move(decoded).value(), *at};
}

bool MetadataCache::fresh(Clock::TimePoint fetchedAt) const {
  return clock_.now() - fetchedAt < maxAge_;
}

void MetadataCache::save(const salesforce::ObjectDescribe& describe) {
  store::MetadataEntry entry;
  entry.connection = connection_;
  entry.object = describe.name;
  entry.describeJson = salesforce::DescribeCodec::encode(describe);
  entry.fetchedAt = formatIso8601(clock_.now());
  Status saved = store_.putMetadata(entry);
  if (!saved.ok()) {
    logger().warning("cannot cache the describe of %s/%s: %s", connection_, describe.name,
                     saved.toString());
  }
}

Result<salesforce::ObjectDescribe> MetadataCache::describe(salesforce::SalesforceClient& client,
                                                           const std::string& object) {
  Result<FetchedDescribe> found = lookup(client, object);
  if (!found.ok()) return found.status();
  return std::move(found->current);
}

Result<FetchedDescribe> MetadataCache::lookup(salesforce::SalesforceClient& client,
                                              const std::string& object) {
  return lookupWith([&](const std::string& o) { return client.describe(o); }, object);
}

Result<FetchedDescribe> MetadataCache::fetch(salesforce::SalesforceClient& client,
                                             const std::string& object) {
  return fetchWith([&](const std::string& o) { return client.describe(o); }, object);
}

Result<FetchedDescribe> MetadataCache::lookup(source::ConnectionSources& sources,
                                              const std::string& object) {
  return lookupWith([&](const std::string& o) { return sources.describe(o); }, object);
}

Result<FetchedDescribe> MetadataCache::fetch(source::ConnectionSources& sources,
                                             const std::string& object) {
  return fetchWith([&](const std::string& o) { return sources.describe(o); }, object);
}

Result<FetchedDescribe> MetadataCache::lookupWith(const Describer& describe,
                                                  const std::string& object) {
  std::optional<Entry> entry = load(object);
  if (entry && fresh(entry->fetchedAt)) {
    return FetchedDescribe{std::move(entry->describe), std::nullopt, true};
  }
  return fetchWith(describe, object);
}

Result<FetchedDescribe> MetadataCache::fetchWith(const Describer& describe,
                                                 const std::string& object) {
  std::optional<Entry> before = load(object);
  Result<salesforce::ObjectDescribe> live = describe(object);
  if (!live.ok()) return live.status();
  if (live->name.empty()) live->name = object;
  save(*live);
  FetchedDescribe out{std::move(live).value(), std::nullopt};
  if (before) out.previous = std::move(before->describe);
  return out;
}

std::optional<salesforce::ObjectDescribe> MetadataCache::cached(const std::string& object) {
  std::optional<Entry> entry = load(object);
  if (!entry) return std::nullopt;
  return std::move(entry->describe);
}

bool MetadataCache::anyDue() {
  Result<std::vector<store::MetadataEntry>> rows = store_.listMetadata(connection_);
  if (!rows.ok()) return true;
  for (const store::MetadataEntry& row : *rows) {
    std::optional<Clock::TimePoint> at = parseTime(row.fetchedAt);
    if (!at || !fresh(*at)) return true;
  }
  return false;
}

}  // namespace sfsync::jobs
