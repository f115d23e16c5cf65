// AdminContext: what every admin request handler shares - the store the activity is read from, the
// control interface, the health callback, the token check and the web root. Owned by AdminServer
// and outliving its HTTP server; handlers borrow it.
//
// Thread-safety: immutable while the server runs; the pointed-to Store and AdminControl are
// thread-safe by contract.
#pragma once

#include <functional>
#include <string>

#include "admin/TokenAuthenticator.h"
#include "sfsync/admin/AdminControl.h"
#include "sfsync/store/Store.h"

namespace sfsync::admin {

struct AdminContext {
  store::Store* store = nullptr;    // never null once AdminServer is constructed
  AdminControl* control = nullptr;  // never null once AdminServer is constructed
  std::function<std::string()> health;
  TokenAuthenticator auth;
  std::string webRoot;  // "" = embedded assets
};

}  // namespace sfsync::admin
