#include "salesforce_sim/OAuthTokenEndpoint.h"

#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/SHA2Engine.h>

#include "salesforce_sim/JsonText.h"
#include "salesforce_sim/JwtBearerVerifier.h"
#include "salesforce_sim/SimTime.h"

namespace sfsync::sim {
namespace {

const char* const kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

std::string oauthError(const std::string& error, const std::string& description) {
  return JwtBearerVerifier::oauthError(error, description);
}

}  // namespace

// RFC 2104 HMAC over Poco's SHA-256.
std::string OAuthTokenEndpoint::hmacSha256Base64(const std::string& key,
                                                 const std::string& message) {
  const std::size_t kBlock = 64;
  std::string k = key;
  if (k.size() > kBlock) {
    Poco::SHA2Engine h(Poco::SHA2Engine::SHA_256);
    h.update(k);
    const auto& d = h.digest();
    k.assign(d.begin(), d.end());
  }
  k.resize(kBlock, '\0');
  std::string inner(kBlock, '\0'), outer(kBlock, '\0');
  for (std::size_t i = 0; i < kBlock; ++i) {
    inner[i] = static_cast<char>(k[i] ^ 0x36);
    outer[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  Poco::SHA2Engine ih(Poco::SHA2Engine::SHA_256);
  ih.update(inner);
  ih.update(message);
  const auto innerDigest = ih.digest();
  Poco::SHA2Engine oh(Poco::SHA2Engine::SHA_256);
  oh.update(outer);
  oh.update(innerDigest.data(), static_cast<unsigned>(innerDigest.size()));
  const auto mac = oh.digest();
  std::ostringstream encoded;
  Poco::Base64Encoder b64(encoded);
  b64.rdbuf()->setLineLength(0);
  b64.write(reinterpret_cast<const char*>(mac.data()), static_cast<std::streamsize>(mac.size()));
  b64.close();
  return encoded.str();
}

OAuthTokenEndpoint::OAuthTokenEndpoint(const SimOptions& options, SessionStore& sessions,
                                       AuthorizationCodes& codes)
    : options_(options), sessions_(sessions), codes_(codes), jwt_(options) {}

std::optional<SimReply> OAuthTokenEndpoint::refuseCode(
    const Poco::Net::NameValueCollection& form) const {
  // The code is used up by this attempt, right or wrong (as Salesforce does).
  const std::optional<AuthorizeRequest> issued = codes_.redeemCode(form.get("code", ""));
  if (!issued) return SimReply{400, oauthError("invalid_grant", "invalid authorization code")};
  if (form.get("client_id", "") != issued->clientId) {
    return SimReply{400, oauthError("invalid_client_id", "client identifier invalid")};
  }
  if (form.get("redirect_uri", "") != issued->redirectUri) {
    return SimReply{400, oauthError("redirect_uri_mismatch", "redirect_uri must match")};
  }
  if (AuthorizationCodes::s256(form.get("code_verifier", "")) != issued->codeChallenge) {
    return SimReply{400, oauthError("invalid_grant", "invalid code verifier")};
  }
  return std::nullopt;
}

void OAuthTokenEndpoint::setIdentity(const std::string& orgId, const std::string& userId) {
  orgId_ = orgId;
  userId_ = userId;
}

SimReply OAuthTokenEndpoint::handle(Poco::Net::HTTPServerRequest& request, const std::string& base,
                                    const std::string& password) const {
  if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
    return {400, oauthError("invalid_request", "must use HTTP POST")};
  }
  Poco::Net::HTMLForm form(request, request.stream());
  const std::string grant = form.get("grant_type", "");
  if (grant == kJwtBearerGrant) {
    if (auto refused = jwt_.verify(form.get("assertion", ""), base, SimTime::nowMs())) {
      return *refused;
    }
    return tokenBody(base, false);
  }
  if (grant == "authorization_code") {
    if (form.has("client_secret") && form.get("client_secret") != options_.clientSecret) {
      return {400, oauthError("invalid_client", "invalid client credentials")};
    }
    if (auto refused = refuseCode(form)) return *refused;
    return tokenBody(base, true);
  }
  if (grant != "password" && grant != "refresh_token") {
    return {400, oauthError("unsupported_grant_type", "grant type not supported")};
  }
  if (form.get("client_id", "") != options_.clientId) {
    return {400, oauthError("invalid_client_id", "client identifier invalid")};
  }
  if (form.has("client_secret") && form.get("client_secret") != options_.clientSecret) {
    return {400, oauthError("invalid_client", "invalid client credentials")};
  }
  if (grant == "password") {
    const std::string expected = password + options_.securityToken;
    if (form.get("username", "") != options_.username || form.get("password", "") != expected) {
      return {400, oauthError("invalid_grant", "authentication failure")};
    }
  } else if (form.get("refresh_token", "") != options_.refreshToken) {
    return {400, oauthError("invalid_grant", "expired access/refresh token")};
  }
  return tokenBody(base, grant == "password");
}

SimReply OAuthTokenEndpoint::tokenBody(const std::string& base, bool withRefreshToken) const {
  const std::string id = base + "/id/" + orgId_ + "/" + userId_;
  const std::string issuedAt = std::to_string(SimTime::nowMs());
  std::string out = "{";
  JsonText::appendKey(out, "access_token");
  JsonText::appendString(out, sessions_.issue());
  if (withRefreshToken) {
    out.push_back(',');
    JsonText::appendKey(out, "refresh_token");
    JsonText::appendString(out, options_.refreshToken);
  }
  const std::pair<const char*, std::string> fields[] = {
      {"instance_url", base},
      {"id", id},
      {"token_type", "Bearer"},
      {"issued_at", issuedAt},
      {"signature", hmacSha256Base64(options_.clientSecret, id + issuedAt)}};
  for (const auto& [key, value] : fields) {
    out.push_back(',');
    JsonText::appendKey(out, key);
    JsonText::appendString(out, value);
  }
  out.push_back('}');
  return {200, out};
}

}  // namespace sfsync::sim
