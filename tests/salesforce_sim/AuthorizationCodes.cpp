#include "salesforce_sim/AuthorizationCodes.h"

#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/SHA2Engine.h>

namespace sfsync::sim {

namespace {
constexpr std::chrono::minutes kLifetime{10};
}  // namespace

AuthorizationCodes::AuthorizationCodes() : random_(std::random_device{}()) {}

std::string AuthorizationCodes::randomId() {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 2; ++i) {
    std::uint64_t n = random_();
    for (int d = 0; d < 16; ++d, n >>= 4) out.push_back(kDigits[n & 15]);
  }
  return out;
}

std::string AuthorizationCodes::beginConsent(const AuthorizeRequest& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string id = randomId();
  consents_[id] = Entry{request, std::chrono::steady_clock::now() + kLifetime};
  return id;
}

std::optional<AuthorizeRequest> AuthorizationCodes::takeConsent(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return take(consents_, id);
}

std::string AuthorizationCodes::issueCode(const AuthorizeRequest& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string code = "aPrx" + randomId();
  codes_[code] = Entry{request, std::chrono::steady_clock::now() + kLifetime};
  return code;
}

std::optional<AuthorizeRequest> AuthorizationCodes::redeemCode(const std::string& code) {
  std::lock_guard<std::mutex> lock(mutex_);
  return take(codes_, code);
}

std::optional<AuthorizeRequest> AuthorizationCodes::take(std::map<std::string, Entry>& from,
                                                         const std::string& id) {
  const auto it = from.find(id);
  if (it == from.end()) return std::nullopt;
  Entry entry = std::move(it->second);
  from.erase(it);
  if (std::chrono::steady_clock::now() > entry.expires) return std::nullopt;
  return entry.request;
}

std::string AuthorizationCodes::s256(const std::string& verifier) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(verifier);
  const Poco::DigestEngine::Digest& digest = sha.digest();
  std::ostringstream out;
  Poco::Base64Encoder b64(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  b64.write(reinterpret_cast<const char*>(digest.data()),
            static_cast<std::streamsize>(digest.size()));
  b64.close();
  return out.str();
}

}  // namespace sfsync::sim
