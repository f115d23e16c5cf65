#include "snowflake/AccessToken.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "snowflake/KeyPairJwt.h"

namespace sfsync::snowflake {

namespace {

std::string basicAuth(const std::string& user, const std::string& secret) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << user << ':' << secret;
  encoder.close();
  return "Basic " + out.str();
}

std::string formField(const std::string& name, const std::string& value) {
  return name + "=" + salesforce::HttpTransport::percentEncode(value);
}

}  // namespace

AccessToken::AccessToken(const SnowflakeSettings& settings, Clock& clock,
                         salesforce::HttpTransport& http)
    : settings_(settings), clock_(clock), http_(http) {}

const char* AccessToken::tokenType() const {
  return settings_.auth == SnowflakeAuth::kKeyPair ? "KEYPAIR_JWT" : "OAUTH";
}

Result<std::string> AccessToken::get() {
  const Clock::TimePoint now = clock_.now();
  if (!token_.empty() && now < renewAt_) return token_;
  if (settings_.auth == SnowflakeAuth::kKeyPair) {
    Result<std::string> jwt = KeyPairJwt::build(settings_, now);
    if (!jwt.ok()) return jwt.status();
    token_ = *jwt;
    renewAt_ = now + KeyPairJwt::kLifetime - std::chrono::minutes(5);
    return token_;
  }
  return refreshOAuth();
}

Result<std::string> AccessToken::refreshOAuth() {
  const std::string who = "Snowflake connection '" + settings_.name + "'";
  if (settings_.clientId.empty() || settings_.refreshToken.empty()) {
    return Status::InvalidArgument(who + ": clientId and refreshToken are needed by OAuth");
  }
  salesforce::HttpRequest request;
  request.method = "POST";
  request.url = settings_.accountUrl + "/oauth/token-request";
  request.contentType = "application/x-www-form-urlencoded";
  request.headers.emplace_back("Authorization",
                               basicAuth(settings_.clientId, settings_.clientSecret));
  request.headers.emplace_back("Accept", "application/json");
  request.body = formField("grant_type", "refresh_token") + "&" +
                 formField("refresh_token", settings_.refreshToken);
  salesforce::HttpResponse response;
  Status sent = http_.send(request, response);
  if (!sent.ok()) return sent;
  std::string error;
  std::string accessToken;
  std::int64_t expiresIn = 600;
  try {
    Poco::JSON::Object::Ptr body =
        Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
    error = body->optValue<std::string>("error", "");
    accessToken = body->optValue<std::string>("access_token", "");
    expiresIn = body->optValue<std::int64_t>("expires_in", 600);
  } catch (const Poco::Exception&) {
    error = response.status == 200 ? "malformed answer" : "";
  }
  if (response.status == 400 && error == "invalid_grant") {
    return Status::Unauthenticated(
               who +
               ": Snowflake refused the OAuth refresh token (expired or revoked); authorise "
               "sfsync again, store the new refresh token and run `sfsyncd --reconnect=" +
               settings_.name + "`")
        .withRemote(kRefreshTokenExpired, 400);
  }
  if (response.status != 200 || accessToken.empty()) {
    return Status::Unauthenticated(who + ": the OAuth token request failed (HTTP " +
                                   std::to_string(response.status) +
                                   (error.empty() ? "" : ", " + error) + ")")
        .withRemote(error.empty() ? "OAUTH_FAILED" : error, response.status);
  }
  token_ = accessToken;
  renewAt_ = clock_.now() + std::chrono::seconds(std::max<std::int64_t>(expiresIn - 60, 1));
  return token_;
}

}  // namespace sfsync::snowflake
