#include "sfsync/core/Names.h"

#include <Poco/String.h>

namespace sfsync {

int indexOfIgnoreCase(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (Poco::icompare(names[i], name) == 0) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace sfsync
