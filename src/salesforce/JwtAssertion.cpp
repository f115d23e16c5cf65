#include "salesforce/JwtAssertion.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>

#include "sfsync/salesforce/JwtBearer.h"

namespace sfsync::salesforce {

namespace {

Status keyProblem(const std::string& path, const std::string& what) {
  return Status::InvalidArgument("JWT private key file " + path + ": " + what);
}

// The file's text, read with a size cap.
Result<std::string> readKeyText(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return keyProblem(path, "file not found");
  if (!std::filesystem::is_regular_file(status)) return keyProblem(path, "not a regular file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return keyProblem(path, "cannot read its size: " + ec.message());
  if (size > JwtAssertion::kMaxKeyFileBytes) {
    return keyProblem(path, "larger than " + std::to_string(JwtAssertion::kMaxKeyFileBytes) +
                                " bytes; not a PEM private key");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return keyProblem(path, "not readable (check its owner and permissions)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return keyProblem(path, "read error");
  return text.str();
}

}  // namespace

Status checkJwtPrivateKeyFile(const std::string& path) {
  return JwtAssertion::loadPrivateKey(path).status();
}

Result<Poco::SharedPtr<Poco::Crypto::RSAKey>> JwtAssertion::loadPrivateKey(
    const std::string& path) {
  Result<std::string> text = readKeyText(path);
  if (!text.ok()) return text.status();
  // OpenSSL would prompt on the terminal for the passphrase of an encrypted key; refuse it first.
  if (text->find("ENCRYPTED") != std::string::npos) {
    return keyProblem(path,
                      "the key is encrypted with a passphrase; use an unencrypted key protected "
                      "by the file's permissions (chmod 600)");
  }
  if (text->find("-----BEGIN") == std::string::npos ||
      text->find("PRIVATE KEY-----") == std::string::npos) {
    return keyProblem(path,
                      "not a PEM private key (expected -----BEGIN PRIVATE KEY----- or "
                      "-----BEGIN RSA PRIVATE KEY-----)");
  }
  try {
    std::istringstream privateStream(*text);
    // A non-empty passphrase keeps OpenSSL from ever prompting; an unencrypted key ignores it.
    Poco::SharedPtr<Poco::Crypto::RSAKey> key(
        new Poco::Crypto::RSAKey(nullptr, &privateStream, "sfsync-no-passphrase"));
    return key;
  } catch (const Poco::Exception&) {
    // The OpenSSL detail may quote the file's content: leave it out.
    return keyProblem(path, "not an RSA private key (an EC or other key, or damaged PEM)");
  }
}

Result<std::string> JwtAssertion::build(const ConnectionSettings& settings, Clock::TimePoint now) {
  const auto missing = [&](const char* what) {
    return Status::InvalidArgument("connection '" + settings.name + "': " + what +
                                   " is not set (needed by the jwt_bearer flow)");
  };
  if (settings.clientId.empty()) return missing("clientId");
  if (settings.username.empty()) return missing("username");
  if (settings.jwtPrivateKeyFile.empty()) return missing("jwt.privateKeyFile");
  Result<Poco::SharedPtr<Poco::Crypto::RSAKey>> key = loadPrivateKey(settings.jwtPrivateKeyFile);
  if (!key.ok()) return key.status();
  const auto expires = now + kLifetime;
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(expires.time_since_epoch()).count();
  try {
    Poco::JWT::Token token;
    token.setIssuer(settings.clientId);
    token.setSubject(settings.username);
    token.setAudience(settings.loginUrl());
    token.setExpiration(Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(micros)));
    Poco::JWT::Signer signer(*key);
    return signer.sign(token, Poco::JWT::Signer::ALGO_RS256);
  } catch (const Poco::Exception& e) {
    return Status::Internal("connection '" + settings.name +
                            "': cannot sign the JWT assertion: " + e.displayText());
  }
}

Status JwtAssertion::explainTokenError(const Status& status) {
  if (status.code() != StatusCode::kUnauthenticated) return status;
  const std::string& m = status.message();
  const auto has = [&m](const char* s) { return m.find(s) != std::string::npos; };
  std::string hint;
  if (has("hasn't approved this consumer") || has("not admin approved")) {
    hint =
        "the user has not authorised the connected app: pre-authorise it (Manage > Permitted "
        "Users: Admin approved users are pre-authorized) for the user's profile or permission "
        "set";
  } else if (has("invalid assertion") || has("invalid signature")) {
    hint =
        "Salesforce could not verify the assertion: the certificate uploaded to the connected "
        "app must belong to connection.<n>.jwt.privateKeyFile";
  } else if (has("expired")) {
    hint =
        "the assertion (valid 3 minutes) had expired when Salesforce checked it: check this "
        "machine's clock";
  } else if (has("audience")) {
    hint = "the assertion's aud is the login URL: check orgType / customDomainUrl";
  } else if (status.remoteCode() == "invalid_client_id") {
    hint = "clientId must be the connected app's consumer key";
  }
  if (hint.empty()) return status;
  return Status::Unauthenticated("JWT bearer login refused: " + m + " (" + hint + ")")
      .withRemote(status.remoteCode(), status.httpStatus());
}

}  // namespace sfsync::salesforce
