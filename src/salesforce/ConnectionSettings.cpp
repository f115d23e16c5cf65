#include "sfsync/salesforce/ConnectionSettings.h"

namespace sfsync::salesforce {

const char* authFlowName(AuthFlow flow) {
  switch (flow) {
    case AuthFlow::kPassword:
      return "password";
    case AuthFlow::kRefreshToken:
      return "refresh_token";
    case AuthFlow::kJwtBearer:
      return "jwt_bearer";
    case AuthFlow::kWebServer:
      return "web_server";
  }
  return "password";
}

std::string ConnectionSettings::loginUrl() const {
  switch (orgType) {
    case OrgType::kProduction:
      return "https://login.salesforce.com";
    case OrgType::kSandbox:
      return "https://test.salesforce.com";
    case OrgType::kCustomDomain:
      break;
  }
  std::string url = customDomainUrl;
  const auto first = url.find_first_not_of(" \t\r\n");
  const auto last = url.find_last_not_of(" \t\r\n");
  url = first == std::string::npos ? std::string() : url.substr(first, last - first + 1);
  while (!url.empty() && url.back() == '/') url.pop_back();
  // "acme.my.salesforce.com" without a scheme means https.
  if (!url.empty() && url.find("://") == std::string::npos) url = "https://" + url;
  return url;
}

}  // namespace sfsync::salesforce
