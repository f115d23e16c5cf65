#include "admin/DescribeHandler.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

// The cached describe (Salesforce's own keys) as a JSON object; null when it does not parse.
Poco::JSON::Object::Ptr parsed(const std::string& describeJson) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(describeJson).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

Poco::JSON::Array::Ptr fieldsOf(const Poco::JSON::Object::Ptr& describe) {
  if (describe.isNull() || !describe->isArray("fields")) return nullptr;
  return describe->getArray("fields");
}

void writeField(JsonWriter& json, const Poco::JSON::Object::Ptr& field) {
  json.beginObject()
      .stringField("name", field->optValue<std::string>("name", ""))
      .stringField("label", field->optValue<std::string>("label", ""))
      .stringField("type", field->optValue<std::string>("type", ""))
      .booleanField("updateable", field->optValue<bool>("updateable", false))
      .booleanField("createable", field->optValue<bool>("createable", false))
      .booleanField("calculated", field->optValue<bool>("calculated", false));
  std::vector<std::string> referenceTo;
  if (field->isArray("referenceTo")) {
    for (const auto& r : *field->getArray("referenceTo")) {
      if (r.isString()) referenceTo.push_back(r.toString());
    }
  }
  json.stringArrayField("referenceTo", referenceTo).endObject();
}

}  // namespace

bool DescribeHandler::handles(const std::vector<std::string>& segments) {
  return (segments.size() == 4 || segments.size() == 5) && segments[1] == "connections" &&
         segments[3] == "describe";
}

void DescribeHandler::serve(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  const std::vector<std::string>& segments = target_.segments();
  const std::string& connection = segments[2];
  bool known = false;
  for (const EntrySummary& c : context().control->connections())
    known = known || c.name == connection;
  if (!known) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND,
                     "unknown connection '" + connection + "'");
  }
  if (segments.size() == 4) return listObjects(response, connection);
  describeObject(response, connection, segments[4]);
}

void DescribeHandler::listObjects(Poco::Net::HTTPServerResponse& response,
                                  const std::string& connection) {
  Result<std::vector<store::MetadataEntry>> entries = context().store->listMetadata(connection);
  if (!entries.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                     entries.status().toString());
  }
  JsonWriter json;
  json.beginObject().stringField("connection", connection).key("objects").beginArray();
  for (const store::MetadataEntry& entry : *entries) {
    const Poco::JSON::Object::Ptr describe = parsed(entry.describeJson);
    const Poco::JSON::Array::Ptr fields = fieldsOf(describe);
    json.beginObject()
        .stringField("name", entry.object)
        .stringField("label", describe ? describe->optValue<std::string>("label", "") : "")
        .stringField("fetchedAt", entry.fetchedAt)
        .integerField("fields", fields ? static_cast<std::int64_t>(fields->size()) : 0)
        .endObject();
  }
  json.endArray().endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

void DescribeHandler::describeObject(Poco::Net::HTTPServerResponse& response,
                                     const std::string& connection, const std::string& object) {
  Result<std::optional<store::MetadataEntry>> entry =
      context().store->getMetadata(connection, object);
  if (!entry.ok()) {
    return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, entry.status().toString());
  }
  const Poco::JSON::Object::Ptr describe =
      entry->has_value() ? parsed((*entry)->describeJson) : nullptr;
  const Poco::JSON::Array::Ptr fields = fieldsOf(describe);
  if (!fields) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND,
                     "no cached describe of '" + object + "' for connection '" + connection +
                         "'; refresh the connection's metadata (POST /api/connections/" +
                         connection + "/refresh-metadata) or run a job that reads it");
  }
  JsonWriter json;
  json.beginObject()
      .stringField("connection", connection)
      .stringField("object", (*entry)->object)
      .stringField("label", describe->optValue<std::string>("label", ""))
      .stringField("fetchedAt", (*entry)->fetchedAt)
      .key("fields")
      .beginArray();
  for (const auto& f : *fields) {
    if (f.type() == typeid(Poco::JSON::Object::Ptr)) {
      writeField(json, f.extract<Poco::JSON::Object::Ptr>());
    }
  }
  json.endArray().endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

}  // namespace sfsync::admin
