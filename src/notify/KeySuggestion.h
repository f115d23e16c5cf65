// KeySuggestion: "did you mean" for a misspelt notification key - the same rule as the config
// loader's (case-insensitive edit distance at most 2 and less than half the word), so unknown keys
// read alike everywhere.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

namespace sfsync::notify {

class KeySuggestion {
 public:
  // " (did you mean 'x'?)", or "" when no candidate is close enough.
  static std::string didYouMean(const std::string& word,
                                const std::vector<std::string>& candidates);
};

}  // namespace sfsync::notify
