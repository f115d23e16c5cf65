#include "salesforce_sim/SessionStore.h"

namespace sfsync::sim {

SessionStore::SessionStore(std::string orgId)
    : orgId_(std::move(orgId)), random_(std::random_device{}()) {}

std::string SessionStore::issue() {
  static const char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
  std::lock_guard<std::mutex> lock(mutex_);
  std::string token = orgId_.substr(0, 15) + "!";
  for (int i = 0; i < 96; ++i) token.push_back(kAlphabet[random_() % 64]);
  tokens_.insert(token);
  return token;
}

bool SessionStore::valid(const std::string& token) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tokens_.count(token) > 0;
}

void SessionStore::revoke(const std::string& token) {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.erase(token);
}

void SessionStore::revokeAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.clear();
}

std::size_t SessionStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tokens_.size();
}

}  // namespace sfsync::sim
