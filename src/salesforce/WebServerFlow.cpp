#include "sfsync/salesforce/WebServerFlow.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "salesforce/HttpTransport.h"
#include "salesforce/JsonFields.h"
#include "salesforce/SalesforceError.h"

namespace sfsync::salesforce {

namespace {

void addField(std::string& form, const char* name, const std::string& value) {
  if (!form.empty()) form.push_back('&');
  form += name;
  form.push_back('=');
  form += HttpTransport::percentEncode(value);
}

Result<WebServerGrant> parseGrant(const std::string& body) {
  Poco::JSON::Object::Ptr obj;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(body);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) obj = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  if (!obj) return Status::DataError("token endpoint answered 200 with a body that is not JSON");
  WebServerGrant grant;
  grant.refreshToken = json::getString(*obj, "refresh_token");
  grant.instanceUrl = json::getString(*obj, "instance_url");
  while (!grant.instanceUrl.empty() && grant.instanceUrl.back() == '/')
    grant.instanceUrl.pop_back();
  if (grant.refreshToken.empty()) {
    return Status::DataError(
        "the token response has no refresh_token: give the Connected App the 'refresh_token, "
        "offline_access' scope");
  }
  if (grant.instanceUrl.empty()) return Status::DataError("the token response has no instance_url");
  return grant;
}

}  // namespace

std::string WebServerFlow::authorizeUrl(const ConnectionSettings& settings,
                                        const std::string& redirectUri, const std::string& state,
                                        const std::string& codeChallenge) {
  std::string query;
  addField(query, "response_type", "code");
  addField(query, "client_id", settings.clientId);
  addField(query, "redirect_uri", redirectUri);
  addField(query, "code_challenge", codeChallenge);
  addField(query, "code_challenge_method", "S256");
  addField(query, "state", state);
  addField(query, "scope", "api refresh_token");
  return settings.loginUrl() + "/services/oauth2/authorize?" + query;
}

Result<WebServerGrant> WebServerFlow::exchangeCode(const ConnectionSettings& settings,
                                                   const std::string& code,
                                                   const std::string& codeVerifier,
                                                   const std::string& redirectUri) {
  TransportOptions options;
  options.timeout = settings.timeout;
  options.caFile = settings.caFile;
  options.verifyCertificates = settings.verifyCertificates;
  options.maxResponseBytes = 1 << 20;  // a token answer is a few hundred bytes
  options.responseDeadline = std::chrono::seconds(60);
  options.limitPrefix = "connection." + settings.name + ".";
  HttpTransport transport(options);

  HttpRequest request;
  request.method = "POST";
  request.url = settings.loginUrl() + "/services/oauth2/token";
  request.contentType = "application/x-www-form-urlencoded";
  addField(request.body, "grant_type", "authorization_code");
  addField(request.body, "code", code);
  addField(request.body, "client_id", settings.clientId);
  if (!settings.clientSecret.empty())
    addField(request.body, "client_secret", settings.clientSecret);
  addField(request.body, "redirect_uri", redirectUri);
  addField(request.body, "code_verifier", codeVerifier);
  HttpResponse response;
  Status sent = transport.send(request, response);
  if (!sent.ok()) return sent;
  if (response.status < 200 || response.status >= 300) {
    return SalesforceError::fromTokenResponse(response.status, response.reason, response.body);
  }
  return parseGrant(response.body);
}

}  // namespace sfsync::salesforce
