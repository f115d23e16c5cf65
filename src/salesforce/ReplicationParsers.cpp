#include "salesforce/ReplicationParsers.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>

#include "salesforce/JsonFields.h"

namespace sfsync::salesforce {

namespace {

Result<Poco::JSON::Object::Ptr> parseObject(const std::string& body, const std::string& what) {
  Poco::JSON::Object::Ptr obj;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) obj = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return Status::DataError(what + " is not valid JSON: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::DataError(what + " is not valid JSON: " + e.what());
  }
  if (!obj) return Status::DataError(what + " is not a JSON object");
  return obj;
}

bool isString(const Poco::JSON::Object& obj, const std::string& key) {
  try {
    const Poco::Dynamic::Var v = obj.get(key);
    return !v.isEmpty() && v.isString();
  } catch (...) {
    return false;
  }
}

bool parseInt(std::string_view text, std::int64_t& out) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace

bool ReplicationParsers::isSalesforceId(const std::string& id) {
  return (id.size() == 15 || id.size() == 18) && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
         });
}

Result<BulkQueryJob> ReplicationParsers::bulkJob(const std::string& body) {
  Result<Poco::JSON::Object::Ptr> obj = parseObject(body, "Bulk job info");
  if (!obj.ok()) return obj.status();
  const Poco::JSON::Object& o = *obj.value();
  if (!isString(o, "id") || !isString(o, "state")) {
    return Status::DataError("Bulk job info lacks a string \"id\" or \"state\"");
  }
  BulkQueryJob job;
  job.id = json::getString(o, "id");
  job.state = json::getString(o, "state");
  job.numberRecordsProcessed = json::getInt(o, "numberRecordsProcessed");
  job.errorMessage = json::getString(o, "errorMessage");
  if (!isSalesforceId(job.id)) {
    return Status::DataError("Bulk job info has an invalid job id (15 or 18 letters and digits)");
  }
  return job;
}

Result<DeletedRecords> ReplicationParsers::deleted(const std::string& body) {
  Result<Poco::JSON::Object::Ptr> obj = parseObject(body, "deleted records body");
  if (!obj.ok()) return obj.status();
  const Poco::JSON::Object& o = *obj.value();
  Poco::JSON::Array::Ptr records;
  try {
    records = o.getArray("deletedRecords");
  } catch (...) {
  }
  if (!records) return Status::DataError("deleted records body lacks \"deletedRecords\"");
  DeletedRecords out;
  out.earliestDateAvailable = json::getString(o, "earliestDateAvailable");
  out.latestDateCovered = json::getString(o, "latestDateCovered");
  out.records.reserve(records->size());
  for (std::size_t i = 0; i < records->size(); ++i) {
    Poco::JSON::Object::Ptr r;
    try {
      r = records->getObject(static_cast<unsigned>(i));
    } catch (...) {
    }
    if (!r || !isSalesforceId(json::getString(*r, "id"))) {
      return Status::DataError("deleted record " + std::to_string(i) + " has no valid \"id\"");
    }
    out.records.emplace_back(json::getString(*r, "id"), json::getString(*r, "deletedDate"));
  }
  return out;
}

Result<OrgLimits> ReplicationParsers::limits(const std::string& body) {
  Result<Poco::JSON::Object::Ptr> obj = parseObject(body, "limits body");
  if (!obj.ok()) return obj.status();
  Poco::JSON::Object::Ptr daily;
  try {
    daily = obj.value()->getObject("DailyApiRequests");
  } catch (...) {
  }
  if (!daily) return Status::DataError("limits body lacks \"DailyApiRequests\"");
  OrgLimits out;
  out.dailyApiRequestsMax = json::getInt(*daily, "Max", -1);
  out.dailyApiRequestsRemaining = json::getInt(*daily, "Remaining", -1);
  if (out.dailyApiRequestsMax < 0 || out.dailyApiRequestsRemaining < 0) {
    return Status::DataError(
        "limits body: DailyApiRequests lacks a valid \"Max\" or \"Remaining\"");
  }
  return out;
}

bool ReplicationParsers::apiUsage(std::string_view header, std::int64_t& used, std::int64_t& max) {
  constexpr std::string_view kKey = "api-usage=";
  std::size_t at = 0;
  for (;;) {
    at = header.find(kKey, at);
    if (at == std::string_view::npos) return false;
    // Only the item itself, not "per-app-api-usage=".
    if (at == 0 || header[at - 1] == ' ' || header[at - 1] == ',') break;
    at += kKey.size();
  }
  std::string_view item = header.substr(at + kKey.size());
  item = item.substr(0, item.find_first_of(", ;("));
  const std::size_t slash = item.find('/');
  if (slash == std::string_view::npos) return false;
  std::int64_t u = 0;
  std::int64_t m = 0;
  if (!parseInt(item.substr(0, slash), u) || !parseInt(item.substr(slash + 1), m)) return false;
  if (u < 0 || m <= 0) return false;
  used = u;
  max = m;
  return true;
}

}  // namespace sfsync::salesforce
