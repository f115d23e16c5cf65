#include "salesforce_sim/JwtBearerVerifier.h"

#include <sstream>
#include <stdexcept>

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "salesforce_sim/JsonText.h"

namespace sfsync::sim {

std::string JwtBearerVerifier::oauthError(const std::string& error,
                                          const std::string& description) {
  std::string out = "{";
  JsonText::appendKey(out, "error");
  JsonText::appendString(out, error);
  out.push_back(',');
  JsonText::appendKey(out, "error_description");
  JsonText::appendString(out, description);
  out.push_back('}');
  return out;
}

JwtBearerVerifier::JwtBearerVerifier(const SimOptions& options)
    : clientId_(options.clientId),
      username_(options.username),
      audience_(options.jwtAudience),
      skewSeconds_(options.jwtClockSkewSeconds) {
  const std::string& pem = options.jwtCertificatePem;
  if (pem.empty()) return;
  try {
    std::istringstream in(pem);
    if (pem.find("BEGIN CERTIFICATE") != std::string::npos) {
      const Poco::Crypto::X509Certificate certificate(in);
      key_ = new Poco::Crypto::RSAKey(certificate);
    } else {
      key_ = new Poco::Crypto::RSAKey(&in, nullptr, "");
    }
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("jwtCertificatePem: not a PEM certificate or RSA public key: " +
                                e.displayText());
  }
}

std::optional<SimReply> JwtBearerVerifier::verify(const std::string& assertion,
                                                  const std::string& audience,
                                                  std::int64_t nowMs) const {
  const SimReply invalid{400, oauthError("invalid_grant", "invalid assertion")};
  if (!key_) return invalid;
  Poco::JWT::Token token;
  try {
    Poco::JWT::Signer signer(key_);
    signer.setAlgorithms({Poco::JWT::Signer::ALGO_RS256});
    if (!signer.tryVerify(assertion, token)) return invalid;
  } catch (const Poco::Exception&) {
    return invalid;  // not three parts, bad base64 / JSON, an algorithm other than RS256
  }
  if (token.getIssuer() != clientId_) {
    return SimReply{400, oauthError("invalid_client_id", "client identifier invalid")};
  }
  bool audienceOk = false;
  const std::string& expected = audience_.empty() ? audience : audience_;
  for (const std::string& aud : token.getAudience()) audienceOk = audienceOk || aud == expected;
  if (!audienceOk) return SimReply{400, oauthError("invalid_grant", "audience is invalid")};
  if (!token.payload().has("exp")) return invalid;
  const std::int64_t expMs = token.getExpiration().epochMicroseconds() / 1000;
  if (expMs + std::int64_t{skewSeconds_} * 1000 < nowMs) {
    return SimReply{400, oauthError("invalid_grant", "expired authorization code")};
  }
  if (token.getSubject() != username_) {
    return SimReply{400, oauthError("invalid_grant", "user hasn't approved this consumer")};
  }
  return std::nullopt;
}

}  // namespace sfsync::sim
