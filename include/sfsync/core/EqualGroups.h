// EqualGroups: finds, among n items, the first (lowest-index) item equal to each, without building
// text keys or a map: the items are sorted by (hash, index), and an item compares only with the
// items of equal hash before it. Used to find a page's repeated upsert keys (SqliteUpserter) and
// its distinct lookup keys (PageProcessor).
//
// Thread-safety: a pure function.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace sfsync {

// For each item i < n: the index of the first item equal to it (i itself when none before it is),
// or -1 when `hashOf(i, &hash)` returns false (the item takes no part, e.g. a null key).
// `equal(a, b)` is called only for items of equal hash.
template <class HashOf, class Equal>
std::vector<long> firstEqual(std::size_t n, HashOf hashOf, Equal equal) {
  std::vector<std::pair<std::size_t, std::size_t>> hashed;  // (hash, item)
  hashed.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t h = 0;
    if (hashOf(i, &h)) hashed.emplace_back(h, i);
  }
  std::sort(hashed.begin(), hashed.end());
  std::vector<long> first(n, -1);
  for (std::size_t k = 0; k < hashed.size(); ++k) {
    const std::size_t i = hashed[k].second;
    first[i] = static_cast<long>(i);
    for (std::size_t m = k; m > 0 && hashed[m - 1].first == hashed[k].first; --m) {
      if (equal(hashed[m - 1].second, i)) {
        first[i] = first[hashed[m - 1].second];
        break;
      }
    }
  }
  return first;
}

}  // namespace sfsync
