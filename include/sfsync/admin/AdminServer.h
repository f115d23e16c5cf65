// AdminServer: the daemon's admin HTTP endpoint. For now it serves GET /health (JSON from a callback);
// the activity API and web page come with the activity-page issue. Binds explicitly (no SO_REUSEPORT),
// so a second daemon on the same port fails to start instead of silently sharing the port.
//
// Thread-safety: start()/stop() from the owning thread; handlers run on Poco's HTTP worker threads and
// call the health callback concurrently, which must therefore be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sfsync/core/Status.h"

namespace sfsync::admin {

class AdminServer {
 public:
  using JsonSource = std::function<std::string()>;

  AdminServer(std::string host, std::uint16_t port, JsonSource health);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds and starts serving; an error (e.g. port in use) names the address.
  Status start();
  void stop();
  std::uint16_t port() const;  // the bound port (useful with port 0)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sfsync::admin
