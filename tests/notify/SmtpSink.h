// SmtpSink: a small real SMTP server for tests, listening on 127.0.0.1, port 0 (the kernel picks
// one). It speaks enough of RFC 5321 for a mail client: 220 greeting, EHLO/HELO (advertising
// AUTH PLAIN LOGIN and, optionally, STARTTLS), AUTH PLAIN / AUTH LOGIN, MAIL FROM, RCPT TO, DATA
// ending in CRLF.CRLF (dot-unstuffed), RSET, NOOP, QUIT. It records every accepted message with its
// envelope and the credentials the client authenticated with, and every command line it received.
// STARTTLS: with a server TLS context (SmtpSinkOptions::tls) the sink advertises STARTTLS and
// upgrades the connection (recording that the message came over TLS); with offerStartTls alone it
// advertises STARTTLS but answers "454 TLS not available", to test a client's refusal path.
//
// Thread-safety: connections are served on Poco's TCPServer threads; the accessors are safe from
// any thread (one mutex). The recorded state is shared with the connection threads, so it outlives
// a connection that is still open when the sink is destroyed.
#pragma once

#include <Poco/Base64Decoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace sfsync::notify::testing {

struct ReceivedMail {
  std::string ehloName;
  std::string authMechanism;  // "PLAIN", "LOGIN" or "" (no AUTH)
  std::string authUser;
  std::string authPassword;
  std::string mailFrom;             // the address inside MAIL FROM:<...>
  std::vector<std::string> rcptTo;  // the addresses inside RCPT TO:<...>, in order
  std::string data;                 // the message as received, CRLF line ends, dot-unstuffed
  bool tls = false;                 // received over a connection upgraded with STARTTLS
};

struct SmtpSinkOptions {
  std::string authMechanisms = "PLAIN LOGIN";  // advertised after "250-AUTH"; empty: no AUTH
  bool offerStartTls = false;                  // advertise STARTTLS (answered with 454)...
  Poco::Net::Context::Ptr tls;                 // ...or, when set, advertise and perform it
  bool requireAuth = false;                    // MAIL FROM before AUTH -> 530
  std::string acceptUser;                      // with acceptPassword: the only valid credentials;
  std::string acceptPassword;                  // both empty: any credentials are accepted
  std::set<std::string> rejectRecipients;      // RCPT TO these -> 550
};

class SmtpSink {
 public:
  explicit SmtpSink(SmtpSinkOptions options = {}) : state_(std::make_shared<State>()) {
    state_->options = std::move(options);
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    socket.listen();
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::TCPServer>(new Factory(state_), socket);
    server_->start();
  }
  ~SmtpSink() { server_->stop(); }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::uint16_t port() const { return port_; }

