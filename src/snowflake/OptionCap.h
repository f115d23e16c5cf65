// OptionCap: the 100-option limit of multi-select properties. Per column it remembers the options
// the target property already holds (seed(): the distinct values stored before the run) plus the
// new ones seen, up to kMaxOptions in all; an element outside them is left out of its cell and
// reported (never silently): count per column plus the first few values, for the run's activity
// message and warnings. Options already held are always admitted, even beyond the cap.
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sfsync::snowflake {

class OptionCap {
 public:
  explicit OptionCap(std::size_t maxOptions) : max_(maxOptions) {}

  // Options `column`'s target property already holds; they count against the cap.
  void seed(const std::string& column, const std::vector<std::string>& existing);

  // The elements of one cell that fit (joined with ';'); the others are counted as left out.
  std::string admit(const std::string& column, const std::vector<std::string>& elements);

  // Values left out so far (0: none).
  std::int64_t leftOut() const { return leftOut_; }
  // One line per column with left-out values: "<column>: N value(s) beyond the 100-option cap
  // left out (first: a, b, c)"; empty when none.
  std::vector<std::string> warnings() const;

 private:
  struct Column {
    std::set<std::string> options;
    std::int64_t leftOut = 0;
    std::vector<std::string> examples;  // at most 5 distinct
  };
  std::size_t max_;
  std::map<std::string, Column> columns_;
  std::int64_t leftOut_ = 0;
};

}  // namespace sfsync::snowflake
