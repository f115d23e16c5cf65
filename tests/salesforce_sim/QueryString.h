// QueryString: reading application/x-www-form-urlencoded query strings ('+' is a space, %XX
// escapes) as the simulator's endpoints receive them.
//
// Thread-safety: stateless; every function may be called from any thread.
#pragma once

#include <sstream>
#include <string>

#include <Poco/URI.h>

namespace sfsync::sim {

class QueryString {
 public:
  static std::string decode(const std::string& raw) {
    std::string plus = raw;
    for (char& c : plus) {
      if (c == '+') c = ' ';
    }
    std::string decoded;
    Poco::URI::decode(plus, decoded);
    return decoded;
  }

  // The value of `name` in `rawQuery`; false when absent.
  static bool param(const std::string& rawQuery, const std::string& name, std::string& value) {
    std::istringstream in(rawQuery);
    std::string pair;
    while (std::getline(in, pair, '&')) {
      const std::size_t eq = pair.find('=');
      if (decode(pair.substr(0, eq)) != name) continue;
      value = eq == std::string::npos ? "" : decode(pair.substr(eq + 1));
      return true;
    }
    return false;
  }
};

}  // namespace sfsync::sim
