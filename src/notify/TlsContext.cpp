#include "notify/TlsContext.h"

#include <Poco/Net/NetSSL.h>

#include <mutex>

namespace sfsync::notify {

Poco::Net::Context::Ptr makeClientTlsContext(bool verifyCertificates, const std::string& caFile) {
  // initializeSSL() is reference counted; one call for this module's lifetime in the process.
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });

  Poco::Net::Context::Params params;
  params.verificationMode =
      verifyCertificates ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
  params.loadDefaultCAs = verifyCertificates;
  params.caLocation = verifyCertificates ? caFile : std::string();
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  return context;
}

}  // namespace sfsync::notify
