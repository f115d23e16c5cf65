#include "snowflake/OptionCap.h"

#include <algorithm>

namespace sfsync::snowflake {

void OptionCap::seed(const std::string& column, const std::vector<std::string>& existing) {
  Column& c = columns_[column];
  c.options.insert(existing.begin(), existing.end());
}

std::string OptionCap::admit(const std::string& column, const std::vector<std::string>& elements) {
  Column& c = columns_[column];
  std::string joined;
  for (const std::string& e : elements) {
    const bool known = c.options.count(e) > 0;
    if (!known && c.options.size() >= max_) {
      ++c.leftOut;
      ++leftOut_;
      if (c.examples.size() < 5 &&
          std::find(c.examples.begin(), c.examples.end(), e) == c.examples.end()) {
        c.examples.push_back(e);
      }
      continue;
    }
    if (!known) c.options.insert(e);
    joined += (joined.empty() ? "" : ";") + e;
  }
  return joined;
}

std::vector<std::string> OptionCap::warnings() const {
  std::vector<std::string> out;
  for (const auto& [name, c] : columns_) {
    if (c.leftOut == 0) continue;
    std::string line = name + ": " + std::to_string(c.leftOut) + " value(s) beyond the " +
                       std::to_string(max_) + "-option cap of a multi-select left out (first:";
    for (std::size_t i = 0; i < c.examples.size(); ++i) line += (i ? ", " : " ") + c.examples[i];
    out.push_back(line + ")");
  }
  return out;
}

}  // namespace sfsync::snowflake
