#include "salesforce_sim/ObjectSchema.h"

#include <algorithm>
#include <stdexcept>

#include <Poco/JSON/Array.h>

#include "salesforce_sim/JsonText.h"

namespace sfsync::sim {
namespace {

std::string getString(const Poco::JSON::Object& o, const std::string& key,
                      const std::string& fallback = {}) {
  if (!o.has(key) || o.isNull(key)) return fallback;
  return o.getValue<std::string>(key);
}

bool getBool(const Poco::JSON::Object& o, const std::string& key, bool fallback) {
  if (!o.has(key) || o.isNull(key)) return fallback;
  return o.getValue<bool>(key);
}

int getInt(const Poco::JSON::Object& o, const std::string& key, int fallback) {
  if (!o.has(key) || o.isNull(key)) return fallback;
  return o.getValue<int>(key);
}

bool isSystemField(const std::string& name) {
  static const char* kSystem[] = {"Id",
                                  "IsDeleted",
                                  "CreatedDate",
                                  "CreatedById",
                                  "LastModifiedDate",
                                  "LastModifiedById",
                                  "SystemModstamp",
                                  "MasterRecordId"};
  return std::any_of(std::begin(kSystem), std::end(kSystem),
                     [&](const char* s) { return name == s; });
}

std::string labelFromName(std::string name) {
  if (name.size() > 3 && name.compare(name.size() - 3, 3, "__c") == 0) name.resize(name.size() - 3);
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

int defaultLength(FieldKind kind, const std::string& type) {
  switch (kind) {
    case FieldKind::Id:
    case FieldKind::Reference:
      return 18;
    case FieldKind::String:
      if (type == "textarea") return 32000;
      if (type == "picklist" || type == "multipicklist") return 255;
      if (type == "email" || type == "url" || type == "phone") return type == "phone" ? 40 : 255;
      return 255;
    default:
      return 0;
  }
}

}  // namespace

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

FieldKind ObjectSchema::kindForType(std::string_view t) {
  if (t == "id") return FieldKind::Id;
  if (t == "reference") return FieldKind::Reference;
  if (t == "boolean") return FieldKind::Boolean;
  if (t == "int") return FieldKind::Int;
  if (t == "double" || t == "currency" || t == "percent") return FieldKind::Double;
  if (t == "date") return FieldKind::Date;
  if (t == "datetime") return FieldKind::DateTime;
  if (t == "time") return FieldKind::Time;
  return FieldKind::String;
}

const char* ObjectSchema::soapType(FieldKind kind) {
  switch (kind) {
    case FieldKind::Id:
    case FieldKind::Reference:
      return "tns:ID";
    case FieldKind::Boolean:
      return "xsd:boolean";
    case FieldKind::Int:
      return "xsd:int";
    case FieldKind::Double:
      return "xsd:double";
    case FieldKind::Date:
      return "xsd:date";
    case FieldKind::DateTime:
      return "xsd:dateTime";
    case FieldKind::Time:
      return "xsd:time";
    case FieldKind::String:
      return "xsd:string";
  }
  return "xsd:string";
}

ObjectSchema ObjectSchema::fromJson(const Poco::JSON::Object& d,
                                    const std::vector<std::string>& dropFields) {
  ObjectSchema s;
  s.name_ = getString(d, "name");
  if (s.name_.empty()) throw std::invalid_argument("describe without a name");
  s.label_ = getString(d, "label", labelFromName(s.name_));
  s.labelPlural_ = getString(d, "labelPlural", s.label_ + "s");
  s.keyPrefix_ = getString(d, "keyPrefix");
  s.custom_ =
      getBool(d, "custom", s.name_.size() > 3 && s.name_.rfind("__c") == s.name_.size() - 3);
  s.queryable_ = getBool(d, "queryable", true);
  if (s.keyPrefix_.size() != 3)
    throw std::invalid_argument(s.name_ + ": keyPrefix must be 3 chars");
  const Poco::JSON::Array::Ptr fields = d.getArray("fields");
  if (!fields) throw std::invalid_argument(s.name_ + ": describe without fields");
  for (std::size_t k = 0; k < fields->size(); ++k) {
    const Poco::JSON::Object::Ptr f = fields->getObject(static_cast<unsigned>(k));
    if (!f) throw std::invalid_argument(s.name_ + ": field entry is not an object");
    SimField fd;
    fd.name = getString(*f, "name");
    if (fd.name.empty()) throw std::invalid_argument(s.name_ + ": field without a name");
    if (std::find(dropFields.begin(), dropFields.end(), fd.name) != dropFields.end()) continue;
    fd.type = getString(*f, "type", "string");
    fd.kind = kindForType(fd.type);
    fd.label = getString(*f, "label", labelFromName(fd.name));
    fd.length = getInt(*f, "length", defaultLength(fd.kind, fd.type));
    fd.precision = getInt(*f, "precision", fd.kind == FieldKind::Double ? 18 : 0);
    fd.scale = getInt(*f, "scale", fd.type == "currency" ? 2 : 0);
    fd.digits = getInt(*f, "digits", fd.kind == FieldKind::Int ? 9 : 0);
    fd.calculated = getBool(*f, "calculated", false);
    const bool system = isSystemField(fd.name);
    fd.nillable = getBool(*f, "nillable", !(system || fd.kind == FieldKind::Boolean));
    fd.externalId = getBool(*f, "externalId", false);
    fd.unique = getBool(*f, "unique", false);
    fd.createable = getBool(*f, "createable", !(system || fd.calculated));
    fd.updateable = getBool(*f, "updateable", !(system || fd.calculated));
    fd.custom = getBool(*f, "custom",
                        fd.name.size() > 3 && fd.name.compare(fd.name.size() - 3, 3, "__c") == 0);
    if (const Poco::JSON::Array::Ptr refs = f->getArray("referenceTo")) {
      for (std::size_t r = 0; r < refs->size(); ++r) {
        fd.referenceTo.push_back(refs->getElement<std::string>(static_cast<unsigned>(r)));
      }
    }
    fd.relationshipName = getString(*f, "relationshipName");
    if (fd.kind == FieldKind::Reference && fd.referenceTo.empty()) {
      throw std::invalid_argument(s.name_ + "." + fd.name + ": reference without referenceTo");
    }
    if (const Poco::JSON::Array::Ptr values = f->getArray("picklistValues")) {
      for (std::size_t r = 0; r < values->size(); ++r) {
        const Poco::Dynamic::Var v = values->get(static_cast<unsigned>(r));
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
          fd.picklistValues.push_back(getString(*v.extract<Poco::JSON::Object::Ptr>(), "value"));
        } else {
          fd.picklistValues.push_back(v.convert<std::string>());
        }
      }
    }
    const int index = static_cast<int>(s.fields_.size());
    if (!s.byName_.emplace(lowerAscii(fd.name), index).second) {
      throw std::invalid_argument(s.name_ + ": duplicate field " + fd.name);
    }
    if (!fd.relationshipName.empty())
      s.byRelationship_.emplace(lowerAscii(fd.relationshipName), index);
    if (fd.kind == FieldKind::Id) s.idField_ = index;
    s.fields_.push_back(std::move(fd));
  }
  if (s.idField_ < 0) throw std::invalid_argument(s.name_ + ": describe without an id field");
  return s;
}

int ObjectSchema::fieldIndex(std::string_view apiName) const {
  const auto it = byName_.find(lowerAscii(apiName));
  return it == byName_.end() ? -1 : it->second;
}

int ObjectSchema::relationshipIndex(std::string_view relationshipName) const {
  const auto it = byRelationship_.find(lowerAscii(relationshipName));
  return it == byRelationship_.end() ? -1 : it->second;
}

void ObjectSchema::appendUrls(std::string& out, std::string_view version) const {
  const std::string base = "/services/data/" + std::string(version) + "/sobjects/" + name_;
  out += "\"urls\":{";
  JsonText::appendKey(out, "sobject");
  JsonText::appendString(out, base);
  out.push_back(',');
  JsonText::appendKey(out, "describe");
  JsonText::appendString(out, base + "/describe");
  out.push_back(',');
  JsonText::appendKey(out, "rowTemplate");
  JsonText::appendString(out, base + "/{ID}");
  out.push_back('}');
}

void ObjectSchema::appendGlobalEntry(std::string& out, std::string_view version) const {
  out.push_back('{');
  JsonText::appendKey(out, "name");
  JsonText::appendString(out, name_);
  out.push_back(',');
  JsonText::appendKey(out, "label");
  JsonText::appendString(out, label_);
  out.push_back(',');
  JsonText::appendKey(out, "labelPlural");
  JsonText::appendString(out, labelPlural_);
  out.push_back(',');
  JsonText::appendKey(out, "keyPrefix");
  JsonText::appendString(out, keyPrefix_);
  out += ",\"custom\":";
  JsonText::appendBool(out, custom_);
  out += ",\"queryable\":";
  JsonText::appendBool(out, queryable_);
  out += ",\"retrieveable\":true,\"createable\":true,\"updateable\":true,\"deletable\":true,";
  appendUrls(out, version);
  out.push_back('}');
}

std::string ObjectSchema::describeJson(std::string_view version) const {
  std::string out = "{";
  JsonText::appendKey(out, "name");
  JsonText::appendString(out, name_);
  out.push_back(',');
  JsonText::appendKey(out, "label");
  JsonText::appendString(out, label_);
  out.push_back(',');
  JsonText::appendKey(out, "labelPlural");
  JsonText::appendString(out, labelPlural_);
  out.push_back(',');
  JsonText::appendKey(out, "keyPrefix");
  JsonText::appendString(out, keyPrefix_);
  out += ",\"custom\":";
  JsonText::appendBool(out, custom_);
  out += ",\"queryable\":";
  JsonText::appendBool(out, queryable_);
  out += ",\"retrieveable\":true,\"createable\":true,\"updateable\":true,\"deletable\":true,";
  out += "\"fields\":[";
  for (std::size_t k = 0; k < fields_.size(); ++k) {
    const SimField& f = fields_[k];
    if (k > 0) out.push_back(',');
    out.push_back('{');
    JsonText::appendKey(out, "name");
    JsonText::appendString(out, f.name);
    out.push_back(',');
    JsonText::appendKey(out, "label");
    JsonText::appendString(out, f.label);
    out.push_back(',');
    JsonText::appendKey(out, "type");
    JsonText::appendString(out, f.type);
    out.push_back(',');
    JsonText::appendKey(out, "soapType");
    JsonText::appendString(out, soapType(f.kind));
    out += ",\"length\":";
    JsonText::appendInt(out, f.length);
    out += ",\"byteLength\":";
    JsonText::appendInt(out, static_cast<std::int64_t>(f.length) * 3);
    out += ",\"precision\":";
    JsonText::appendInt(out, f.precision);
    out += ",\"scale\":";
    JsonText::appendInt(out, f.scale);
    out += ",\"digits\":";
    JsonText::appendInt(out, f.digits);
    const std::pair<const char*, bool> flags[] = {
        {"nillable", f.nillable},
        {"externalId", f.externalId},
        {"unique", f.unique},
        {"idLookup", f.kind == FieldKind::Id || f.externalId},
        {"createable", f.createable},
        {"updateable", f.updateable},
        {"calculated", f.calculated},
        {"custom", f.custom},
        {"filterable", f.filterable()},
        {"sortable", f.sortable()},
        {"nameField", f.name == "Name"},
        {"defaultedOnCreate", f.name == "IsDeleted" || f.name == "CreatedDate" ||
                                  f.name == "SystemModstamp" || f.name == "LastModifiedDate"}};
    for (const auto& [key, value] : flags) {
      out.push_back(',');
      JsonText::appendKey(out, key);
      JsonText::appendBool(out, value);
    }
    out += ",\"referenceTo\":[";
    for (std::size_t r = 0; r < f.referenceTo.size(); ++r) {
      if (r > 0) out.push_back(',');
      JsonText::appendString(out, f.referenceTo[r]);
    }
    out += "],\"relationshipName\":";
    if (f.relationshipName.empty()) {
      out += "null";
    } else {
      JsonText::appendString(out, f.relationshipName);
    }
    out += ",\"picklistValues\":[";
    for (std::size_t r = 0; r < f.picklistValues.size(); ++r) {
      if (r > 0) out.push_back(',');
      out += "{\"active\":true,\"defaultValue\":false,\"label\":";
      JsonText::appendString(out, f.picklistValues[r]);
      out += ",\"validFor\":null,\"value\":";
      JsonText::appendString(out, f.picklistValues[r]);
      out.push_back('}');
    }
    out += "]}";
  }
  out += "],";
  appendUrls(out, version);
  out.push_back('}');
  return out;
}

}  // namespace sfsync::sim
