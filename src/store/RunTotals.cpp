#include "sfsync/store/RunTotals.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <sstream>

namespace sfsync::store {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "2026-11-23T10:30:00.123Z" (formatIso8601) -> epoch milliseconds.
std::optional<std::int64_t> storeTimeMillis(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi, &s, &ms) <
      6) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  const std::int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms;
}

std::int64_t intField(const Poco::JSON::Object::Ptr& o, const std::string& key, std::int64_t def) {
  return o->has(key) ? o->getValue<std::int64_t>(key) : def;
}

}  // namespace

std::optional<std::int64_t> isoDurationMillis(const std::string& start, const std::string& end) {
  const std::optional<std::int64_t> a = storeTimeMillis(start);
  const std::optional<std::int64_t> b = storeTimeMillis(end);
  if (!a || !b || *b < *a) return std::nullopt;
  return *b - *a;
}

std::string runTotalsKey(const std::string& kind, const std::string& name) {
  return std::string(kRunTotalsPrefix) + kind + "/" + name;
}

void RunTotals::addExecution(const ExecutionRecord& r) {
  ++runs[r.status];
  const std::int64_t counts[] = {r.recordsRead, r.created, r.updated,
                                 r.skipped,     r.failed,  r.deleted};
  for (std::size_t i = 0; i < records.size(); ++i) records[i] += counts[i];
  apiCalls += r.apiCalls;
  if (r.status == "Success" && r.endTime > lastSuccess) lastSuccess = r.endTime;
  if (r.status == "Partial Success" && r.endTime > lastPartialSuccess) {
    lastPartialSuccess = r.endTime;
  }
  const std::optional<std::int64_t> millis = isoDurationMillis(r.startTime, r.endTime);
  if (!millis) return;  // a Skipped row without times: counted as a run, not as a duration
  std::size_t bucket = 0;
  while (bucket < kDurationBuckets.size() &&
         static_cast<double>(*millis) > kDurationBuckets[bucket] * 1000.0) {
    ++bucket;
  }
  ++durationBuckets[bucket];
  durationMillis += *millis;
}

void RunTotals::addConnectionUse(const ExecutionRecord& r) {
  apiCalls += r.apiCalls;
  if (r.apiRemaining >= 0) apiRemaining = r.apiRemaining;
}

std::string RunTotals::toJson() const {
  Poco::JSON::Object o;
  Poco::JSON::Object::Ptr runsObject = new Poco::JSON::Object;
  for (const auto& [status, n] : runs) runsObject->set(status, n);
  o.set("runs", runsObject);
  Poco::JSON::Array::Ptr recordArray = new Poco::JSON::Array;
  for (std::int64_t n : records) recordArray->add(n);
  o.set("records", recordArray);
  Poco::JSON::Array::Ptr bucketArray = new Poco::JSON::Array;
  for (std::int64_t n : durationBuckets) bucketArray->add(n);
  o.set("durationBuckets", bucketArray);
  o.set("durationMillis", durationMillis);
  o.set("apiCalls", apiCalls);
  o.set("apiRemaining", apiRemaining);
  o.set("lastSuccess", lastSuccess);
  o.set("lastPartialSuccess", lastPartialSuccess);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

Result<RunTotals> RunTotals::fromJson(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr o = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    RunTotals t;
    if (Poco::JSON::Object::Ptr runs = o->getObject("runs")) {
      for (const auto& [status, n] : *runs) t.runs[status] = n.convert<std::int64_t>();
    }
    Poco::JSON::Array::Ptr recordArray = o->getArray("records");
    for (std::size_t i = 0; recordArray && i < t.records.size() && i < recordArray->size(); ++i) {
      t.records[i] = recordArray->getElement<std::int64_t>(static_cast<unsigned>(i));
    }
    Poco::JSON::Array::Ptr buckets = o->getArray("durationBuckets");
    for (std::size_t i = 0; buckets && i < t.durationBuckets.size() && i < buckets->size(); ++i) {
      t.durationBuckets[i] = buckets->getElement<std::int64_t>(static_cast<unsigned>(i));
    }
    t.durationMillis = intField(o, "durationMillis", 0);
    t.apiCalls = intField(o, "apiCalls", 0);
    t.apiRemaining = intField(o, "apiRemaining", -1);
    t.lastSuccess = o->optValue<std::string>("lastSuccess", "");
    t.lastPartialSuccess = o->optValue<std::string>("lastPartialSuccess", "");
    return t;
  } catch (const Poco::Exception& e) {
    return Status::DataError("run totals are not valid JSON: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::DataError(std::string("run totals are not valid JSON: ") + e.what());
  }
}

}  // namespace sfsync::store
