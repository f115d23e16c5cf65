// SimReply: the status and JSON body of one simulator answer, before SimService adds the common
// headers (Content-Type, Sforce-Limit-Info) and sends it.
//
// Thread-safety: plain value type.
#pragma once

#include <string>

namespace sfsync::sim {

struct SimReply {
  int status = 200;
  std::string body;
};

}  // namespace sfsync::sim
