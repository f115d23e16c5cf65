// AdminHttpClient: a minimal HTTP(S) client for the admin tests - one request per call, returning
// status, headers and the raw body bytes.
//
// Thread-safety: each call uses its own session; safe from several threads.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>

namespace sfsync::admin::testing {

struct HttpReply {
  int status = 0;
  std::string reason;                          // the status line's reason phrase
  std::map<std::string, std::string> headers;  // as sent (names case-preserved)
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class AdminHttpClient {
 public:
  explicit AdminHttpClient(std::uint16_t port, Poco::Net::Context::Ptr tls = nullptr)
      : port_(port), tls_(std::move(tls)) {}

  // `target` is sent as is (percent-encode names yourself); "" token = no Authorization header.
  HttpReply request(const std::string& method, const std::string& target,
                    const std::string& token = "", const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {}) const {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (tls_) {
      session = std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", port_, tls_);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port_);
    }
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (method == "POST" || method == "PUT" || !body.empty()) {
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    reply.reason = response.getReason();
    for (const auto& [name, value] : response) reply.headers[name] = value;
    std::ostringstream bytes;
    Poco::StreamCopier::copyStream(in, bytes);
    reply.body = bytes.str();
    return reply;
  }

  HttpReply get(const std::string& target, const std::string& token = "") const {
    return request("GET", target, token);
  }
  HttpReply post(const std::string& target, const std::string& token = "") const {
    return request("POST", target, token);
  }

 private:
  std::uint16_t port_;
  Poco::Net::Context::Ptr tls_;
};

}  // namespace sfsync::admin::testing
