#include "salesforce/SalesforceError.h"

#include <Poco/JSON/Parser.h>

#include "salesforce/JsonFields.h"

namespace sfsync::salesforce {

namespace {

// "HTTP 502 Bad Gateway: <start of body>" for bodies that are not Salesforce errors (proxies,
// HTML).
std::string describeHttp(int httpStatus, const std::string& reason, const std::string& body) {
  std::string msg = "HTTP " + std::to_string(httpStatus);
  if (!reason.empty()) msg += " " + reason;
  std::string snippet = body.substr(0, 200);
  for (char& c : snippet) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  while (!snippet.empty() && snippet.back() == ' ') snippet.pop_back();
  if (!snippet.empty()) msg += ": " + snippet + (body.size() > 200 ? "..." : "");
  return msg;
}

SalesforceError fromObject(const Poco::JSON::Object& obj) {
  SalesforceError e;
  e.errorCode = json::getString(obj, "errorCode");
  if (e.errorCode.empty()) e.errorCode = json::getString(obj, "statusCode");  // composite API shape
  e.message = json::getString(obj, "message");
  e.fields = json::getStrings(obj, "fields");
  return e;
}

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
  }
  return nullptr;
}

}  // namespace

std::vector<SalesforceError> SalesforceError::parseBody(const std::string& body) {
  std::vector<SalesforceError> out;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
      const auto arr = v.extract<Poco::JSON::Array::Ptr>();
      for (std::size_t i = 0; arr && i < arr->size(); ++i) {
        const auto obj = arr->getObject(static_cast<unsigned>(i));
        if (obj) out.push_back(fromObject(*obj));
      }
    } else if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
      const auto obj = v.extract<Poco::JSON::Object::Ptr>();
      if (obj && (obj->has("errorCode") || obj->has("message"))) out.push_back(fromObject(*obj));
    }
  } catch (...) {
    out.clear();
  }
  return out;
}

std::string SalesforceError::firstCode(const std::string& body) {
  const auto errors = parseBody(body);
  return errors.empty() ? std::string() : errors.front().errorCode;
}

Status SalesforceError::toStatus(int httpStatus, const std::string& reason,
                                 const std::string& body) {
  const auto errors = parseBody(body);
  const std::string code = errors.empty() ? std::string() : errors.front().errorCode;
  std::string msg;
  if (!errors.empty()) {
    msg = errors.front().message;
    for (std::size_t i = 1; i < errors.size(); ++i) {
      msg += "; " + errors[i].errorCode + ": " + errors[i].message;
    }
  }
  if (msg.empty()) msg = describeHttp(httpStatus, reason, errors.empty() ? body : std::string());

  Status status;
  if (httpStatus == 401) {
    status = Status::Unauthenticated(msg);
  } else if (code == "REQUEST_LIMIT_EXCEEDED") {
    status = Status::PermissionDenied(msg);
  } else if (httpStatus >= 500 || code == "SERVER_UNAVAILABLE" || code == "UNABLE_TO_LOCK_ROW") {
    status = Status::Unavailable(msg);
  } else {
    status = Status::RemoteError(msg);
  }
  return status.withRemote(code, httpStatus);
}

Status SalesforceError::fromTokenResponse(int httpStatus, const std::string& reason,
                                          const std::string& body) {
  const auto obj = parseObject(body);
  const std::string error = obj ? json::getString(*obj, "error") : std::string();
  std::string description = obj ? json::getString(*obj, "error_description") : std::string();
  if (httpStatus >= 500) {
    const std::string what =
        description.empty() ? describeHttp(httpStatus, reason, body) : description;
    return Status::Unavailable("token endpoint: " + what).withRemote(error, httpStatus);
  }
  if (description.empty()) description = error;
  if (description.empty()) description = describeHttp(httpStatus, reason, body);
  return Status::Unauthenticated(description).withRemote(error, httpStatus);
}

}  // namespace sfsync::salesforce
