#include "snowflake/KeyPairJwt.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/EVPPKey.h>
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <sstream>

#include "salesforce/JwtAssertion.h"

namespace sfsync::snowflake {

namespace {

// The DER bytes inside a "-----BEGIN PUBLIC KEY-----" PEM block.
std::string pemBody(const std::string& pem) {
  std::istringstream lines(pem);
  std::string line;
  std::string base64;
  while (std::getline(lines, line)) {
    if (line.rfind("-----", 0) == 0) continue;
    base64 += line;
  }
  std::istringstream in(base64);
  Poco::Base64Decoder decoder(in);
  std::ostringstream der;
  der << decoder.rdbuf();
  return der.str();
}

Poco::Timestamp toTimestamp(Clock::TimePoint t) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros));
}

}  // namespace

Result<std::string> KeyPairJwt::fingerprint(const Poco::Crypto::RSAKey& key) {
  try {
    Poco::Crypto::EVPPKey evp(const_cast<Poco::Crypto::RSAKey*>(&key));
    std::ostringstream pem;
    evp.save(&pem);  // SubjectPublicKeyInfo ("BEGIN PUBLIC KEY")
    const std::string der = pemBody(pem.str());
    Poco::Crypto::DigestEngine sha("SHA256");
    sha.update(der.data(), der.size());
    const Poco::DigestEngine::Digest& digest = sha.digest();
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(reinterpret_cast<const char*>(digest.data()),
                  static_cast<std::streamsize>(digest.size()));
    encoder.close();
    return "SHA256:" + out.str();
  } catch (const Poco::Exception& e) {
    return Status::Internal("cannot compute the public key fingerprint: " + e.displayText());
  }
}

std::string KeyPairJwt::accountIdentifier(const SnowflakeSettings& settings) {
  std::string account = settings.account;
  if (account.empty()) {
    try {
      account = Poco::URI(settings.accountUrl).getHost();
    } catch (const Poco::Exception&) {
      account.clear();
    }
  }
  const std::size_t dot = account.find('.');
  if (dot != std::string::npos) account.resize(dot);
  return Poco::toUpper(account);
}

Result<std::string> KeyPairJwt::build(const SnowflakeSettings& settings, Clock::TimePoint now) {
  if (settings.user.empty() || settings.privateKeyFile.empty()) {
    return Status::InvalidArgument("Snowflake connection '" + settings.name +
                                   "': user and privateKeyFile are needed by key-pair auth");
  }
  Result<Poco::SharedPtr<Poco::Crypto::RSAKey>> key =
      salesforce::JwtAssertion::loadPrivateKey(settings.privateKeyFile);
  if (!key.ok()) return key.status();
  Result<std::string> print = fingerprint(**key);
  if (!print.ok()) return print.status();
  const std::string qualified = accountIdentifier(settings) + "." + Poco::toUpper(settings.user);
  try {
    Poco::JWT::Token token;
    token.setIssuer(qualified + "." + *print);
    token.setSubject(qualified);
    token.setIssuedAt(toTimestamp(now));
    token.setExpiration(toTimestamp(now + kLifetime));
    Poco::JWT::Signer signer(*key);
    return signer.sign(token, Poco::JWT::Signer::ALGO_RS256);
  } catch (const Poco::Exception& e) {
    return Status::Internal("Snowflake connection '" + settings.name +
                            "': cannot sign the key-pair JWT: " + e.displayText());
  }
}

}  // namespace sfsync::snowflake
