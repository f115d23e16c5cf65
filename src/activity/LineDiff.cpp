#include "sfsync/activity/LineDiff.h"

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace sfsync::activity {

namespace {

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
  }
  return out;
}

struct WorkLimitReached {};

// Myers' diff over line ids; appends edits in order. Ranges are half-open [lo, hi).
class Differ {
 public:
  Differ(const std::vector<int>& a, const std::vector<int>& b,
         const std::vector<std::string>& aText, const std::vector<std::string>& bText,
         const LineDiff::Limits& limits, LineDiff::Result& out)
      : a_(a), b_(b), aText_(aText), bText_(bText), limits_(limits), out_(out) {}

  void diff(std::size_t aLo, std::size_t aHi, std::size_t bLo, std::size_t bHi) {
    const std::size_t aStart = aLo, aEnd = aHi;
    while (aLo < aHi && bLo < bHi && a_[aLo] == b_[bLo]) ++aLo, ++bLo, spend(1);
    while (aLo < aHi && bLo < bHi && a_[aHi - 1] == b_[bHi - 1]) --aHi, --bHi, spend(1);
    if (aLo != aStart) flush();  // unchanged lines end the hunk before them
    std::size_t x = 0, y = 0;
    if (aLo == aHi || bLo == bHi || !bisect(aLo, aHi, bLo, bHi, &x, &y)) {
      for (std::size_t i = aLo; i < aHi; ++i) removedHunk_.push_back(i);
      for (std::size_t j = bLo; j < bHi; ++j) addedHunk_.push_back(j);
    } else {
      diff(aLo, aLo + x, bLo, bLo + y);
      diff(aLo + x, aHi, bLo + y, bHi);
    }
    if (aHi != aEnd) flush();
  }

  // Ends the current hunk: its removed lines, then its added lines.
  void flush() {
    for (std::size_t i : removedHunk_) emit('-', aText_[i]);
    for (std::size_t j : addedHunk_) emit('+', bText_[j]);
    removedHunk_.clear();
    addedHunk_.clear();
  }

 private:
  void spend(std::size_t steps) {
    out_.work += steps;
    if (out_.work > limits_.maxWork) throw WorkLimitReached{};
  }

  void emit(char sign, const std::string& line) {
    std::size_t& count = sign == '-' ? out_.removed : out_.added;
    ++count;
    if (out_.removed + out_.added <= limits_.maxLines) {
      out_.text += sign;
      out_.text += ' ';
      out_.text += line;
      out_.text += '\n';
    }
  }

  // Finds a point (x, y) on an optimal path, relative to (aLo, bLo), that splits the problem in
  // two (the middle of the path, found from both ends). False when the ranges share nothing.
  bool bisect(std::size_t aLo, std::size_t aHi, std::size_t bLo, std::size_t bHi, std::size_t* sx,
              std::size_t* sy) {
    const long n = static_cast<long>(aHi - aLo), m = static_cast<long>(bHi - bLo);
    const long maxD = (n + m + 1) / 2, offset = maxD, length = 2 * maxD + 2;
    std::vector<long> v1(static_cast<std::size_t>(length), -1), v2(v1);
    out_.peakCells = std::max(out_.peakCells, v1.size() + v2.size());
    v1[offset + 1] = 0;
    v2[offset + 1] = 0;
    const long delta = n - m;
    const bool front = delta % 2 != 0;
    const auto A = [&](long i) { return a_[aLo + static_cast<std::size_t>(i)]; };
    const auto B = [&](long j) { return b_[bLo + static_cast<std::size_t>(j)]; };
    long k1start = 0, k1end = 0, k2start = 0, k2end = 0;
    for (long d = 0; d < maxD; ++d) {
      for (long k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
        const long o1 = offset + k1;
        long x1 = (k1 == -d || (k1 != d && v1[o1 - 1] < v1[o1 + 1])) ? v1[o1 + 1] : v1[o1 - 1] + 1;
        long y1 = x1 - k1;
        const long start = x1;
        while (x1 < n && y1 < m && A(x1) == B(y1)) ++x1, ++y1;
        spend(1 + static_cast<std::size_t>(x1 - start));
        v1[o1] = x1;
        if (x1 > n) {
          k1end += 2;
        } else if (y1 > m) {
          k1start += 2;
        } else if (front) {
          const long o2 = offset + delta - k1;
          if (o2 >= 0 && o2 < length && v2[o2] != -1 && x1 >= n - v2[o2]) {
            *sx = static_cast<std::size_t>(x1);
            *sy = static_cast<std::size_t>(y1);
            return true;
          }
        }
      }
      for (long k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
        const long o2 = offset + k2;
        long x2 = (k2 == -d || (k2 != d && v2[o2 - 1] < v2[o2 + 1])) ? v2[o2 + 1] : v2[o2 - 1] + 1;
        long y2 = x2 - k2;
        const long start = x2;
        while (x2 < n && y2 < m && A(n - x2 - 1) == B(m - y2 - 1)) ++x2, ++y2;
        spend(1 + static_cast<std::size_t>(x2 - start));
        v2[o2] = x2;
        if (x2 > n) {
          k2end += 2;
        } else if (y2 > m) {
          k2start += 2;
        } else if (!front) {
          const long o1 = offset + delta - k2;
          if (o1 >= 0 && o1 < length && v1[o1] != -1) {
            const long x1 = v1[o1];
            const long y1 = offset + x1 - o1;
            if (x1 >= n - x2) {
              *sx = static_cast<std::size_t>(x1);
              *sy = static_cast<std::size_t>(y1);
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  const std::vector<int>& a_;
  const std::vector<int>& b_;
  const std::vector<std::string>& aText_;
  const std::vector<std::string>& bText_;
  const LineDiff::Limits& limits_;
  LineDiff::Result& out_;
  std::vector<std::size_t> removedHunk_, addedHunk_;
};

}  // namespace

LineDiff::Result LineDiff::compute(const std::string& before, const std::string& after,
                                   Limits limits) {
  const std::vector<std::string> aText = splitLines(before);
  const std::vector<std::string> bText = splitLines(after);
  std::unordered_map<std::string, int> ids;
  std::vector<int> a, b;
  a.reserve(aText.size());
  b.reserve(bText.size());
  for (const auto& line : aText)
    a.push_back(ids.emplace(line, static_cast<int>(ids.size())).first->second);
  for (const auto& line : bText)
    b.push_back(ids.emplace(line, static_cast<int>(ids.size())).first->second);

  Result out;
  try {
    Differ differ(a, b, aText, bText, limits, out);
    differ.diff(0, a.size(), 0, b.size());
    differ.flush();
  } catch (const WorkLimitReached&) {
    Result summary;
    summary.replaced = true;
    summary.work = out.work;
    summary.peakCells = out.peakCells;
    out = std::move(summary);
    out.text = "~ file replaced: " + std::to_string(aText.size()) + " lines before, " +
               std::to_string(bText.size()) + " lines after (too different for a line diff)\n";
    return out;
  }
  if (out.removed + out.added > limits.maxLines) {
    out.text += "~ diff truncated: " + std::to_string(out.removed) + " lines removed and " +
                std::to_string(out.added) + " lines added in total\n";
  }
  return out;
}

}  // namespace sfsync::activity
