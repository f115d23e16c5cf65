#include "salesforce_sim/OAuthAuthorizeEndpoint.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/URI.h>

namespace sfsync::sim {

namespace {

std::string escapeHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string hidden(const char* name, const std::string& value) {
  return std::string("<input type=\"hidden\" name=\"") + name + "\" value=\"" + escapeHtml(value) +
         "\">";
}

SimReply htmlPage(int status, const std::string& title, const std::string& body) {
  SimReply reply(status,
                 "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><link "
                 "rel=\"icon\" href=\"data:,\"><title>" +
                     escapeHtml(title) + "</title></head><body><main><h1>" + escapeHtml(title) +
                     "</h1>" + body + "</main></body></html>");
  reply.contentType = "text/html;charset=UTF-8";
  return reply;
}

std::string withQuery(const std::string& uri, const std::string& query) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + query;
}

std::string encoded(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

AuthorizeRequest requestOf(const Poco::Net::NameValueCollection& form) {
  return AuthorizeRequest{form.get("client_id", ""), form.get("redirect_uri", ""),
                          form.get("code_challenge", ""), form.get("state", "")};
}

}  // namespace

std::string OAuthAuthorizeEndpoint::refusal(const AuthorizeRequest& request,
                                            const std::string& responseType,
                                            const std::string& method) const {
  if (responseType != "code") return "unsupported_response_type: response_type must be code";
  if (request.clientId != options_.clientId) return "invalid_client_id: client identifier invalid";
  if (request.redirectUri.empty() ||
      (!options_.oauthCallbackUrl.empty() && request.redirectUri != options_.oauthCallbackUrl)) {
    return "redirect_uri_mismatch: redirect_uri must match configuration";
  }
  if (request.codeChallenge.empty() || method != "S256") {
    return "invalid_request: code_challenge with code_challenge_method=S256 is required";
  }
  return "";
}

SimReply OAuthAuthorizeEndpoint::handle(Poco::Net::HTTPServerRequest& request,
                                        const std::string& password) const {
  Poco::Net::HTMLForm form(request, request.stream());
  const AuthorizeRequest asked = requestOf(form);
  if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_POST &&
      form.get("step", "") == "consent") {
    return consent(form.get("consent", ""), form.get("decision", "") == "allow");
  }
  const std::string refused =
      refusal(asked, form.get("response_type", ""), form.get("code_challenge_method", ""));
  if (!refused.empty()) return htmlPage(400, "OAuth Error", "<p>" + escapeHtml(refused) + "</p>");
  if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) return loginPage(asked, "");
  if (form.get("username", "") != options_.username || form.get("password", "") != password) {
    return loginPage(asked, "Please check your username and password.");
  }
  return consentPage(asked);
}

SimReply OAuthAuthorizeEndpoint::loginPage(const AuthorizeRequest& r,
                                           const std::string& error) const {
  std::string body = error.empty() ? "" : "<p role=\"alert\">" + escapeHtml(error) + "</p>";
  body += "<form method=\"post\" action=\"/services/oauth2/authorize\">" + hidden("step", "login") +
          hidden("response_type", "code") + hidden("client_id", r.clientId) +
          hidden("redirect_uri", r.redirectUri) + hidden("code_challenge", r.codeChallenge) +
          hidden("code_challenge_method", "S256") + hidden("state", r.state) +
          "<label for=\"username\">Username</label> <input id=\"username\" name=\"username\" "
          "autocomplete=\"username\"><br><label for=\"password\">Password</label> <input "
          "id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">"
          "<br><button type=\"submit\" id=\"Login\">Log In</button></form>";
  return htmlPage(200, "Login | Salesforce simulator", body);
}

SimReply OAuthAuthorizeEndpoint::consentPage(const AuthorizeRequest& r) const {
  const std::string id = codes_.beginConsent(r);
  const std::string body =
      "<p>sfsync is requesting access to your data (api refresh_token offline_access).</p>"
      "<form method=\"post\" action=\"/services/oauth2/authorize\">" +
      hidden("step", "consent") + hidden("consent", id) +
      "<button type=\"submit\" name=\"decision\" value=\"allow\" id=\"oaapprove\">Allow</button> "
      "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"oadeny\">Deny</button>"
      "</form>";
  return htmlPage(200, "Allow Access?", body);
}

SimReply OAuthAuthorizeEndpoint::consent(const std::string& id, bool allow) const {
  const std::optional<AuthorizeRequest> pending = codes_.takeConsent(id);
  if (!pending) {
    return htmlPage(400, "OAuth Error", "<p>invalid_request: the login expired, start again</p>");
  }
  const std::string state = pending->state.empty() ? "" : "&state=" + encoded(pending->state);
  SimReply reply(302, "");
  reply.contentType = "text/plain";
  const std::string query =
      allow ? "code=" + encoded(codes_.issueCode(*pending)) + state
            : "error=access_denied&error_description=" + encoded("end-user denied authorization") +
                  state;
  reply.headers.emplace_back("Location", withQuery(pending->redirectUri, query));
  return reply;
}

}  // namespace sfsync::sim
