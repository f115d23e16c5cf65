// LineDiff: a line diff for update activity ("- old" / "+ new" per changed line, unchanged lines
// left out) in linear space and bounded time: Myers' O(ND) algorithm with the linear-space middle
// split ("bisect"), after stripping common leading and trailing lines. Lines are compared by id,
// so each comparison is O(1). Two limits keep a huge or wholly rewritten file cheap:
//   - work (diagonal steps + matching-line steps) is capped at Limits::maxWork; beyond it the
//     result is one summary line "~ file replaced: N lines before, M lines after (too different
//     for a line diff)";
//   - at most Limits::maxLines diff lines are kept, then "~ diff truncated: X lines removed and Y
//     lines added in total".
// Memory is O(N + M) lines and integers whatever the input.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <string>

namespace sfsync::activity {

class LineDiff {
 public:
  struct Limits {
    std::size_t maxWork = 20'000'000;
    std::size_t maxLines = 2000;
  };
  struct Result {
    std::string text;
    bool replaced = false;      // the work limit was hit: text is the summary line
    std::size_t work = 0;       // steps spent (<= maxWork + one diagonal's worth)
    std::size_t peakCells = 0;  // largest number of path-end integers held at once
    std::size_t removed = 0;    // lines removed / added (when not replaced)
    std::size_t added = 0;
  };

  static Result compute(const std::string& before, const std::string& after, Limits limits);
  static Result compute(const std::string& before, const std::string& after) {
    return compute(before, after, Limits{});
  }
};

}  // namespace sfsync::activity
