// SessionStore: the simulator's live OAuth access tokens. Tokens look like Salesforce session ids
// ("<org id>!<random>"); revoking one or all of them is how the simulator provokes
// INVALID_SESSION_ID.
//
// Thread-safety: all methods are safe from any thread (internal mutex).
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <unordered_set>

namespace sfsync::sim {

class SessionStore {
 public:
  explicit SessionStore(std::string orgId);

  std::string issue();
  bool valid(const std::string& token) const;
  void revoke(const std::string& token);
  void revokeAll();
  std::size_t size() const;

 private:
  const std::string orgId_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> tokens_;
  std::mt19937_64 random_;
};

}  // namespace sfsync::sim
