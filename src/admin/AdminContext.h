// AdminContext: what every admin request handler shares - the store the activity is read from, the
// control interface, the health callback, the token check and the web root. Owned by AdminServer
// and outliving its HTTP server; handlers borrow it.
//
// Thread-safety: immutable while the server runs; the pointed-to Store and AdminControl are
// thread-safe by contract.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "admin/EventStreams.h"
#include "admin/EventTickets.h"
#include "admin/OAuthStates.h"
#include "admin/TokenAuthenticator.h"
#include "sfsync/admin/AdminControl.h"
#include "sfsync/admin/ConfigEditor.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/store/Store.h"

namespace sfsync::admin {

struct AdminContext {
  store::Store* store = nullptr;    // never null once AdminServer is constructed
  AdminControl* control = nullptr;  // never null once AdminServer is constructed
  std::function<std::string()> health;
  TokenAuthenticator auth;
  std::string webRoot;  // "" = embedded assets
  // Live events (GET /api/events): the daemon's bus (nullptr: none, the endpoints answer 503), the
  // one-time tickets and the open streams (both thread-safe themselves) and the stream timings.
  EventBus* events = nullptr;
  std::shared_ptr<EventTickets> tickets = std::make_shared<EventTickets>();
  // Issue 17: pending OAuth web-server authorisations (POST .../authorize, GET /oauth/callback).
  std::shared_ptr<OAuthStates> oauthStates = std::make_shared<OAuthStates>();
  std::shared_ptr<EventStreams> streams;
  std::chrono::seconds eventKeepAlive{15};
  std::chrono::seconds eventStreamMax{900};
  std::chrono::seconds eventWriteTimeout{5};
  // Issue 17: the job / chain editor (PUT / DELETE definitions, POST /api/validate); nullptr: those
  // endpoints answer 503.
  ConfigEditor* editor = nullptr;
};

}  // namespace sfsync::admin
