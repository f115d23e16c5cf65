// KeyFilter: a fixed-size Bloom filter over text keys - a compact, bounded summary of the upsert
// keys a run has written, so duplicate-key tracking asks the store's on-disk key map only about
// keys that may have been seen (on an extract without duplicates: almost never). False positives
// cost one needless store lookup; there are no false negatives. Memory is kBits / 8 bytes however
// many keys are added (2 MiB; at 2M keys about 2% of lookups are needless).
//
// Thread-safety: not thread-safe; owned by one run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sfsync::jobs {

class KeyFilter {
 public:
  void add(const std::string& key);
  bool mayContain(const std::string& key) const;

 private:
  static constexpr std::uint64_t kBits = std::uint64_t{1} << 24;
  static constexpr int kHashes = 4;

  std::vector<std::uint64_t> words_;  // allocated on the first add()
};

}  // namespace sfsync::jobs
