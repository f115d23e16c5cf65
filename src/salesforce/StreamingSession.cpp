#include "sfsync/salesforce/StreamingSession.h"

#include "salesforce/Authenticator.h"
#include "salesforce/HttpTransport.h"

namespace sfsync::salesforce {

std::string orgIdOfIdentityUrl(const std::string& identityUrl) {
  const auto at = identityUrl.find("/id/");
  if (at == std::string::npos) return "";
  const auto start = at + 4;
  const auto end = identityUrl.find('/', start);
  if (end == std::string::npos || end == start) return "";
  return identityUrl.substr(start, end - start);
}

Result<StreamingSession> openStreamingSession(const ConnectionSettings& settings,
                                              std::shared_ptr<Clock> clock) {
  if (!clock) clock = systemClock();
  TransportOptions options;
  options.timeout = settings.timeout;
  options.caFile = settings.caFile;
  options.verifyCertificates = settings.verifyCertificates;
  options.maxResponseBytes = settings.maxResponseBytes;
  options.responseDeadline = settings.responseDeadline;
  options.limitPrefix = "connection." + settings.name + ".";
  HttpTransport transport(options);
  Authenticator authenticator(settings, transport, *clock);
  ApiUsage usage;
  Result<AccessToken> token = authenticator.requestToken(usage);
  if (!token.ok()) return token.status();
  StreamingSession session;
  session.accessToken = token->accessToken;
  session.instanceUrl = token->instanceUrl;
  session.orgId = orgIdOfIdentityUrl(token->identityUrl);
  if (session.orgId.empty()) {
    return Status::DataError("connection " + settings.name +
                             ": the token answer's \"id\" names no org (needed as tenantid)");
  }
  return session;
}

}  // namespace sfsync::salesforce
