#include "sfsync/admin/AdminServer.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "admin/AdminContext.h"
#include "admin/AdminRouter.h"
#include "admin/ConnectionWatchdog.h"
#include "admin/GuardedConnection.h"
#include "admin/GuardedConnectionFactory.h"

namespace sfsync::admin {

struct AdminServer::Impl {
  AdminOptions options;
  AdminContext context;
  ConnectionWatchdog watchdog;
  std::unique_ptr<Poco::ThreadPool> threads;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers;
  AdminRouter* router = nullptr;  // owned by `handlers`
  std::unique_ptr<Poco::Net::TCPServer> server;
  std::uint16_t boundPort = 0;
};

namespace {

int clamp(int value, int low, int high, int fallback) {
  if (value < low || value > high) return fallback;
  return value;
}

Poco::Net::HTTPServerParams::Ptr paramsFor(const AdminOptions& options) {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(clamp(options.maxThreads, 1, 64, 8));
  params->setMaxQueued(clamp(options.maxConnections, 1, 10000, 256));
  params->setTimeout(Poco::Timespan(clamp(options.requestTimeoutSeconds, 1, 300, 5), 0));
  const int keepAlive = clamp(options.keepAliveSeconds, 0, 300, 2);
  params->setKeepAlive(keepAlive > 0);
  params->setKeepAliveTimeout(Poco::Timespan(keepAlive, 0));
  params->setMaxKeepAliveRequests(100);
  return params;
}

Poco::Net::ServerSocket tlsSocket(const AdminOptions& options) {
  Poco::Net::Context::Ptr tls = new Poco::Net::Context(
      Poco::Net::Context::TLS_SERVER_USE,
      options.tlsPrivateKeyFile.empty() ? options.tlsCertificateFile : options.tlsPrivateKeyFile,
      options.tlsCertificateFile, "", Poco::Net::Context::VERIFY_NONE, 9, false,
      "HIGH:!aNULL:!MD5:!RC4:!3DES");
  tls->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                        Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  return Poco::Net::SecureServerSocket(tls);
}

}  // namespace

AdminServer::AdminServer(AdminOptions options, store::Store& store, AdminControl& control,
                         JsonSource health)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->context.store = &store;
  impl_->context.control = &control;
  impl_->context.health = std::move(health);
  impl_->context.webRoot = impl_->options.webRoot;
}

AdminServer::~AdminServer() { stop(); }

void AdminServer::setEventBus(EventBus& events) { impl_->context.events = &events; }
void AdminServer::setConfigEditor(ConfigEditor& editor) { impl_->context.editor = &editor; }

Status AdminServer::start() {
  if (impl_->server) return Status::OK();
  const AdminOptions& options = impl_->options;
  Result<TokenAuthenticator> auth = TokenAuthenticator::create(options.tokens);
  if (!auth.ok()) return auth.status();
  impl_->context.auth = std::move(*auth);

  Poco::Net::ServerSocket socket;
  if (!options.tlsCertificateFile.empty()) {
    try {
      socket = tlsSocket(options);
    } catch (const Poco::Exception& e) {
      return Status::InvalidArgument("admin TLS: cannot use certificate '" +
                                     options.tlsCertificateFile + "' / key '" +
                                     options.tlsPrivateKeyFile + "': " + e.displayText());
    }
  }
  const std::string where = options.host + ":" + std::to_string(options.port);
  try {
    socket.bind(Poco::Net::SocketAddress(options.host, options.port), true, false);
    // Room in the kernel's accept queue for every connection we may queue: an overflowing backlog
    // drops SYNs, and the client's retransmit costs it a whole second.
    socket.listen(std::max(128, clamp(options.maxConnections, 1, 10000, 256) + 64));
    impl_->boundPort = socket.address().port();
    listen(socket);
    return Status::OK();
  } catch (const Poco::Exception& e) {
    impl_->server.reset();
    impl_->threads.reset();
    impl_->boundPort = 0;
    return Status::IoError("admin server cannot listen on " + where + ": " + e.displayText());
  }
}

void AdminServer::listen(const Poco::Net::ServerSocket& socket) {
  Poco::Net::HTTPServerParams::Ptr params = paramsFor(impl_->options);
  GuardedConnection::Limits limits;
  limits.requestTimeout = std::chrono::seconds(params->getTimeout().totalSeconds());
  limits.keepAlive = std::chrono::seconds(params->getKeepAliveTimeout().totalSeconds());
  const AdminOptions& options = impl_->options;
  const int streams =
      std::min(clamp(options.maxEventStreams, 0, 64, 4), params->getMaxThreads() / 2);
  impl_->context.streams = std::make_shared<EventStreams>(static_cast<std::size_t>(streams));
  impl_->context.eventKeepAlive =
      std::chrono::seconds(clamp(options.eventKeepAliveSeconds, 1, 300, 15));
  impl_->context.eventStreamMax =
      std::chrono::seconds(clamp(options.eventStreamMaxSeconds, 10, 86400, 900));
  impl_->context.eventWriteTimeout = limits.requestTimeout;
  impl_->router = new AdminRouter(impl_->context);
  impl_->handlers = impl_->router;
  impl_->threads = std::make_unique<Poco::ThreadPool>(1, params->getMaxThreads());
  // The server exists before any connection is served (start() comes last), so `busy` may read it.
  Impl* impl = impl_.get();
  auto busy = [impl] { return impl->server->queuedConnections() > 0; };
  impl_->server = std::make_unique<Poco::Net::TCPServer>(
      new GuardedConnectionFactory(params, impl_->handlers, impl_->watchdog, limits, busy),
      *impl_->threads, socket, params);
  impl_->watchdog.start();
  impl_->server->start();
}

void AdminServer::stop() {
  if (!impl_->server) return;
  impl_->server->stop();  // no new connections; queued ones are dropped
  impl_->router->abortConnections();
  // Event streams waiting for their next event end now.
  impl_->context.streams->closeAll();
  impl_->watchdog.shutdownAll();  // ends reads and keep-alive waits of connections in progress
  // Waits for handlers still running (they borrow the context and read `server` through `busy`).
  impl_->threads->joinAll();
  impl_->watchdog.stop();
  impl_->server.reset();
  impl_->threads.reset();
}

std::uint16_t AdminServer::port() const { return impl_->boundPort; }

std::string AdminServer::url() const {
  const std::string& host = impl_->options.host;
  const bool ipv6 = host.find(':') != std::string::npos;
  return std::string(impl_->options.tlsCertificateFile.empty() ? "http" : "https") + "://" +
         (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->boundPort);
}

}  // namespace sfsync::admin
