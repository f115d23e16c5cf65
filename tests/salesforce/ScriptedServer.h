// ScriptedServer: a tiny real HTTP(S) server on a loopback port 0 socket whose answers are scripted
// per test. It complements the Salesforce simulator for the transport edge cases the simulator has
// no switch for (a session that stays invalid, pages that stay malformed, gzip, truncated bodies,
// TLS, hostile URLs). The token endpoint and the data endpoints have separate scripts; every
// request is recorded.
//
// Thread-safety: scripts run on server threads; the recorded state is mutex-protected.
#pragma once

#include <Poco/DeflatingStream.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/salesforce/ConnectionSettings.h"

namespace sfsync::testing {

struct Reply {
  Reply() = default;
  Reply(int s, std::string b, std::vector<std::pair<std::string, std::string>> h = {})
      : status(s), body(std::move(b)), headers(std::move(h)) {}

  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool gzip = false;                 // send the body gzip-compressed
  std::size_t declaredLength = 0;    // > body.size(): claim this length, send less, close
  std::function<void()> beforeSend;  // e.g. block until the test releases the request
  // Writes the body itself after the head (Content-Length = declaredLength when set, else
  // chunked), e.g. trickling it; `body` and `gzip` are then unused.
  std::function<void(std::ostream&)> stream;
};

struct SeenRequest {
  std::string method;
  std::string uri;
  std::string body;
  std::string authorization;
  std::string acceptEncoding;
  std::string queryOptions;  // Sforce-Query-Options
};

class ScriptedServer {
 public:
  using Script = std::function<Reply(const SeenRequest& request, int index)>;

  // `tls`: serve https with this server context; null: plain http.
  ScriptedServer(Script token, Script data, Poco::Net::Context::Ptr tls = nullptr)
      : state_(std::make_shared<State>()) {
    state_->token = std::move(token);
    state_->data = std::move(data);
    Poco::Net::ServerSocket socket;
    if (tls) socket = Poco::Net::SecureServerSocket(tls);
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    socket.listen();
    port_ = socket.address().port();
    scheme_ = tls ? "https" : "http";
    state_->baseUrl = baseUrl();
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(4);
    server_ =
        std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<Factory>(state_), socket, params);
    server_->start();
  }
  ~ScriptedServer() { server_->stopAll(true); }

  std::string baseUrl() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }

  // The default token answer: a fresh token and this server as the instance.
  static Reply tokenOk(const std::string& instanceUrl, int index) {
    return Reply(200, R"({"access_token":"tok-)" + std::to_string(index) + R"(","instance_url":")" +
                          instanceUrl + R"(","token_type":"Bearer","id":"x","issued_at":"1"})");
  }

  std::vector<SeenRequest> tokenRequests() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->tokenSeen;
  }
  std::vector<SeenRequest> dataRequests() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->dataSeen;
  }

 private:
  struct State {
    std::mutex mu;
    Script token;
    Script data;
    std::string baseUrl;
    std::vector<SeenRequest> tokenSeen;
    std::vector<SeenRequest> dataSeen;
  };

  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(std::shared_ptr<State> state) : state_(std::move(state)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& resp) override {
      SeenRequest seen;
      seen.method = req.getMethod();
      seen.uri = req.getURI();
      Poco::StreamCopier::copyToString(req.stream(), seen.body);
      seen.authorization = req.get("Authorization", "");
      seen.acceptEncoding = req.get("Accept-Encoding", "");
      seen.queryOptions = req.get("Sforce-Query-Options", "");
      const bool isToken = seen.uri.rfind("/services/oauth2/token", 0) == 0;
      Script script;
      int index = 0;
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        auto& list = isToken ? state_->tokenSeen : state_->dataSeen;
        list.push_back(seen);
        index = static_cast<int>(list.size());
        script = isToken ? state_->token : state_->data;
      }
      Reply reply = script ? script(seen, index)
                           : (isToken ? tokenOk(state_->baseUrl, index) : Reply{404, "[]"});
      if (reply.beforeSend) reply.beforeSend();
      resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
      resp.setContentType("application/json");
      for (const auto& [name, value] : reply.headers) resp.set(name, value);
      if (reply.stream) {
        if (reply.declaredLength > 0) {
          resp.setContentLength(static_cast<std::streamsize>(reply.declaredLength));
        } else {
          resp.setChunkedTransferEncoding(true);
        }
        reply.stream(resp.send());
        return;
      }
      std::string payload = reply.body;
      if (reply.gzip) {
        std::ostringstream compressed;
        Poco::DeflatingOutputStream deflater(compressed, Poco::DeflatingStreamBuf::STREAM_GZIP);
        deflater << reply.body;
        deflater.close();
        payload = compressed.str();
        resp.set("Content-Encoding", "gzip");
      }
      if (reply.declaredLength > payload.size()) {
        resp.setKeepAlive(false);
        resp.setContentLength(static_cast<std::streamsize>(reply.declaredLength));
        resp.send() << payload;
        return;
      }
      resp.sendBuffer(payload.data(), payload.size());
    }

   private:
    std::shared_ptr<State> state_;
  };

  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(std::shared_ptr<State> state) : state_(std::move(state)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(state_);
    }

   private:
    std::shared_ptr<State> state_;
  };

  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
  std::string scheme_;
};

// A connection to `server` (a custom domain with password credentials) with the retry policy the
// scripted tests share: 3 retries, backoff 100 ms doubling up to 1 s, 30 s per request.
inline salesforce::ConnectionSettings scriptedConnection(const ScriptedServer& server) {
  salesforce::ConnectionSettings s;
  s.name = "scripted";
  s.orgType = salesforce::OrgType::kCustomDomain;
  s.customDomainUrl = server.baseUrl();
  s.clientId = "cid";
  s.clientSecret = "secret";
  s.username = "u@example.com";
  s.password = "pw";
  s.maxRetries = 3;
  s.initialBackoff = std::chrono::milliseconds(100);
  s.maxBackoff = std::chrono::milliseconds(1000);
  s.timeout = std::chrono::milliseconds(30000);
  return s;
}

}  // namespace sfsync::testing
