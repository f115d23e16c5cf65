// WebhookReceiver: a real Poco HTTPServer on 127.0.0.1, port 0, standing in for a webhook endpoint
// in tests. It records every request (method, path with query, headers, body) and answers each with
// a planned status: the next N requests get `failStatus` (failFirst), or all of them (failAlways);
// otherwise 200 with body "ok".
//
// Thread-safety: requests are served on the HTTPServer's threads; the accessors are safe from any
// thread (one mutex). The recorded state is shared with the handlers, so it outlives a request that
// is still being served when the receiver is destroyed.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sfsync::notify::testing {

struct ReceivedRequest {
  std::string method;
  std::string uri;                             // path and query as sent
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  int answeredWith = 0;  // the status this receiver answered
};

class WebhookReceiver {
 public:
  WebhookReceiver() : state_(std::make_shared<State>()) {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    socket.listen();
    port_ = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
    server_->start();
  }
  ~WebhookReceiver() { server_->stopAll(true); }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>" + path
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  // The next `count` requests are answered with `status`, later ones with 200.
  void failFirst(int count, int status = 500) {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->failuresLeft = count;
    state_->failStatus = status;
  }
  // Every request is answered with `status`.
  void failAlways(int status = 500) { failFirst(1 << 30, status); }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->requests;
  }
  // Requests answered with a 2xx status.
  std::size_t delivered() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    std::size_t n = 0;
    for (const auto& r : state_->requests) n += (r.answeredWith / 100 == 2) ? 1 : 0;
    return n;
  }
  bool waitForRequests(std::size_t count,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    std::unique_lock<std::mutex> lock(state_->mu);
    return state_->cv.wait_for(lock, timeout, [&] { return state_->requests.size() >= count; });
  }

 private:
  struct State {
    mutable std::mutex mu;
    std::condition_variable cv;
    std::vector<ReceivedRequest> requests;
    int failuresLeft = 0;
    int failStatus = 500;
  };

  class Handler final : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(std::shared_ptr<State> state) : state_(std::move(state)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      ReceivedRequest r;
      r.method = request.getMethod();
      r.uri = request.getURI();
      for (const auto& [name, value] : request) r.headers[Poco::toLower(name)] = value;
      Poco::StreamCopier::copyToString(request.stream(), r.body);
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        if (state_->failuresLeft > 0) {
          --state_->failuresLeft;
          r.answeredWith = state_->failStatus;
        } else {
          r.answeredWith = 200;
        }
        state_->requests.push_back(r);
      }
      state_->cv.notify_all();
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.answeredWith));
      const std::string body = r.answeredWith == 200 ? "ok" : "receiver says no";
      response.setContentType("text/plain");
      response.setContentLength(static_cast<std::streamsize>(body.size()));
      response.send() << body;
    }

   private:
    std::shared_ptr<State> state_;
  };

  class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
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
  std::uint16_t port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace sfsync::notify::testing
