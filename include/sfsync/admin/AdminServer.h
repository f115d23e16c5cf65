// AdminServer: the daemon's admin HTTP(S) endpoint - the JSON API over the activity log (Store) and
// the scheduler (AdminControl), Prometheus metrics, /health and the single-page admin UI compiled
// into the binary. Binds explicitly (no SO_REUSEPORT), so a second daemon on the same port fails to
// start instead of silently sharing the port.
//
// Endpoints (all JSON unless noted; bad query parameters -> 400 {"error","parameter"}):
//   GET  /health                                   open
//   GET  /, /index.html, /app.js, /style.css       open (the page asks for a token)
//   GET  /metrics                                  Prometheus text format; bearer token
//   GET  /api/connections[/{name}], /api/jobs[/{name}], /api/chains[/{name}]
//   GET  /api/activity?job=&chain=&connection=&status=&since=&until=&limit=&cursor=
//   GET  /api/activity/{execution}[/errors.csv|/success.csv]
//   GET  /api/updates?limit=&cursor=
//   POST /api/events/ticket, GET /api/events[?ticket=]  live events (EventsHandler,
//   text/event-stream) POST /api/jobs/{name}/{run|pause|resume},
//   /api/chains/{name}/{run|pause|resume},
//        /api/connections/{name}/{pause|resume|disconnect|reconnect}
//   PUT|DELETE /api/jobs/{name}, /api/chains/{name}; POST /api/validate   the editor (issue 17,
//        DefinitionEditHandler / ValidateHandler over the ConfigEditor; bodies up to 1 MiB)
//   GET  /api/connections/{name}/describe[/{object}]   the metadata cache (DescribeHandler)
// Every /api request and /metrics need "Authorization: Bearer <token>" (401 with
// WWW-Authenticate: Bearer otherwise).
//
// Limits (AdminOptions; defaults in brackets): `maxThreads` workers [8] serve connections;
// `maxConnections` [256] more wait in a queue (beyond it a new connection is closed at once). A
// request head must arrive whole within `requestTimeoutSeconds` [5] of the connection's start (or
// of the previous response plus `keepAliveSeconds` [2]), its body within requestTimeoutSeconds of
// the head - deadlines per request, not per read, so slow or idle clients cannot hold a worker.
// While connections wait in the queue, every response closes its connection instead of keeping it
// alive, so a crowd of keep-alive clients takes turns with everyone else and /health stays
// answered.
//
// Thread-safety: start()/stop() from the owning thread. Requests run on Poco's HTTP worker threads
// and call the Store, the AdminControl and the health callback concurrently; all three must be
// thread-safe (Store and AdminControl are by contract) and must outlive the server (until stop()
// or destruction).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sfsync/admin/AdminControl.h"
#include "sfsync/admin/AdminOptions.h"
#include "sfsync/admin/ConfigEditor.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/core/Status.h"
#include "sfsync/store/Store.h"

namespace Poco::Net {
class ServerSocket;
}

namespace sfsync::admin {

class AdminServer {
 public:
  // Returns the body of GET /health (a JSON object). Called on HTTP worker threads.
  using JsonSource = std::function<std::string()>;

  // The full server. `store` and `control` are borrowed and must outlive the server. Nothing
  // listens until start().
  AdminServer(AdminOptions options, store::Store& store, AdminControl& control, JsonSource health);

  ~AdminServer();  // stops
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // The bus GET /api/events relays (borrowed; must outlive the server). Call before start();
  // without one the event endpoints answer 503.
  void setEventBus(EventBus& events);
  // Issue 17: the editor behind PUT / DELETE /api/{jobs|chains}/{name} and POST /api/validate
  // (borrowed; must outlive the server). Call before start(); without one they answer 503.
  void setConfigEditor(ConfigEditor& editor);

  // Validates the options (token digests, TLS files), binds and starts serving. Errors:
  // kInvalidArgument (a token digest that is not 64 hex digits, an unreadable certificate or key),
  // kIoError (the address cannot be bound, e.g. port in use; the message names host:port).
  Status start();
  // Stops accepting, closes idle and half-read connections and waits for requests being handled.
  // Idempotent.
  void stop();

  std::uint16_t port() const;  // the bound port (useful with port 0); 0 before start()
  // "http://127.0.0.1:8085" or "https://..." once started (host as configured; IPv6 in brackets).
  std::string url() const;

 private:
  struct Impl;
  void listen(const Poco::Net::ServerSocket& socket);  // starts serving on a bound socket
  std::unique_ptr<Impl> impl_;
};

}  // namespace sfsync::admin
