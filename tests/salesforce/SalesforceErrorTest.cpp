#include "salesforce/SalesforceError.h"

#include <gtest/gtest.h>

namespace sfsync::salesforce {
namespace {

TEST(SalesforceErrorTest, ParsesErrorArrays) {
  const auto errors = SalesforceError::parseBody(
      R"([{"message":"No such column 'Foo' on entity 'Account'","errorCode":"INVALID_FIELD",)"
      R"("fields":["Foo"]},{"message":"second","errorCode":"OTHER"}])");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].errorCode, "INVALID_FIELD");
  EXPECT_EQ(errors[0].message, "No such column 'Foo' on entity 'Account'");
  EXPECT_EQ(errors[0].fields, std::vector<std::string>{"Foo"});
  EXPECT_EQ(errors[1].errorCode, "OTHER");
  EXPECT_TRUE(errors[1].fields.empty());
}

TEST(SalesforceErrorTest, ParseBodyToleratesOtherShapes) {
  EXPECT_TRUE(SalesforceError::parseBody("").empty());
  EXPECT_TRUE(SalesforceError::parseBody("<html>Bad Gateway</html>").empty());
  EXPECT_TRUE(SalesforceError::parseBody("[{\"message\":").empty());
  EXPECT_TRUE(SalesforceError::parseBody("{\"unrelated\":1}").empty());
  EXPECT_TRUE(SalesforceError::parseBody("[]").empty());
  const auto single = SalesforceError::parseBody(R"({"errorCode":"X","message":"m"})");
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].errorCode, "X");
  const auto composite =
      SalesforceError::parseBody(R"([{"statusCode":"DUPLICATE_VALUE","message":"dup"}])");
  ASSERT_EQ(composite.size(), 1u);
  EXPECT_EQ(composite[0].errorCode, "DUPLICATE_VALUE");
}

struct StatusCase {
  int http;
  std::string body;
  StatusCode code;
  std::string remoteCode;
  std::string message;
};

std::string errorBody(const std::string& code, const std::string& message) {
  return R"([{"message":")" + message + R"(","errorCode":")" + code + R"("}])";
}

TEST(SalesforceErrorTest, MapsResponsesToStatus) {
  const std::vector<StatusCase> cases = {
      {400, errorBody("INVALID_FIELD", "No such column 'Foo' on entity 'Account'"),
       StatusCode::kRemoteError, "INVALID_FIELD", "No such column 'Foo' on entity 'Account'"},
      {400, errorBody("MALFORMED_QUERY", "unexpected token: FORM"), StatusCode::kRemoteError,
       "MALFORMED_QUERY", "unexpected token: FORM"},
      {400, errorBody("INVALID_TYPE", "sObject type 'Nope' is not supported."),
       StatusCode::kRemoteError, "INVALID_TYPE", "sObject type 'Nope' is not supported."},
      {404, errorBody("NOT_FOUND", "The requested resource does not exist"),
       StatusCode::kRemoteError, "NOT_FOUND", "The requested resource does not exist"},
      {400, errorBody("INVALID_QUERY_LOCATOR", "invalid query locator"), StatusCode::kRemoteError,
       "INVALID_QUERY_LOCATOR", "invalid query locator"},
      {403, errorBody("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
       StatusCode::kPermissionDenied, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."},
      {403, errorBody("INSUFFICIENT_ACCESS", "no access"), StatusCode::kRemoteError,
       "INSUFFICIENT_ACCESS", "no access"},
      {401, errorBody("INVALID_SESSION_ID", "Session expired or invalid"),
       StatusCode::kUnauthenticated, "INVALID_SESSION_ID", "Session expired or invalid"},
      {500, errorBody("UNKNOWN_EXCEPTION", "An unexpected error occurred"),
       StatusCode::kUnavailable, "UNKNOWN_EXCEPTION", "An unexpected error occurred"},
      {503, errorBody("SERVER_UNAVAILABLE", "down for maintenance"), StatusCode::kUnavailable,
       "SERVER_UNAVAILABLE", "down for maintenance"},
      {400, errorBody("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access"),
       StatusCode::kUnavailable, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access"},
      {502, "<html>\n<body>Bad Gateway</body>\n</html>", StatusCode::kUnavailable, "",
       "HTTP 502 Bad Gateway: <html> <body>Bad Gateway</body> </html>"},
      {400, "", StatusCode::kRemoteError, "", "HTTP 400 Bad Gateway"},
      {400, R"([{"errorCode":"A","message":"first"},{"errorCode":"B","message":"second"}])",
       StatusCode::kRemoteError, "A", "first; B: second"},
  };
  for (const auto& c : cases) {
    const Status s = SalesforceError::toStatus(c.http, "Bad Gateway", c.body);
    EXPECT_EQ(s.code(), c.code) << c.body;
    EXPECT_EQ(s.remoteCode(), c.remoteCode) << c.body;
    EXPECT_EQ(s.message(), c.message) << c.body;
    EXPECT_EQ(s.httpStatus(), c.http) << c.body;
  }
}

TEST(SalesforceErrorTest, LongNonJsonBodiesAreCut) {
  const Status s = SalesforceError::toStatus(500, "Internal Server Error", std::string(1000, 'x'));
  EXPECT_LT(s.message().size(), 260u);
  EXPECT_NE(s.message().find("..."), std::string::npos);
}

TEST(SalesforceErrorTest, TokenErrors) {
  const struct {
    int http;
    std::string body;
    StatusCode code;
    std::string remoteCode;
    std::string message;
  } cases[] = {
      {400, R"({"error":"invalid_grant","error_description":"authentication failure"})",
       StatusCode::kUnauthenticated, "invalid_grant", "authentication failure"},
      {400, R"({"error":"invalid_client_id","error_description":"client identifier invalid"})",
       StatusCode::kUnauthenticated, "invalid_client_id", "client identifier invalid"},
      {400, R"({"error":"unsupported_grant_type"})", StatusCode::kUnauthenticated,
       "unsupported_grant_type", "unsupported_grant_type"},
      {401, "not json", StatusCode::kUnauthenticated, "", "HTTP 401 Unauthorized: not json"},
      {503, R"({"error":"server_error","error_description":"maintenance"})",
       StatusCode::kUnavailable, "server_error", "token endpoint: maintenance"},
  };
  for (const auto& c : cases) {
    const Status s = SalesforceError::fromTokenResponse(c.http, "Unauthorized", c.body);
    EXPECT_EQ(s.code(), c.code) << c.body;
    EXPECT_EQ(s.remoteCode(), c.remoteCode) << c.body;
    EXPECT_EQ(s.message(), c.message) << c.body;
    EXPECT_EQ(s.httpStatus(), c.http) << c.body;
  }
}

}  // namespace
}  // namespace sfsync::salesforce
