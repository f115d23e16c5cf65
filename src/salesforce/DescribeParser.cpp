#include "salesforce/DescribeParser.h"

#include <Poco/JSON/Parser.h>

#include "salesforce/JsonFields.h"

namespace sfsync::salesforce {

namespace {

FieldDescribe parseField(const Poco::JSON::Object& f) {
  FieldDescribe field;
  field.name = json::getString(f, "name");
  field.label = json::getString(f, "label");
  field.type = json::getString(f, "type");
  field.length = static_cast<int>(json::getInt(f, "length"));
  field.precision = static_cast<int>(json::getInt(f, "precision"));
  field.scale = static_cast<int>(json::getInt(f, "scale"));
  field.nillable = json::getBool(f, "nillable", true);
  field.externalId = json::getBool(f, "externalId", false);
  field.unique = json::getBool(f, "unique", false);
  field.createable = json::getBool(f, "createable", false);
  field.updateable = json::getBool(f, "updateable", false);
  field.calculated = json::getBool(f, "calculated", false);
  field.referenceTo = json::getStrings(f, "referenceTo");
  field.relationshipName = json::getString(f, "relationshipName");
  return field;
}

}  // namespace

Result<ObjectDescribe> DescribeParser::parse(const std::string& body) {
  Poco::JSON::Object::Ptr obj;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) obj = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return Status::DataError("describe body is not valid JSON: " + e.displayText());
  }
  if (!obj) return Status::DataError("describe body is not a JSON object");

  ObjectDescribe describe;
  describe.name = json::getString(*obj, "name");
  describe.label = json::getString(*obj, "label");
  describe.queryable = json::getBool(*obj, "queryable", true);
  Poco::JSON::Array::Ptr fields;
  try {
    fields = obj->getArray("fields");
  } catch (const Poco::Exception&) {
  }
  if (describe.name.empty() || !fields) {
    return Status::DataError("describe body lacks \"name\" or \"fields\"");
  }
  describe.fields.reserve(fields->size());
  for (std::size_t i = 0; i < fields->size(); ++i) {
    Poco::JSON::Object::Ptr f;
    try {
      f = fields->getObject(static_cast<unsigned>(i));
    } catch (const Poco::Exception&) {
    }
    if (!f) return Status::DataError("describe field " + std::to_string(i) + " is not an object");
    describe.fields.push_back(parseField(*f));
  }
  return describe;
}

}  // namespace sfsync::salesforce
