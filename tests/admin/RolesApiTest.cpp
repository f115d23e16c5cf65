// Roles (issue 17): every route class x every role. The rule table lives in RolePolicy; this test
// drives it through the real server (403 naming both roles, GET /api/session) and directly.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "admin/AdminServerFixture.h"
#include "admin/RequestTarget.h"
#include "admin/RolePolicy.h"
#include "admin/TokenAuthenticator.h"

namespace sfsync::admin::testing {
namespace {

constexpr const char* kViewerToken = "viewer-6a1f0c2e9b8d4a7f3e5c1b0d2a9f8e7c";
constexpr const char* kOperatorToken = "operator-3c9e1a7b5d2f4e8a0c6b9d1f3e7a5c2b";

struct RouteCase {
  const char* method;
  std::string target;
  Role needed;
};

// One row per route class; a PUT / DELETE route nobody serves yet (issue 17 part E) is covered by
// the method rule.
std::vector<RouteCase> routeClasses(const std::string& executionId) {
  return {
      {"GET", "/api/connections", Role::kViewer},
      {"GET", "/api/jobs/Company%20Sync", Role::kViewer},
      {"GET", "/api/activity", Role::kViewer},
      {"GET", "/api/activity/" + executionId + "/errors", Role::kViewer},
      {"GET", "/api/updates", Role::kViewer},
      {"GET", "/api/jobs/Company%20Sync/history", Role::kViewer},
      {"GET", "/metrics", Role::kViewer},
      {"GET", "/api/session", Role::kViewer},
      {"GET", "/api/cluster", Role::kViewer},
      {"POST", "/api/events/ticket", Role::kViewer},
      {"POST", "/api/validate", Role::kViewer},
      {"POST", "/api/jobs/Company%20Sync/run", Role::kOperator},
      {"POST", "/api/chains/Nightly/run", Role::kOperator},
      {"POST", "/api/jobs/Company%20Sync/pause", Role::kOperator},
      {"POST", "/api/jobs/Company%20Sync/resume", Role::kOperator},
      {"POST", "/api/jobs/Company%20Sync/full-resync", Role::kAdmin},
      {"POST", "/api/jobs/Company%20Sync/allow-mass-delete", Role::kAdmin},
      {"POST", "/api/jobs/Company%20Sync/dry-run", Role::kOperator},
      {"POST", "/api/connections/Production/pause", Role::kOperator},
      {"POST", "/api/activity/" + executionId + "/rerun-failed", Role::kOperator},
      {"POST", "/api/reload", Role::kAdmin},
      {"POST", "/api/connections/Production/refresh-metadata", Role::kAdmin},
      {"POST", "/api/connections/Production/disconnect", Role::kAdmin},
      {"POST", "/api/connections/Sandbox/reconnect", Role::kAdmin},
      {"POST", "/api/connections/Production/authorize", Role::kAdmin},
      {"POST", "/api/connections/Production/test", Role::kAdmin},
      {"PUT", "/api/jobs/Company%20Sync", Role::kAdmin},
      {"DELETE", "/api/chains/Nightly", Role::kAdmin},
      {"PATCH", "/api/jobs/Company%20Sync", Role::kAdmin},
  };
}

class RolesApiTest : public AdminServerFixture {
 protected:
  void SetUp() override {
    AdminServerFixture::SetUp();
    AdminOptions options;
    options.tokens.push_back({"vera", hashAdminToken(kViewerToken), "viewer"});
    options.tokens.push_back({"otto", hashAdminToken(kOperatorToken), "operator"});
    startServer(options);  // adds alice and ci, both admin by default
  }
};

TEST_F(RolesApiTest, EveryRouteClassTimesEveryRole) {
  struct Caller {
    const char* token;
    const char* name;
    Role role;
  };
  const std::vector<Caller> callers = {{kViewerToken, "vera", Role::kViewer},
                                       {kOperatorToken, "otto", Role::kOperator},
                                       {kAliceToken, "alice", Role::kAdmin}};
  for (const RouteCase& route : routeClasses(seeded_.partialWithErrors.executionId)) {
    EXPECT_EQ(RolePolicy::required(route.method, RequestTarget::parse(route.target)->segments()),
              route.needed)
        << route.method << " " << route.target;
    for (const Caller& caller : callers) {
      const HttpReply reply = client_->request(route.method, route.target, caller.token);
      const std::string what = std::string(route.method) + " " + route.target + " as " +
                               caller.name + ": " + std::to_string(reply.status) + " " + reply.body;
      if (RolePolicy::allows(caller.role, route.needed)) {
        EXPECT_NE(reply.status, 403) << what;
        EXPECT_NE(reply.status, 401) << what;
      } else {
        ASSERT_EQ(reply.status, 403) << what;
        const std::string error = parseObject(reply.body)->getValue<std::string>("error");
        EXPECT_NE(
            error.find(std::string("needs the '") + RolePolicy::name(route.needed) + "' role"),
            std::string::npos)
            << what;
        EXPECT_NE(error.find(std::string("has the '") + RolePolicy::name(caller.role) + "' role"),
                  std::string::npos)
            << what;
      }
    }
  }
  // A refused request changed nothing: only operator and admin calls reached the control.
  for (const FakeAdminControl::Call& call : control_.calls()) EXPECT_NE(call.actor, "vera");
}

TEST_F(RolesApiTest, SessionNamesTokenAndRole) {
  const std::vector<std::pair<const char*, std::string>> cases = {
      {kViewerToken, R"({"token":"vera","role":"viewer"})"},
      {kOperatorToken, R"({"token":"otto","role":"operator"})"},
      {kCiToken, R"({"token":"ci","role":"admin"})"}};
  for (const auto& [token, expected] : cases) {
    const HttpReply reply = get("/api/session", token);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, expected);
  }
  EXPECT_EQ(get("/api/session", "").status, 401);
}

TEST(RolePolicyTest, ParsesOnlyTheThreeRoles) {
  EXPECT_EQ(RolePolicy::parse("viewer"), Role::kViewer);
  EXPECT_EQ(RolePolicy::parse("operator"), Role::kOperator);
  EXPECT_EQ(RolePolicy::parse("admin"), Role::kAdmin);
  EXPECT_FALSE(RolePolicy::parse("Admin").has_value());
  EXPECT_FALSE(RolePolicy::parse("").has_value());
  Result<TokenAuthenticator> bad =
      TokenAuthenticator::create({{"x", hashAdminToken("x-secret"), "root"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown role 'root'"), std::string::npos);
}

}  // namespace
}  // namespace sfsync::admin::testing
