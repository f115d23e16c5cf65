#include "sfsync/core/Names.h"

#include <Poco/String.h>

#include <algorithm>
#include <cstddef>

namespace sfsync {

int indexOfIgnoreCase(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (Poco::icompare(names[i], name) == 0) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string closestName(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string w = Poco::toLower(word);
  std::string best;
  std::size_t bestDistance = 3;
  for (const auto& c : candidates) {
    const std::size_t d = editDistance(w, Poco::toLower(c));
    if (d < bestDistance && d * 2 < std::max<std::size_t>(w.size(), 2)) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

std::string didYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string best = closestName(word, candidates);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace sfsync
