// TokenAuthenticator: checks "Authorization: Bearer <token>" against the configured token digests.
// The presented token is hashed (SHA-256) and its digest compared with EVERY configured digest in
// constant time (no early exit, no data-dependent branch), so response time reveals neither which
// bytes matched nor which token came close. Tokens themselves are never stored.
//
// Thread-safety: immutable after create(); authenticate() is safe from any thread.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "admin/RolePolicy.h"
#include "sfsync/admin/AdminOptions.h"
#include "sfsync/core/Result.h"

namespace sfsync::admin {

class TokenAuthenticator {
 public:
  enum class Outcome { kAccepted, kMissing, kRejected };
  struct Verdict {
    Outcome outcome = Outcome::kMissing;
    std::string tokenName;      // set when accepted: the actor of write requests
    Role role = Role::kViewer;  // set when accepted
  };

  TokenAuthenticator() = default;  // accepts nobody

  // Errors: kInvalidArgument naming the token whose digest is not 64 hex digits, whose role is
  // not viewer / operator / admin, or a duplicate or empty token name.
  static Result<TokenAuthenticator> create(const std::vector<AdminToken>& tokens);

  // `authorization` is the header's value ("" when absent). The scheme is case-insensitive.
  Verdict authenticate(const std::string& authorization) const;

  bool empty() const { return digests_.empty(); }

 private:
  using Digest = std::array<unsigned char, 32>;
  std::vector<Digest> digests_;
  std::vector<std::string> names_;
  std::vector<Role> roles_;
};

}  // namespace sfsync::admin
