#include "sfsync/admin/AdminServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace sfsync::admin {

namespace {

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& body) {
  response.setStatus(status);
  response.setContentType("application/json");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

class HealthHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit HealthHandler(const AdminServer::JsonSource& health) : health_(health) {}
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
    sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, health_());
  }

 private:
  const AdminServer::JsonSource& health_;
};

class NotFoundHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::string path = request.getURI();
    std::string escaped;
    for (char c : path) {
      if (c == '"' || c == '\\') escaped += '\\';
      if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
    }
    sendJson(response, Poco::Net::HTTPResponse::HTTP_NOT_FOUND,
             "{\"error\":\"not found\",\"path\":\"" + escaped + "\"}");
  }
};

class Router final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Router(AdminServer::JsonSource health) : health_(std::move(health)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override {
    if (request.getMethod() == "GET" && request.getURI() == "/health") {
      return new HealthHandler(health_);
    }
    return new NotFoundHandler;
  }

 private:
  AdminServer::JsonSource health_;
};

}  // namespace

struct AdminServer::Impl {
  std::string host;
  std::uint16_t requestedPort = 0;
  JsonSource health;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t boundPort = 0;
};

AdminServer::AdminServer(std::string host, std::uint16_t port, JsonSource health)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->requestedPort = port;
  impl_->health = std::move(health);
}

AdminServer::~AdminServer() { stop(); }

Status AdminServer::start() {
  const std::string where = impl_->host + ":" + std::to_string(impl_->requestedPort);
  try {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(impl_->host, impl_->requestedPort), true, false);
    socket.listen();
    impl_->boundPort = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Router(impl_->health), socket,
                                                            params);
    impl_->server->start();
    return Status::OK();
  } catch (const Poco::Exception& e) {
    return Status::IoError("admin server cannot listen on " + where + ": " + e.displayText());
  }
}

void AdminServer::stop() {
  if (impl_->server) {
    impl_->server->stopAll(true);
    impl_->server.reset();
  }
}

std::uint16_t AdminServer::port() const { return impl_->boundPort; }

}  // namespace sfsync::admin
