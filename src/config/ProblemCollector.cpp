#include "config/ProblemCollector.h"

#include <utility>

namespace sfsync::config {

ProblemCollector::ProblemCollector(std::string file, std::vector<ConfigProblem>& out)
    : file_(std::move(file)), out_(out) {}

void ProblemCollector::add(const std::string& path, const std::string& message) {
  out_.push_back(ConfigProblem{file_, path.empty() ? "$" : path, message});
  ++count_;
}

std::string ProblemCollector::child(const std::string& parent, const std::string& key) {
  if (parent.empty() || parent == "$") return key;
  return parent + "." + key;
}

std::string ProblemCollector::element(const std::string& parent, std::size_t index) {
  const std::string base = parent == "$" ? "" : parent;
  return base + "[" + std::to_string(index) + "]";
}

}  // namespace sfsync::config
