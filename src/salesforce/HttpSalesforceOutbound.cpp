// HttpSalesforceClient's Outbound: sObject Collections writes (see sfsync/salesforce/Outbound.h).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <sstream>

#include "salesforce/HttpSalesforceClient.h"

namespace sfsync::salesforce {
namespace {

bool isName(const std::string& s) {
  if (s.empty() || s.size() > 80 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (unsigned char c : s) {
    if (!std::isalnum(c) && c != '_') return false;
  }
  return true;
}

Poco::Dynamic::Var jsonValue(const Value& v) {
  if (std::holds_alternative<bool>(v)) return std::get<bool>(v);
  if (std::holds_alternative<std::int64_t>(v)) return std::get<std::int64_t>(v);
  if (std::holds_alternative<double>(v)) return std::get<double>(v);
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return Poco::Dynamic::Var();  // null: clears the field
}

std::string requestBody(WriteOperation operation, const std::string& object,
                        const std::vector<OutboundRecord>& records) {
  Poco::JSON::Object root;
  root.set("allOrNone", false);
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const OutboundRecord& r : records) {
    Poco::JSON::Object::Ptr record = new Poco::JSON::Object;
    Poco::JSON::Object::Ptr attributes = new Poco::JSON::Object;
    attributes->set("type", object);
    record->set("attributes", attributes);
    if (operation == WriteOperation::kUpdate) record->set("id", r.id);
    for (const auto& [field, value] : r.fields) record->set(field, jsonValue(value));
    list->add(record);
  }
  root.set("records", list);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

std::string text(const Poco::JSON::Object::Ptr& o, const char* key) {
  return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : std::string();
}

Result<std::vector<WriteResult>> parseResults(const std::string& body, std::size_t expected) {
  std::vector<WriteResult> out;
  try {
    Poco::JSON::Parser parser;
    Poco::JSON::Array::Ptr array = parser.parse(body).extract<Poco::JSON::Array::Ptr>();
    if (!array || array->size() != expected) {
      return Status::DataError("sObject Collections answer has " +
                               std::to_string(array ? array->size() : 0) + " results for " +
                               std::to_string(expected) + " records");
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      Poco::JSON::Object::Ptr r = array->getObject(static_cast<unsigned>(i));
      if (!r) return Status::DataError("sObject Collections result is not an object");
      WriteResult w;
      w.success = r->has("success") && r->getValue<bool>("success");
      w.id = text(r, "id");
      w.created = r->has("created") && !r->isNull("created") && r->getValue<bool>("created");
      if (Poco::JSON::Array::Ptr errors = r->getArray("errors")) {
        for (std::size_t k = 0; k < errors->size(); ++k) {
          Poco::JSON::Object::Ptr e = errors->getObject(static_cast<unsigned>(k));
          if (!e) continue;
          RecordError error{text(e, "statusCode"), text(e, "message"), {}};
          if (Poco::JSON::Array::Ptr fields = e->getArray("fields")) {
            for (std::size_t f = 0; f < fields->size(); ++f) {
              error.fields.push_back(fields->getElement<std::string>(static_cast<unsigned>(f)));
            }
          }
          w.errors.push_back(std::move(error));
        }
      }
      out.push_back(std::move(w));
    }
  } catch (const std::exception& e) {
    return Status::DataError(std::string("malformed sObject Collections answer: ") + e.what());
  }
  return out;
}

}  // namespace

Result<std::vector<WriteResult>> HttpSalesforceClient::write(
    WriteOperation operation, const std::string& object, const std::string& externalIdField,
    const std::vector<OutboundRecord>& records) {
  if (records.empty() || records.size() > kMaxRecordsPerCall) {
    return Status::InvalidArgument("an sObject Collections call takes 1.." +
                                   std::to_string(kMaxRecordsPerCall) + " records, not " +
                                   std::to_string(records.size()));
  }
  if (!isName(object)) return Status::InvalidArgument("invalid object name '" + object + "'");
  Call c;
  c.method = operation == WriteOperation::kCreate ? "POST" : "PATCH";
  c.idempotent = operation != WriteOperation::kCreate;  // update / upsert may be repeated
  c.target = dataPath("/composite/sobjects");
  if (operation == WriteOperation::kUpsert) {
    if (!isName(externalIdField)) {
      return Status::InvalidArgument("upsert needs a valid external-id field, not '" +
                                     externalIdField + "'");
    }
    c.target += "/" + object + "/" + externalIdField;
  }
  c.body = requestBody(operation, object, records);
  std::vector<WriteResult> results;
  const Status status = call(c, [&](const HttpResponse& response) {
    Result<std::vector<WriteResult>> parsed = parseResults(response.body, records.size());
    if (!parsed.ok()) return parsed.status();
    results = std::move(parsed).value();
    return Status::OK();
  });
  if (!status.ok()) return status;
  return results;
}

}  // namespace sfsync::salesforce
