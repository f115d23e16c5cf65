// SimReply: the status, body, content type and extra headers of one simulator answer, before
// SimService adds the common headers (Sforce-Limit-Info) and sends it.
//
// Thread-safety: plain value type.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sfsync::sim {

struct SimReply {
  SimReply() = default;
  SimReply(int s, std::string b) : status(s), body(std::move(b)) {}

  int status = 200;
  std::string body;
  std::string contentType = "application/json;charset=UTF-8";
  std::vector<std::pair<std::string, std::string>> headers;
  bool reset = false;  // close the connection without any answer (a connection reset)
};

}  // namespace sfsync::sim
