// AuthorizationCodes: the simulator's state of the OAuth 2.0 web-server flow with PKCE - logins
// waiting for the consent step, and the one-time authorization codes the consent hands out, each
// bound to the client_id, redirect_uri and S256 code_challenge of its authorize request. Codes and
// consents expire after 10 minutes and can be used once.
//
// Thread-safety: all methods are safe from any thread (internal mutex).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace sfsync::sim {

// What an authorize request asked for.
struct AuthorizeRequest {
  std::string clientId;
  std::string redirectUri;
  std::string codeChallenge;  // base64url(SHA-256(code_verifier)), no padding
  std::string state;          // handed back unchanged
};

class AuthorizationCodes {
 public:
  AuthorizationCodes();

  // A logged-in user's pending consent: its id goes into the consent form.
  std::string beginConsent(const AuthorizeRequest& request);
  // The pending consent `id` (removed), or nullopt when unknown, used or expired.
  std::optional<AuthorizeRequest> takeConsent(const std::string& id);

  // A fresh one-time code for an approved request.
  std::string issueCode(const AuthorizeRequest& request);
  // The request `code` was issued for (the code is removed: a second redeem fails), or nullopt.
  std::optional<AuthorizeRequest> redeemCode(const std::string& code);

  // base64url without padding of SHA-256(`verifier`): the S256 challenge of a code_verifier.
  static std::string s256(const std::string& verifier);

 private:
  struct Entry {
    AuthorizeRequest request;
    std::chrono::steady_clock::time_point expires;
  };
  std::string randomId();
  std::optional<AuthorizeRequest> take(std::map<std::string, Entry>& from, const std::string& id);

  std::mutex mutex_;
  std::mt19937_64 random_;
  std::map<std::string, Entry> consents_;
  std::map<std::string, Entry> codes_;
};

}  // namespace sfsync::sim
