#include "notify/KeySuggestion.h"

#include <Poco/String.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace sfsync::notify {

namespace {

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string KeySuggestion::didYouMean(const std::string& word,
                                      const std::vector<std::string>& candidates) {
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
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace sfsync::notify
