#include "sfsync/salesforce/DescribeCodec.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "salesforce/DescribeParser.h"

namespace sfsync::salesforce {

namespace {

Poco::JSON::Object::Ptr encodeField(const FieldDescribe& f) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("name", f.name);
  o->set("label", f.label);
  o->set("type", f.type);
  o->set("length", f.length);
  o->set("precision", f.precision);
  o->set("scale", f.scale);
  o->set("nillable", f.nillable);
  o->set("externalId", f.externalId);
  o->set("unique", f.unique);
  o->set("createable", f.createable);
  o->set("updateable", f.updateable);
  o->set("calculated", f.calculated);
  Poco::JSON::Array::Ptr refs = new Poco::JSON::Array;
  for (const std::string& r : f.referenceTo) refs->add(r);
  o->set("referenceTo", refs);
  if (!f.relationshipName.empty()) o->set("relationshipName", f.relationshipName);
  return o;
}

}  // namespace

std::string DescribeCodec::encode(const ObjectDescribe& describe) {
  Poco::JSON::Object root;
  root.set("name", describe.name);
  root.set("label", describe.label);
  root.set("queryable", describe.queryable);
  Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
  for (const FieldDescribe& f : describe.fields) fields->add(encodeField(f));
  root.set("fields", fields);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

Result<ObjectDescribe> DescribeCodec::decode(const std::string& json) {
  return DescribeParser::parse(json);
}

}  // namespace sfsync::salesforce
