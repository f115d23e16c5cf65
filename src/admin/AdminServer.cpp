#include "sfsync/admin/AdminServer.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <utility>

#include "admin/AdminContext.h"
#include "admin/AdminRouter.h"

namespace sfsync::admin {

struct AdminServer::Impl {
  AdminOptions options;
  AdminContext context;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t boundPort = 0;
};

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

Status AdminServer::start() {
  if (impl_->server) return Status::OK();
  const AdminOptions& options = impl_->options;
  Result<TokenAuthenticator> auth = TokenAuthenticator::create(options.tokens);
  if (!auth.ok()) return auth.status();
  impl_->context.auth = std::move(*auth);

  Poco::Net::ServerSocket socket;
  if (!options.tlsCertificateFile.empty()) {
    try {
      Poco::Net::Context::Ptr tls =
          new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE,
                                 options.tlsPrivateKeyFile.empty() ? options.tlsCertificateFile
                                                                   : options.tlsPrivateKeyFile,
                                 options.tlsCertificateFile, "", Poco::Net::Context::VERIFY_NONE, 9,
                                 false, "HIGH:!aNULL:!MD5:!RC4:!3DES");
      tls->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                            Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
      socket = Poco::Net::SecureServerSocket(tls);
    } catch (const Poco::Exception& e) {
      return Status::InvalidArgument("admin TLS: cannot use certificate '" +
                                     options.tlsCertificateFile + "' / key '" +
                                     options.tlsPrivateKeyFile + "': " + e.displayText());
    }
  }
  const std::string where = options.host + ":" + std::to_string(options.port);
  try {
    socket.bind(Poco::Net::SocketAddress(options.host, options.port), true, false);
    socket.listen();
    impl_->boundPort = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.maxThreads > 0 ? options.maxThreads : 8);
    impl_->server =
        std::make_unique<Poco::Net::HTTPServer>(new AdminRouter(impl_->context), socket, params);
    impl_->server->start();
    return Status::OK();
  } catch (const Poco::Exception& e) {
    impl_->server.reset();
    impl_->boundPort = 0;
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

std::string AdminServer::url() const {
  const std::string& host = impl_->options.host;
  const bool ipv6 = host.find(':') != std::string::npos;
  return std::string(impl_->options.tlsCertificateFile.empty() ? "http" : "https") + "://" +
         (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->boundPort);
}

}  // namespace sfsync::admin