  std::vector<ReceivedMail> messages() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->messages;
  }
  // Every command line received, in order, across connections (AUTH payload lines included).
  std::vector<std::string> commands() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->commands;
  }
  int connections() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->connections;
  }
  // Waits until at least `count` messages were accepted; false on timeout.
  bool waitForMessages(std::size_t count,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    std::unique_lock<std::mutex> lock(state_->mu);
    return state_->cv.wait_for(lock, timeout, [&] { return state_->messages.size() >= count; });
  }

 private:
  struct State {
    SmtpSinkOptions options;
    mutable std::mutex mu;
    std::condition_variable cv;
    std::vector<ReceivedMail> messages;
    std::vector<std::string> commands;
    int connections = 0;
  };

  class Connection final : public Poco::Net::TCPServerConnection {
   public:
    Connection(const Poco::Net::StreamSocket& socket, std::shared_ptr<State> state)
        : Poco::Net::TCPServerConnection(socket), state_(std::move(state)), conn_(socket) {}

    void run() override {
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        ++state_->connections;
      }
      conn_.setReceiveTimeout(Poco::Timespan(20, 0));
      try {
        serve();
      } catch (const Poco::Exception&) {
        // the client went away or timed out; nothing to record
      }
    }

   private:
    void serve() {
      const SmtpSinkOptions& opt = state_->options;
      ReceivedMail mail;
      bool authenticated = false;
      reply("220 sink.test ESMTP ready");
      std::string line;
      while (readLine(line)) {
        record(line);
        const std::string verb = Poco::toUpper(line.substr(0, line.find(' ')));
        const std::string arg = line.find(' ') == std::string::npos
                                    ? std::string()
                                    : Poco::trim(line.substr(line.find(' ') + 1));
        if (verb == "EHLO") {
          mail = ReceivedMail{};
          mail.ehloName = arg;
          std::string text = "250-sink.test greets " + arg + "\r\n";
          if (!opt.authMechanisms.empty()) text += "250-AUTH " + opt.authMechanisms + "\r\n";
          if ((opt.offerStartTls || opt.tls) && !tls_) text += "250-STARTTLS\r\n";
          text += "250 8BITMIME";
          reply(text);
        } else if (verb == "HELO") {
          mail = ReceivedMail{};
          mail.ehloName = arg;
          reply("250 sink.test");
        } else if (verb == "STARTTLS") {
          if (!opt.tls || tls_) {
            reply("454 4.7.0 TLS not available");
            continue;
          }
          reply("220 2.0.0 Ready to start TLS");
          conn_ = Poco::Net::SecureStreamSocket::attach(conn_, opt.tls);  // handshake
          conn_.setReceiveTimeout(Poco::Timespan(20, 0));
          tls_ = true;
          mail = ReceivedMail{};  // RFC 3207: forget everything learnt before TLS
          authenticated = false;
        } else if (verb == "AUTH") {
          authenticated = authenticate(arg, mail);
        } else if (verb == "MAIL") {
          if (opt.requireAuth && !authenticated) {
            reply("530 5.7.0 Authentication required");
            continue;
          }
          mail.mailFrom = between(arg, '<', '>');
          mail.rcptTo.clear();
          mail.tls = tls_;
          reply("250 2.1.0 OK");
        } else if (verb == "RCPT") {
          const std::string to = between(arg, '<', '>');
          if (opt.rejectRecipients.count(to) > 0) {
            reply("550 5.1.1 <" + to + ">: no such user");
            continue;
          }
          mail.rcptTo.push_back(to);
          reply("250 2.1.5 OK");
        } else if (verb == "DATA") {
          if (mail.rcptTo.empty()) {
            reply("503 5.5.1 RCPT first");
            continue;
          }
          reply("354 End data with <CR><LF>.<CR><LF>");
          mail.data.clear();
          std::string dataLine;
          bool complete = false;
          while (readLine(dataLine)) {
            if (dataLine == ".") {
              complete = true;
              break;
            }
            if (!dataLine.empty() && dataLine[0] == '.') dataLine.erase(0, 1);
            mail.data += dataLine + "\r\n";
          }
          if (!complete) return;
          {
            std::lock_guard<std::mutex> lock(state_->mu);
            state_->messages.push_back(mail);
          }
          state_->cv.notify_all();
          mail.rcptTo.clear();
          reply("250 2.0.0 OK queued");
        } else if (verb == "RSET") {
          mail.rcptTo.clear();
          reply("250 2.0.0 OK");
        } else if (verb == "NOOP") {
          reply("250 2.0.0 OK");
        } else if (verb == "QUIT") {
          reply("221 2.0.0 Bye");
          return;
        } else {
          reply("502 5.5.2 Command not recognized");
        }
      }
    }

    // AUTH PLAIN [initial-response] or AUTH LOGIN; true when the credentials are accepted.
    bool authenticate(const std::string& arg, ReceivedMail& mail) {
      const SmtpSinkOptions& opt = state_->options;
      const std::string mechanism = Poco::toUpper(arg.substr(0, arg.find(' ')));
      std::string user;
      std::string password;
      if (mechanism == "PLAIN") {
        std::string initial =
            arg.find(' ') == std::string::npos ? std::string() : Poco::trim(arg.substr(5));
        if (initial.empty()) {
          reply("334 ");
          if (!readLine(initial)) return false;
          record(initial);
        }
        const std::string decoded = base64Decode(initial);  // authzid NUL user NUL password
        const auto first = decoded.find('\0');
        const auto second = first == std::string::npos ? first : decoded.find('\0', first + 1);
        if (second == std::string::npos) {
          reply("501 5.5.2 Malformed AUTH PLAIN response");
          return false;
        }
        user = decoded.substr(first + 1, second - first - 1);
        password = decoded.substr(second + 1);
      } else if (mechanism == "LOGIN") {
        std::string encoded;
        reply("334 VXNlcm5hbWU6");  // "Username:"
        if (!readLine(encoded)) return false;
        record(encoded);
        user = base64Decode(encoded);
        reply("334 UGFzc3dvcmQ6");  // "Password:"
        if (!readLine(encoded)) return false;
        record(encoded);
        password = base64Decode(encoded);
      } else {
        reply("504 5.5.4 Unrecognized authentication type");
        return false;
      }
      const bool anyAccepted = opt.acceptUser.empty() && opt.acceptPassword.empty();
      if (!anyAccepted && (user != opt.acceptUser || password != opt.acceptPassword)) {
        reply("535 5.7.8 Authentication credentials invalid");
        return false;
      }
      mail.authMechanism = mechanism;
      mail.authUser = user;
      mail.authPassword = password;
      reply("235 2.7.0 Authentication successful");
      return true;
    }

    void reply(const std::string& text) {
      const std::string out = text + "\r\n";
      conn_.sendBytes(out.data(), static_cast<int>(out.size()));
    }

    void record(const std::string& line) {
      std::lock_guard<std::mutex> lock(state_->mu);
      state_->commands.push_back(line);
    }

    // One line without its CRLF (a bare LF is accepted); false when the client closed.
    bool readLine(std::string& line) {
      for (;;) {
        const auto lf = buffer_.find('\n');
        if (lf != std::string::npos) {
          line = buffer_.substr(0, lf);
          if (!line.empty() && line.back() == '\r') line.pop_back();
          buffer_.erase(0, lf + 1);
          return true;
        }
        char chunk[4096];
        const int n = conn_.receiveBytes(chunk, sizeof chunk);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
      }
    }

    static std::string between(const std::string& s, char open, char close) {
      const auto a = s.find(open);
      const auto b = s.find(close, a == std::string::npos ? 0 : a + 1);
      if (a == std::string::npos || b == std::string::npos) return s;
      return s.substr(a + 1, b - a - 1);
    }

    static std::string base64Decode(const std::string& text) {
      std::istringstream in(text);
      Poco::Base64Decoder decoder(in);
      std::string out;
      char c;
      while (decoder.get(c)) out += c;
      return out;
    }

    std::shared_ptr<State> state_;
    Poco::Net::StreamSocket conn_;  // the accepted socket, replaced by its TLS wrapper on STARTTLS
    bool tls_ = false;
    std::string buffer_;
  };

  class Factory final : public Poco::Net::TCPServerConnectionFactory {
   public:
    explicit Factory(std::shared_ptr<State> state) : state_(std::move(state)) {}
    Poco::Net::TCPServerConnection* createConnection(
        const Poco::Net::StreamSocket& socket) override {
      return new Connection(socket, state_);
    }

   private:
    std::shared_ptr<State> state_;
  };

  std::shared_ptr<State> state_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Poco::Net::TCPServer> server_;
};

}  // namespace sfsync::notify::testing
