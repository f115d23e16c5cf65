// Name helpers shared by modules that match Salesforce API names, which are case-insensitive, and
// the one "did you mean" rule every configuration reader uses for unknown names.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

namespace sfsync {

// Position of `name` in `names` compared case-insensitively (ASCII), or -1.
int indexOfIgnoreCase(const std::vector<std::string>& names, const std::string& name);

// The candidate closest to `word` (case-insensitive edit distance at most 2, and less than half of
// the word), or "" when none is close enough.
std::string closestName(const std::string& word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" with closestName's pick, or "".
std::string didYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace sfsync
