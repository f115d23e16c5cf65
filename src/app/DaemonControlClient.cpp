#include "app/DaemonControlClient.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <memory>

namespace sfsync::app {

Result<std::string> sendControl(const config::LoadedConfig& config, const std::string& action,
                                const std::string& name) {
  std::string collection;
  if (config.findJob(name) != nullptr) {
    collection = "jobs";
  } else if (config.findChain(name) != nullptr) {
    collection = "chains";
  } else if (config.app.findConnection(name) != nullptr) {
    collection = "connections";
  } else {
    return Status::NotFound("no job, chain or connection named '" + name + "'");
  }
  if (config.app.adminPort == 0) {
    return Status::InvalidArgument(
        "admin.port is 0 (the daemon picks a free port and logs 'admin listening on host:port'); "
        "pass that port with --define=admin.port=<port>");
  }
  const char* token = std::getenv("SFSYNC_ADMIN_TOKEN");
  if (token == nullptr || *token == '\0') {
    return Status::InvalidArgument("set SFSYNC_ADMIN_TOKEN to an admin API token");
  }
  std::string canonical = name;
  if (const auto* job = config.findJob(name)) canonical = job->name;
  if (const auto* chain = config.findChain(name)) canonical = chain->name;
  std::string encoded;
  Poco::URI::encode(canonical, "/?#%&+ ", encoded);
  const std::string path = "/api/" + collection + "/" + encoded + "/" + action;
  const std::string host = config.app.adminHost == "0.0.0.0" ? "127.0.0.1" : config.app.adminHost;
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (!config.app.tlsCertificateFile.empty()) {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(
          host, static_cast<Poco::UInt16>(config.app.adminPort));
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(
          host, static_cast<Poco::UInt16>(config.app.adminPort));
    }
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", std::string("Bearer ") + token);
    request.setContentLength(0);
    session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session->receiveResponse(response), body);
    if (response.getStatus() / 100 != 2) {
      return Status::RemoteError("daemon answered " + std::to_string(response.getStatus()) + ": " +
                                 body);
    }
    return body;
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("cannot reach the daemon at " + host + ":" +
                               std::to_string(config.app.adminPort) + ": " + e.displayText());
  }
}

}  // namespace sfsync::app
