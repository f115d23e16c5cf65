// Name helpers shared by modules that match Salesforce API names, which are case-insensitive.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

namespace sfsync {

// Position of `name` in `names` compared case-insensitively (ASCII), or -1.
int indexOfIgnoreCase(const std::vector<std::string>& names, const std::string& name);

}  // namespace sfsync
