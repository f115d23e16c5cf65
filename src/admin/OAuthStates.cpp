#include "admin/OAuthStates.h"

#include <Poco/Base64Encoder.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>

#include <array>
#include <cstdio>
#include <sstream>

namespace sfsync::admin {

namespace {

template <std::size_t N>
std::array<unsigned char, N> randomBytes() {
  std::array<unsigned char, N> bytes{};
  Poco::RandomInputStream random;  // the OS's cryptographic source where available
  random.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

std::string base64Url(const unsigned char* data, std::size_t size) {
  std::ostringstream out;
  Poco::Base64Encoder b64(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  b64.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  b64.close();
  return out.str();
}

}  // namespace

std::string OAuthStates::newCodeVerifier() {
  const auto bytes = randomBytes<32>();
  return base64Url(bytes.data(), bytes.size());
}

std::string OAuthStates::codeChallenge(const std::string& verifier) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(verifier);
  const Poco::DigestEngine::Digest& digest = sha.digest();
  return base64Url(digest.data(), digest.size());
}

void OAuthStates::pruneLocked(Clock::time_point now) {
  for (auto it = states_.begin(); it != states_.end();) {
    it = it->second.expires <= now ? states_.erase(it) : std::next(it);
  }
  while (states_.size() >= kMaxOutstanding) {
    auto oldest = states_.begin();
    for (auto it = states_.begin(); it != states_.end(); ++it) {
      if (it->second.expires < oldest->second.expires) oldest = it;
    }
    states_.erase(oldest);
  }
}

std::string OAuthStates::issue(Pending pending) {
  const auto bytes = randomBytes<16>();
  std::string state;
  char digits[3];
  for (unsigned char b : bytes) {
    std::snprintf(digits, sizeof digits, "%02x", static_cast<unsigned>(b));
    state += digits;
  }
  const Clock::time_point now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  pruneLocked(now);
  states_[state] = Entry{std::move(pending), now + ttl_};
  return state;
}

std::optional<OAuthStates::Pending> OAuthStates::redeem(const std::string& state) {
  const Clock::time_point now = now_();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(state);
  if (it == states_.end()) return std::nullopt;
  Entry entry = std::move(it->second);
  states_.erase(it);
  if (entry.expires <= now) return std::nullopt;
  return std::move(entry.pending);
}

}  // namespace sfsync::admin
