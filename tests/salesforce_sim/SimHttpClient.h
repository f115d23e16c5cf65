// SimHttpClient: a tiny raw HTTP client for the simulator's tests (Poco HTTPClientSession, one
// request per call): form POSTs to the token endpoint, authenticated GETs, JSON parsing helpers.
// Header-only test support; not part of the sfsync_sim library.
//
// Thread-safety: an instance is used by one thread.
#pragma once

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace sfsync::sim::test {

struct HttpReply {
  int status = 0;
  std::string body;
  std::string limitInfo;  // Sforce-Limit-Info
  std::string contentType;
  std::vector<std::pair<std::string, std::string>> headers;  // every response header

  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (Poco::icompare(k, name) == 0) return v;
    }
    return {};
  }

  Poco::JSON::Object::Ptr object() const {
    Poco::JSON::Parser p;
    return p.parse(body).extract<Poco::JSON::Object::Ptr>();
  }
  Poco::JSON::Array::Ptr array() const {
    Poco::JSON::Parser p;
    return p.parse(body).extract<Poco::JSON::Array::Ptr>();
  }
  // errorCode of a Salesforce error array's first entry.
  std::string errorCode() const {
    return array()->getObject(0)->getValue<std::string>("errorCode");
  }
  std::string errorMessage() const {
    return array()->getObject(0)->getValue<std::string>("message");
  }
};

class SimHttpClient {
 public:
  explicit SimHttpClient(std::uint16_t port) : port_(port) {}

  HttpReply request(const std::string& method, const std::string& pathAndQuery,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    const std::string& body = {}, const std::string& contentType = {}) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest req(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == Poco::Net::HTTPRequest::HTTP_POST) {
      req.setContentType(contentType);
      req.setContentLength(static_cast<std::streamsize>(body.size()));
      session.sendRequest(req) << body;
    } else {
      session.sendRequest(req);
    }
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    HttpReply reply;
    reply.status = resp.getStatus();
    reply.limitInfo = resp.get("Sforce-Limit-Info", "");
    reply.contentType = resp.getContentType();
    for (const auto& [k, v] : resp) reply.headers.emplace_back(k, v);
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
  }

  HttpReply postForm(const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [k, v] : fields) {
      std::string ek, ev;
      Poco::URI::encode(k, "!#$&'()*+,/:;=?@[]", ek);
      Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]", ev);
      body += (body.empty() ? "" : "&") + ek + "=" + ev;
    }
    return request("POST", path, {}, body, "application/x-www-form-urlencoded");
  }

  // Password grant with the SimOptions defaults (password overridable).
  HttpReply login(const std::string& password = "sample-password") {
    return postForm("/services/oauth2/token", {{"grant_type", "password"},
                                               {"client_id", "sfsync-sample-client"},
                                               {"client_secret", "sample-secret"},
                                               {"username", "admin@sample.sfsync"},
                                               {"password", password + "SAMPLETOKEN"}});
  }
  std::string loginToken(const std::string& password = "sample-password") {
    return login(password).object()->getValue<std::string>("access_token");
  }

  HttpReply get(const std::string& pathAndQuery, const std::string& token,
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return request("GET", pathAndQuery, headers);
  }

  // An authenticated request with a JSON body (empty: none).
  HttpReply send(const std::string& method, const std::string& pathAndQuery,
                 const std::string& token, const std::string& jsonBody = {}) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return request(method, pathAndQuery, headers, jsonBody,
                   jsonBody.empty() ? std::string() : "application/json");
  }

  static std::string queryPath(const std::string& soql, const std::string& resource = "query") {
    std::string encoded;
    Poco::URI::encode(soql, "!#$&'()*+,/:;=?@[]", encoded);
    return "/services/data/v62.0/" + resource + "?q=" + encoded;
  }

 private:
  std::uint16_t port_;
};

}  // namespace sfsync::sim::test
