// SseClient: one Server-Sent-Events connection to the admin server (GET /api/events), read frame
// by frame, for the admin tests. A generous socket receive timeout (30 s) is the only deadline.
//
// Thread-safety: test code; one thread per client.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace sfsync::admin::testing {

class SseClient {
 public:
  SseClient(std::uint16_t port, const std::string& target, const std::string& token = "")
      : session_("127.0.0.1", port) {
    session_.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request("GET", target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    session_.sendRequest(request);
    in_ = &session_.receiveResponse(response_);
  }
  int status() const { return static_cast<int>(response_.getStatus()); }
  std::string header(const std::string& name) const { return response_.get(name, ""); }
  // The lines of the next frame (up to a blank line); empty at end of stream.
  std::vector<std::string> frame() {
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(*in_, line)) {
      if (line.empty()) return lines;
      lines.push_back(line);
    }
    return lines;
  }
  // The next frame that is an event (skips comments); its lines.
  std::vector<std::string> event() {
    for (;;) {
      std::vector<std::string> lines = frame();
      if (lines.empty() || lines.front().rfind(":", 0) != 0) return lines;
    }
  }

 private:
  Poco::Net::HTTPClientSession session_;
  Poco::Net::HTTPResponse response_;
  std::istream* in_ = nullptr;
};

inline bool hasLine(const std::vector<std::string>& lines, const std::string& wanted) {
  for (const std::string& l : lines) {
    if (l == wanted) return true;
  }
  return false;
}

}  // namespace sfsync::admin::testing
