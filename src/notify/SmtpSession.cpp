#include "notify/SmtpSession.h"

#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/String.h>

#include <sstream>
#include <vector>

namespace sfsync::notify {
namespace {

// The words of each reply line after the "250-" / "250 " prefix, upper-cased.
std::vector<std::vector<std::string>> replyWords(const std::string& reply) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(reply);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() <= 4) continue;
    std::istringstream words(Poco::toUpper(line.substr(4)));
    std::vector<std::string> parts;
    std::string w;
    while (words >> w) parts.push_back(w);
    if (!parts.empty()) lines.push_back(std::move(parts));
  }
  return lines;
}

}  // namespace

SmtpSession::SmtpSession(const Poco::Net::StreamSocket& connected)
    : Poco::Net::SecureSMTPClientSession(connected) {}

std::string SmtpSession::ehlo(const std::string& heloName) {
  std::string reply;
  login(heloName, reply);
  return reply;
}

bool SmtpSession::startTls(Poco::Net::Context::Ptr context, const std::string& peerHostName) {
  std::string reply;
  const int status = sendCommand("STARTTLS", reply);
  if (!isPositiveCompletion(status)) return false;
  Poco::Net::SecureStreamSocket secure =
      Poco::Net::SecureStreamSocket::attach(socket(), peerHostName, context);
  socket() = secure;
  return true;
}

void SmtpSession::authenticate(AuthMechanism mechanism, const std::string& username,
                               const std::string& password) {
  if (mechanism == AuthMechanism::kPlain) {
    loginUsingPlain(username, password);
  } else {
    loginUsingLogin(username, password);
  }
}

bool SmtpSession::offers(const std::string& ehloReply, const std::string& keyword) {
  const std::string wanted = Poco::toUpper(keyword);
  for (const auto& words : replyWords(ehloReply)) {
    if (words.front() == wanted) return true;
  }
  return false;
}

bool SmtpSession::offersAuth(const std::string& ehloReply, const std::string& mechanism) {
  const std::string wanted = Poco::toUpper(mechanism);
  for (auto words : replyWords(ehloReply)) {
    if (words.front().rfind("AUTH=", 0) == 0) {
      words.front() = words.front().substr(5);  // legacy "AUTH=PLAIN LOGIN"
    } else if (words.front() == "AUTH") {
      words.erase(words.begin());
    } else {
      continue;
    }
    for (const auto& w : words) {
      if (w == wanted) return true;
    }
  }
  return false;
}

}  // namespace sfsync::notify
