#include "config/ConfigPaths.h"

#include <filesystem>
#include <system_error>

namespace sfsync::config {

namespace fs = std::filesystem;

namespace {
std::string withoutTrailingSlash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}
}  // namespace

ConfigPaths::ConfigPaths(const std::string& baseDir) {
  std::error_code ec;
  fs::path base = fs::absolute(baseDir.empty() ? fs::path(".") : fs::path(baseDir), ec);
  if (ec) base = fs::path(baseDir);
  baseDir_ = withoutTrailingSlash(base.lexically_normal().string());
}

std::string ConfigPaths::resolve(const std::string& path) const {
  const fs::path p(path);
  const fs::path full = p.is_absolute() ? p : fs::path(baseDir_) / p;
  return withoutTrailingSlash(full.lexically_normal().string());
}

std::string ConfigPaths::display(const std::string& path) const {
  const fs::path full(resolve(path));
  const fs::path rel = full.lexically_relative(fs::path(baseDir_));
  if (rel.empty() || *rel.begin() == "..") return full.string();
  return rel.string();
}

}  // namespace sfsync::config
