#include "salesforce_sim/CollectionsEndpoint.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>

#include <sstream>

#include "salesforce_sim/JsonText.h"
#include "salesforce_sim/RecordWrites.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/WriteError.h"

namespace sfsync::sim {
namespace {

using Poco::Net::HTTPRequest;

std::string jsonOf(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "null";
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out);
  return out.str();
}

bool sameValue(const SimValue& a, const SimValue& b) {
  if (a.kind != b.kind) return false;
  return a.b == b.b && a.i == b.i && a.d == b.d && a.s == b.s;
}

// The fields of a collections record without "attributes" and "id".
Poco::JSON::Object fieldsOf(const Poco::JSON::Object& record) {
  Poco::JSON::Object out;
  for (const auto& [key, value] : record) {
    if (key == "attributes" || key == "id" || key == "Id") continue;
    out.set(key, value);
  }
  return out;
}

// The Id of the live record of `table` whose field `k` equals `value`, or "".
std::string findByField(const RecordTable& table, int k, const SimValue& value) {
  for (const RowPtr& row : table.rows()) {
    const std::vector<SimValue> values = row->toValues();
    const int del = table.schema().isDeletedField();
    if (del >= 0 && values[del].kind == ValueKind::Bool && values[del].b) continue;
    if (sameValue(values[k], value)) return values[table.schema().idField()].s;
  }
  return "";
}

void appendResult(std::string& out, const std::string& id, bool created, const WriteError* e) {
  out += "{\"id\":";
  if (id.empty()) {
    out += "null";
  } else {
    JsonText::appendString(out, id);
  }
  out += e ? ",\"success\":false,\"errors\":[" : ",\"success\":true,\"errors\":[";
  if (e) {
    out += "{\"statusCode\":";
    JsonText::appendString(out, e->errorCode());
    out += ",\"message\":";
    JsonText::appendString(out, e->what());
    out += ",\"fields\":[]}";
  }
  out += "],\"created\":";
  out += created ? "true}" : "false}";
}

}  // namespace

void CollectionsEndpoint::addValidationRule(const std::string& object, const std::string& field,
                                            const std::string& jsonValue,
                                            const std::string& message) {
  std::lock_guard lock(mu_);
  rules_.push_back({object, field, jsonValue, message});
}

void CollectionsEndpoint::lockOnce(const std::string& id18) {
  std::lock_guard lock(mu_);
  locked_.insert(id18);
}

void CollectionsEndpoint::checkFaults(const std::string& object, const std::string& id,
                                      const Poco::JSON::Object& fields) {
  std::lock_guard lock(mu_);
  if (!id.empty() && locked_.erase(id) > 0) {
    throw WriteError(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record");
  }
  for (const Rule& r : rules_) {
    if (r.object != object || !fields.has(r.field)) continue;
    if (jsonOf(fields.get(r.field)) == r.jsonValue) {
      throw WriteError(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", r.message, {r.field});
    }
  }
}

SimReply CollectionsEndpoint::handle(OrgData& org, const std::string& method,
                                     const std::vector<std::string>& rest, const std::string& body,
                                     std::int64_t nowMs) {
  ++calls_;
  const bool upsert = rest.size() == 2 && method == HTTPRequest::HTTP_PATCH;
  const bool update = rest.empty() && method == HTTPRequest::HTTP_PATCH;
  const bool create = rest.empty() && method == HTTPRequest::HTTP_POST;
  if (!upsert && !update && !create) {
    return {405, JsonText::errorArray("METHOD_NOT_ALLOWED", "use PATCH or POST")};
  }
  Poco::JSON::Array::Ptr records;
  bool allOrNone = false;
  try {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    records = root->getArray("records");
    allOrNone = root->has("allOrNone") && root->getValue<bool>("allOrNone");
  } catch (const std::exception& e) {
    return {400,
            JsonText::errorArray("JSON_PARSER_ERROR", std::string("Invalid JSON: ") + e.what())};
  }
  if (!records || records->size() == 0 || records->size() > kMaxRecords) {
    return {400, JsonText::errorArray("INVALID_BATCH_SIZE", "records: 1..200 records per call")};
  }
  const std::string object = upsert ? rest[0] : "";
  std::string out = "[";
  bool anyFailed = false;
  for (std::size_t i = 0; i < records->size(); ++i) {
    if (i > 0) out += ",";
    std::string id;
    bool created = false;
    try {
      Poco::JSON::Object::Ptr record = records->getObject(static_cast<unsigned>(i));
      if (!record) throw WriteError(400, "JSON_PARSER_ERROR", "record is not an object");
      std::string type = object;
      if (Poco::JSON::Object::Ptr a = record->getObject("attributes")) {
        type = a->optValue<std::string>("type", type);
      }
      const Poco::JSON::Object fields = fieldsOf(*record);
      if (update) {
        id = record->optValue<std::string>("id", "");
        if (!SalesforceId::isValid(id)) throw WriteError(400, "MALFORMED_ID", "bad id " + id);
        id = SalesforceId::to18(id);
        checkFaults(type, id, fields);
        RecordWrites::update(org, type, id, fields, nowMs);
      } else if (create) {
        checkFaults(type, "", fields);
        id = RecordWrites::create(org, type, fields, nowMs);
        created = true;
      } else {
        RecordTable* table = org.table(rest[0]);
        const int k = table ? table->schema().fieldIndex(rest[1]) : -1;
        if (k < 0) throw WriteError(404, "NOT_FOUND", "no such external id field " + rest[1]);
        if (!record->has(rest[1])) {
          throw WriteError(400, "MISSING_ARGUMENT", rest[1] + " not specified", {rest[1]});
        }
        const SimValue key = OrgData::valueFromJson(table->schema().field(k), record->get(rest[1]));
        id = findByField(*table, k, key);
        checkFaults(rest[0], id, fields);
        if (id.empty()) {
          id = RecordWrites::create(org, rest[0], fields, nowMs);
          created = true;
        } else {
          Poco::JSON::Object changes = fields;
          changes.remove(rest[1]);
          RecordWrites::update(org, rest[0], id, changes, nowMs);
        }
      }
      ++records_;
      appendResult(out, id, created, nullptr);
    } catch (const WriteError& e) {
      anyFailed = true;
      appendResult(out, id, false, &e);
    } catch (const std::exception& e) {
      anyFailed = true;
      const WriteError error(400, "JSON_PARSER_ERROR", e.what());
      appendResult(out, id, false, &error);
    }
  }
  out += "]";
  if (allOrNone && anyFailed) {
    // The simulator does not roll back: all-or-nothing writes are not used by sfsync.
    return {400, JsonText::errorArray("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                      "allOrNone is not simulated")};
  }
  return {200, out};
}

}  // namespace sfsync::sim
