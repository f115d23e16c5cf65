#include "salesforce/Authenticator.h"

#include <Poco/JSON/Parser.h>

#include "salesforce/Backoff.h"
#include "salesforce/JsonFields.h"
#include "salesforce/JwtAssertion.h"
#include "salesforce/SalesforceError.h"

namespace sfsync::salesforce {

namespace {

void addField(std::string& form, const char* name, const std::string& value) {
  if (!form.empty()) form.push_back('&');
  form += name;
  form.push_back('=');
  form += HttpTransport::percentEncode(value);
}

Status missing(const ConnectionSettings& settings, const char* what) {
  return Status::InvalidArgument("connection '" + settings.name + "': " + what + " is not set");
}

std::string stripTrailingSlashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::string Authenticator::tokenUrl(const ConnectionSettings& settings) {
  return settings.loginUrl() + "/services/oauth2/token";
}

Result<std::string> Authenticator::tokenRequestBody(const ConnectionSettings& settings) {
  return tokenRequestBody(settings, std::chrono::system_clock::now());
}

Result<std::string> Authenticator::tokenRequestBody(const ConnectionSettings& settings,
                                                    Clock::TimePoint now) {
  if (settings.authFlow == AuthFlow::kJwtBearer) {
    Result<std::string> assertion = JwtAssertion::build(settings, now);
    if (!assertion.ok()) return assertion.status();
    std::string form;
    addField(form, "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    addField(form, "assertion", *assertion);
    return form;
  }
  if (settings.clientId.empty()) return missing(settings, "clientId");
  std::string form;
  if (settings.authFlow == AuthFlow::kWebServer) {  // issue 17: PKCE; the secret is optional
    if (settings.refreshToken.empty()) {
      return Status::Unauthenticated(
          "connection '" + settings.name +
          "' is not authorised: use Authorize on the admin page's Connections view");
    }
    addField(form, "grant_type", "refresh_token");
    addField(form, "client_id", settings.clientId);
    if (!settings.clientSecret.empty()) addField(form, "client_secret", settings.clientSecret);
    addField(form, "refresh_token", settings.refreshToken);
    return form;
  }
  if (settings.clientSecret.empty()) return missing(settings, "clientSecret");
  if (settings.authFlow == AuthFlow::kRefreshToken) {
    if (settings.refreshToken.empty()) return missing(settings, "refreshToken");
    addField(form, "grant_type", "refresh_token");
    addField(form, "client_id", settings.clientId);
    addField(form, "client_secret", settings.clientSecret);
    addField(form, "refresh_token", settings.refreshToken);
  } else {
    if (settings.username.empty()) return missing(settings, "username");
    if (settings.password.empty()) return missing(settings, "password");
    addField(form, "grant_type", "password");
    addField(form, "client_id", settings.clientId);
    addField(form, "client_secret", settings.clientSecret);
    addField(form, "username", settings.username);
    addField(form, "password", settings.password + settings.securityToken);
  }
  return form;
}

Result<AccessToken> Authenticator::parseTokenResponse(const std::string& body) const {
  Poco::JSON::Object::Ptr obj;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) obj = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  if (!obj) return Status::DataError("token endpoint answered 200 with a body that is not JSON");
  AccessToken token;
  token.accessToken = json::getString(*obj, "access_token");
  token.instanceUrl = stripTrailingSlashes(json::getString(*obj, "instance_url"));
  token.identityUrl = json::getString(*obj, "id");
  if (token.accessToken.empty() || token.instanceUrl.empty()) {
    return Status::DataError("token response lacks access_token or instance_url");
  }
  if (Status st = HttpTransport::checkUrl(token.instanceUrl); !st.ok()) {
    return Status::InvalidArgument("token endpoint returned an unusable instance_url: " +
                                   st.message());
  }
  return token;
}

Result<AccessToken> Authenticator::requestToken(ApiUsage& usage, RetryRecorder* retries) {
  Result<std::string> form = tokenRequestBody(settings_, clock_.now());
  if (!form.ok()) return form.status();

  HttpRequest request;
  request.method = "POST";
  request.url = tokenUrl(settings_);
  request.contentType = "application/x-www-form-urlencoded";
  request.body = std::move(form).value();

  Backoff backoff(settings_.maxRetries, settings_.initialBackoff, settings_.maxBackoff, clock_);
  HttpResponse response;
  for (int attempt = 1;; ++attempt) {
    Status status = transport_.send(request, response);
    if (status.code() != StatusCode::kInvalidArgument) ++usage.authentications;
    const bool answered = status.ok();
    if (answered) {
      if (response.status >= 200 && response.status < 300) return parseTokenResponse(response.body);
      status = SalesforceError::fromTokenResponse(response.status, response.reason, response.body);
      if (settings_.authFlow == AuthFlow::kJwtBearer)
        status = JwtAssertion::explainTokenError(status);
    }
    if (!RetryRecorder::retryable(status)) return status;
    if (retries != nullptr && backoff.retriesUsed() < settings_.maxRetries) {
      retries->note(answered ? RetryCause::kServerError : RetryCause::kNetworkError, attempt,
                    settings_.maxRetries, "POST /services/oauth2/token", status);
    }
    if (!backoff.sleepBeforeRetry()) {
      return Status::Unavailable(status.message() + " (gave up after " +
                                 std::to_string(backoff.retriesUsed()) + " retries)")
          .withRemote(status.remoteCode(), status.httpStatus());
    }
    if (settings_.authFlow ==
        AuthFlow::kJwtBearer) {  // a fresh assertion: the last may be expiring
      Result<std::string> again = tokenRequestBody(settings_, clock_.now());
      if (!again.ok()) return again.status();
      request.body = std::move(again).value();
    }
  }
}

}  // namespace sfsync::salesforce
