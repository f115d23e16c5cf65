#include "admin/TokenAuthenticator.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cstddef>
#include <cstdint>

namespace sfsync::admin {

namespace {

std::vector<unsigned char> sha256(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return engine.digest();
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string hashAdminToken(const std::string& token) {
  return Poco::DigestEngine::digestToHex(sha256(token));
}

Result<TokenAuthenticator> TokenAuthenticator::create(const std::vector<AdminToken>& tokens) {
  TokenAuthenticator out;
  for (const AdminToken& token : tokens) {
    if (token.name.empty()) return Status::InvalidArgument("admin token without a name");
    for (const std::string& seen : out.names_) {
      if (seen == token.name) {
        return Status::InvalidArgument("admin token '" + token.name + "' is configured twice");
      }
    }
    Digest digest{};
    bool valid = token.sha256Hex.size() == 2 * digest.size();
    for (std::size_t i = 0; valid && i < digest.size(); ++i) {
      const int high = hexDigit(token.sha256Hex[2 * i]);
      const int low = hexDigit(token.sha256Hex[2 * i + 1]);
      valid = high >= 0 && low >= 0;
      digest[i] = static_cast<unsigned char>(high * 16 + low);
    }
    if (!valid) {
      return Status::InvalidArgument("admin token '" + token.name +
                                     "': the SHA-256 digest must be 64 hex digits");
    }
    const std::optional<Role> role = RolePolicy::parse(token.role);
    if (!role) {
      return Status::InvalidArgument("admin token '" + token.name + "': unknown role '" +
                                     token.role + "' (use viewer, operator or admin)");
    }
    out.digests_.push_back(digest);
    out.names_.push_back(token.name);
    out.roles_.push_back(*role);
  }
  return out;
}

TokenAuthenticator::Verdict TokenAuthenticator::authenticate(
    const std::string& authorization) const {
  // credentials = auth-scheme 1*SP token68 (RFC 7235 section 2.1): leading OWS is not part of the
  // field value; the scheme is case-insensitive; everything after the spaces is the token, byte
  // for byte - a trailing space or tab makes it a different (unknown) token.
  std::size_t pos = 0;
  while (pos < authorization.size() && isSpace(authorization[pos])) ++pos;
  static const std::string kScheme = "bearer";
  bool scheme =
      authorization.size() > pos + kScheme.size() && authorization[pos + kScheme.size()] == ' ';
  for (std::size_t i = 0; scheme && i < kScheme.size(); ++i) {
    const char c = authorization[pos + i];
    scheme = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == kScheme[i];
  }
  if (!scheme) return {Outcome::kMissing, ""};
  pos += kScheme.size();
  while (pos < authorization.size() && authorization[pos] == ' ') ++pos;
  const std::size_t end = authorization.size();
  if (end == pos) return {Outcome::kMissing, ""};

  const std::vector<unsigned char> presented = sha256(authorization.substr(pos, end - pos));
  // Compare against every digest; remember the match without branching on the digest bytes.
  std::size_t matched = digests_.size();
  for (std::size_t t = 0; t < digests_.size(); ++t) {
    unsigned char difference = 0;
    for (std::size_t i = 0; i < presented.size(); ++i) difference |= presented[i] ^ digests_[t][i];
    // isZero is 1 when difference == 0 (0u - 1 sets bit 8), else 0; equal is all-ones or zero.
    const unsigned isZero = ((static_cast<unsigned>(difference) - 1u) >> 8) & 1u;
    const std::size_t equal = static_cast<std::size_t>(0) - static_cast<std::size_t>(isZero);
    matched = (equal & t) | (~equal & matched);
  }
  if (matched == digests_.size()) return {Outcome::kRejected, ""};
  return {Outcome::kAccepted, names_[matched], roles_[matched]};
}

}  // namespace sfsync::admin
