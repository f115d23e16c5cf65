#include "admin/RolePolicy.h"

#include <initializer_list>

namespace sfsync::admin {

namespace {

bool isOneOf(const std::string& value, std::initializer_list<const char*> options) {
  for (const char* option : options) {
    if (value == option) return true;
  }
  return false;
}

// POST requests below admin: the read-like ones (viewer) and the run controls (operator).
Role postRole(const std::vector<std::string>& s) {
  if (s.size() < 2 || s[0] != "api") return Role::kAdmin;
  const std::string& family = s[1];
  if (s.size() == 2 && family == "validate") return Role::kViewer;
  if (s.size() == 3 && family == "events" && s[2] == "ticket") return Role::kViewer;
  if (s.size() != 4) return Role::kAdmin;
  const std::string& action = s[3];
  // full-resync and allow-mass-delete stay admin: the latter lifts a safety guard.
  if (family == "jobs" && isOneOf(action, {"run", "pause", "resume", "dry-run"})) {
    return Role::kOperator;
  }
  if (family == "chains" && isOneOf(action, {"run", "pause", "resume"})) return Role::kOperator;
  if (family == "connections" && isOneOf(action, {"pause", "resume"})) return Role::kOperator;
  if (family == "activity" && action == "rerun-failed") return Role::kOperator;
  return Role::kAdmin;
}

}  // namespace

const char* RolePolicy::name(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kOperator:
      return "operator";
    case Role::kAdmin:
      break;
  }
  return "admin";
}

std::optional<Role> RolePolicy::parse(const std::string& text) {
  if (text == "viewer") return Role::kViewer;
  if (text == "operator") return Role::kOperator;
  if (text == "admin") return Role::kAdmin;
  return std::nullopt;
}

Role RolePolicy::required(const std::string& method, const std::vector<std::string>& segments) {
  if (isOneOf(method, {"GET", "HEAD", "OPTIONS"})) return Role::kViewer;
  if (method == "POST") return postRole(segments);
  return Role::kAdmin;  // PUT, DELETE, PATCH and anything new
}

}  // namespace sfsync::admin
