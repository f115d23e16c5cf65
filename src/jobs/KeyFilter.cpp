#include "jobs/KeyFilter.h"

#include <functional>

namespace sfsync::jobs {

namespace {

// Double hashing (Kirsch-Mitzenmacher): bit i = h1 + i * h2, from one 64-bit string hash.
struct Probe {
  std::uint64_t h1;
  std::uint64_t h2;
};

Probe probe(const std::string& key) {
  const std::uint64_t h = std::hash<std::string>{}(key);
  std::uint64_t mixed = h ^ (h >> 31);
  mixed *= 0x9E3779B97F4A7C15ULL;
  mixed ^= mixed >> 29;
  return {h, mixed | 1};
}

}  // namespace

void KeyFilter::add(const std::string& key) {
  if (words_.empty()) words_.assign(kBits / 64, 0);
  const Probe p = probe(key);
  for (int i = 0; i < kHashes; ++i) {
    const std::uint64_t bit = (p.h1 + static_cast<std::uint64_t>(i) * p.h2) % kBits;
    words_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
}

bool KeyFilter::mayContain(const std::string& key) const {
  if (words_.empty()) return false;
  const Probe p = probe(key);
  for (int i = 0; i < kHashes; ++i) {
    const std::uint64_t bit = (p.h1 + static_cast<std::uint64_t>(i) * p.h2) % kBits;
    if ((words_[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0) return false;
  }
  return true;
}

}  // namespace sfsync::jobs
