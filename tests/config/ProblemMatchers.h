// Helpers for config tests: expected problems (exact path, message substring) and a matcher that
// checks a problem list contains exactly those, with readable failure output.
//
// Thread-safety: test-only; single-threaded.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sfsync/config/Config.h"

namespace sfsync::config::test_support {

struct ExpectedProblem {
  std::string file;     // "" = do not check
  std::string path;     // exact
  std::string message;  // substring
};

inline std::string describe(const std::vector<ConfigProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += "\n  " + p.toString();
  return out.empty() ? "\n  (none)" : out;
}

inline bool matches(const ConfigProblem& p, const ExpectedProblem& e) {
  return (e.file.empty() || p.file == e.file) && p.path == e.path &&
         p.message.find(e.message) != std::string::npos;
}

// Every expected problem is present, and there are no others.
inline ::testing::AssertionResult hasExactlyProblems(const std::vector<ConfigProblem>& problems,
                                                     const std::vector<ExpectedProblem>& expected) {
  std::vector<bool> used(problems.size(), false);
  for (const auto& e : expected) {
    bool found = false;
    for (std::size_t i = 0; i < problems.size() && !found; ++i) {
      if (!used[i] && matches(problems[i], e)) used[i] = found = true;
    }
    if (!found) {
      return ::testing::AssertionFailure()
             << "missing problem '" << e.file << ": " << e.path << ": ..." << e.message
             << "...'; got:" << describe(problems);
    }
  }
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (!used[i]) {
      return ::testing::AssertionFailure()
             << "unexpected problem '" << problems[i].toString() << "'; all:" << describe(problems);
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace sfsync::config::test_support
