#include "salesforce_sim/SimRequestHandlerFactory.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include "salesforce_sim/SimService.h"

namespace sfsync::sim {
namespace {

class ForwardingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ForwardingHandler(SimService& service) : service_(service) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    service_.handle(request, response);
  }

 private:
  SimService& service_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* SimRequestHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new ForwardingHandler(service_);
}

}  // namespace sfsync::sim
