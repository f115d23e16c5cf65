// OAuthStates: the pending OAuth web-server authorisations of the admin page (issue 17). POST
// /api/connections/{name}/authorize mints a `state` (128 random bits, hex) bound to the
// connection, the PKCE code_verifier, the redirect_uri and the token that asked; GET
// /oauth/callback redeems it. A state lives `ttl` (10 minutes: a person logs in), is used once
// (also when the exchange then fails), and at most kMaxOutstanding are kept (oldest forgotten
// first). The state is the callback's only credential, so it never reaches a log.
//
// Also makes the PKCE pair: a code_verifier of 43 base64url characters (32 random bytes) and its
// S256 code_challenge (RFC 7636).
//
// Thread-safety: every method may be called from any thread (one internal mutex; no I/O under it).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sfsync::admin {

class OAuthStates {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  static constexpr std::size_t kMaxOutstanding = 64;

  struct Pending {
    std::string connection;
    std::string codeVerifier;  // secret
    std::string redirectUri;
    std::string actor;  // the token that started it: the actor of the authorisation
  };

  explicit OAuthStates(std::chrono::seconds ttl = std::chrono::minutes(10), Now now = Clock::now)
      : ttl_(ttl), now_(std::move(now)) {}

  // A new state for `pending`.
  std::string issue(Pending pending);
  // What `state` was issued for, when it exists and has not expired; gone afterwards either way.
  std::optional<Pending> redeem(const std::string& state);

  std::chrono::seconds ttl() const { return ttl_; }

  // 32 random bytes as unpadded base64url (43 characters).
  static std::string newCodeVerifier();
  // base64url(SHA-256(verifier)) without padding.
  static std::string codeChallenge(const std::string& verifier);

 private:
  struct Entry {
    Pending pending;
    Clock::time_point expires;
  };
  void pruneLocked(Clock::time_point now);

  const std::chrono::seconds ttl_;
  const Now now_;
  std::mutex mu_;
  std::map<std::string, Entry> states_;
};

}  // namespace sfsync::admin
