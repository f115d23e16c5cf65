// RolePolicy: the one table of which admin-token role (issue 17) may use which API request. Roles
// are ordered viewer < operator < admin; a request needs the lowest role listed for it:
//   viewer   - GET / HEAD / OPTIONS of anything (files, events, tickets, history, metrics),
//              POST /api/events/ticket (needed to watch), POST /api/validate (changes nothing);
//   operator - POST run controls: /api/{jobs|chains}/{name}/{run|pause|resume},
//              /api/jobs/{name}/dry-run, /api/connections/{name}/{pause|resume},
//              /api/activity/{id}/rerun-failed;
//   admin    - everything else: every PUT / DELETE / PATCH, POST /api/reload,
//              /api/jobs/{name}/{full-resync|allow-mass-delete} (the latter lifts the
//              mass-delete guard), and connection
//              actions that change credentials or metadata (authorize, disconnect, reconnect,
//              test, refresh-metadata).
// The rule looks only at the method and the path, so new routes fall into the right class without
// edits (a new PUT / DELETE needs admin).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sfsync::admin {

enum class Role { kViewer = 0, kOperator = 1, kAdmin = 2 };

class RolePolicy {
 public:
  // "viewer", "operator" or "admin".
  static const char* name(Role role);
  // The role of a configured spelling; nullopt for anything else.
  static std::optional<Role> parse(const std::string& text);
  // The lowest role that may send `method` to the path `segments` (percent-decoded, as
  // RequestTarget splits it).
  static Role required(const std::string& method, const std::vector<std::string>& segments);
  static bool allows(Role have, Role needed) {
    return static_cast<int>(have) >= static_cast<int>(needed);
  }
};

}  // namespace sfsync::admin
