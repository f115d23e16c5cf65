#include "sfsync/secrets/SecretStore.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <vector>

#include <Poco/Crypto/Cipher.h>
#include <Poco/Crypto/CipherFactory.h>
#include <Poco/Crypto/CipherKey.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/RandomStream.h>

#include "sfsync/core/Platform.h"

namespace sfsync::secrets {

namespace {

using ByteVec = Poco::Crypto::Cipher::ByteVec;
constexpr std::size_t kMagicBytes = 8;
constexpr std::size_t kMaxKeyFileBytes = 4096;

ByteVec bytes(const std::string& s) { return ByteVec(s.begin(), s.end()); }

std::string randomBytes(std::size_t n) {
  Poco::RandomInputStream random;
  std::string out(n, '\0');
  random.read(out.data(), static_cast<std::streamsize>(n));
  return out;
}

// Runs `plain`/`sealed` bytes through a GCM transform; throws Poco exceptions (a tag mismatch
// surfaces from finalize()).
std::string runTransform(Poco::Crypto::CryptoTransform& t, const std::string& in) {
  std::string out(in.size() + t.blockSize() + 16, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  std::streamsize n = t.transform(reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<std::streamsize>(in.size()), o,
                                  static_cast<std::streamsize>(out.size()));
  n += t.finalize(o + n, static_cast<std::streamsize>(out.size()) - n);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Poco::Crypto::Cipher::Ptr makeCipher(const std::string& key, const std::string& iv) {
  Poco::Crypto::CipherKey cipherKey("aes-256-gcm", bytes(key), bytes(iv));
  return Poco::Crypto::Cipher::Ptr(
      Poco::Crypto::CipherFactory::defaultFactory().createCipher(cipherKey));
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads at most `cap` bytes of `path`; kDataError when larger.
Result<std::string> readCapped(const std::string& path, std::size_t cap, const char* what) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec)
    return Status::IoError("cannot read " + std::string(what) + " " + path + ": " + ec.message());
  if (size > cap) {
    return Status::DataError(std::string(what) + " " + path + " is larger than " +
                             std::to_string(cap) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + std::string(what) + " " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string toJson(const SecretStore::Values& values) {
  Poco::JSON::Object obj;
  for (const auto& [name, value] : values) obj.set(name, value);
  std::ostringstream out;
  obj.stringify(out);
  return out.str();
}

Result<SecretStore::Values> fromJson(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    const auto obj = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    SecretStore::Values values;
    for (const auto& [name, value] : *obj) {
      if (!value.isString()) return Status::DataError("entry '" + name + "' is not a string");
      values[name] = value.convert<std::string>();
    }
    return values;
  } catch (const Poco::Exception&) {
    return Status::DataError("the decrypted content is not a JSON object of strings");
  }
}

}  // namespace

Status SecretStore::createKeyFile(const std::string& keyFile) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : randomBytes(kKeyBytes)) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 15]);
  }
  return platform::writePrivateFileAtomically(keyFile, hex + "\n", /*exclusive=*/true);
}

Result<std::string> SecretStore::readKey(const std::string& keyFile) {
  std::error_code ec;
  if (!std::filesystem::exists(keyFile, ec)) {
    return Status::NotFound("key file " + keyFile + " not found");
  }
  Result<unsigned> mode = platform::filePermissions(keyFile);
  if (!mode.ok()) return mode.status();
  if ((*mode & 077) != 0) {
    char octal[16];
    std::snprintf(octal, sizeof octal, "%04o", *mode);
    return Status::InvalidArgument("key file " + keyFile +
                                   " is accessible by group or others (mode " + octal +
                                   "); run chmod 600 " + keyFile);
  }
  Result<std::string> text = readCapped(keyFile, kMaxKeyFileBytes, "key file");
  if (!text.ok()) return text.status();
  std::string hex = *text;
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) {
    hex.pop_back();
  }
  std::string key;
  bool valid = hex.size() == 2 * kKeyBytes;
  for (std::size_t i = 0; valid && i < hex.size(); i += 2) {
    const int hi = hexValue(hex[i]);
    const int lo = hexValue(hex[i + 1]);
    valid = hi >= 0 && lo >= 0;
    key.push_back(static_cast<char>(hi * 16 + lo));
  }
  if (!valid) {
    return Status::InvalidArgument("key file " + keyFile + " must hold 64 hex digits (32 bytes)");
  }
  return key;
}

std::string SecretStore::seal(const std::string& key, const std::string& plaintext) {
  const std::string iv = randomBytes(kIvBytes);
  Poco::Crypto::Cipher::Ptr cipher = makeCipher(key, iv);
  Poco::Crypto::CryptoTransform::Ptr encryptor = cipher->createEncryptor();
  const std::string body = runTransform(*encryptor, plaintext);
  return std::string(kMagic, kMagicBytes) + iv + body + encryptor->getTag(kTagBytes);
}

Result<std::string> SecretStore::unseal(const std::string& key, const std::string& sealed) {
  const std::size_t minimum = kMagicBytes + kIvBytes + kTagBytes;
  if (sealed.compare(0, kMagicBytes, kMagic) != 0 && sealed.size() >= kMagicBytes) {
    return Status::DataError("not an sfsync credentials store (no SFSYNCS1 header)");
  }
  if (sealed.size() < minimum) {
    return Status::DataError("truncated (" + std::to_string(sealed.size()) +
                             " bytes; a store has at least " + std::to_string(minimum) + ")");
  }
  const std::string iv = sealed.substr(kMagicBytes, kIvBytes);
  const std::string body = sealed.substr(kMagicBytes + kIvBytes, sealed.size() - minimum);
  try {
    Poco::Crypto::Cipher::Ptr cipher = makeCipher(key, iv);
    Poco::Crypto::CryptoTransform::Ptr decryptor = cipher->createDecryptor();
    decryptor->setTag(sealed.substr(sealed.size() - kTagBytes));
    return runTransform(*decryptor, body);
  } catch (const Poco::Exception&) {
    return Status::DataError("authentication tag mismatch (wrong key, or the file was modified)");
  }
}

Result<SecretStore::Values> SecretStore::load(const std::string& file, const std::string& keyFile) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return Status::NotFound("credentials store " + file + " not found");
  }
  Result<std::string> key = readKey(keyFile);
  if (!key.ok()) return key.status();
  Result<std::string> sealed = readCapped(file, kMaxFileBytes, "credentials store");
  if (!sealed.ok()) return sealed.status();
  Result<std::string> plain = unseal(*key, *sealed);
  if (plain.ok()) {
    Result<Values> values = fromJson(*plain);
    if (values.ok()) return values;
    plain = values.status();
  }
  return Status::DataError("cannot decrypt " + file + " with key " + keyFile + ": " +
                           plain.status().message());
}

Status SecretStore::save(const std::string& file, const std::string& keyFile,
                         const Values& values) {
  Result<std::string> key = readKey(keyFile);
  if (!key.ok()) return key.status();
  try {
    return platform::writePrivateFileAtomically(file, seal(*key, toJson(values)));
  } catch (const Poco::Exception& e) {
    return Status::Internal("cannot encrypt " + file + ": " + e.displayText());
  }
}

Result<bool> SecretStore::update(const std::string& file, const std::string& keyFile,
                                 const std::function<bool(Values&)>& change) {
  static std::mutex mu;  // every load-modify-save of this process, whichever store file
  std::lock_guard<std::mutex> lock(mu);
  Values values;
  Result<Values> current = load(file, keyFile);
  if (current.ok()) {
    values = std::move(current).value();
  } else if (current.status().code() != StatusCode::kNotFound) {
    return current.status();
  }
  if (!change(values)) return false;
  Status saved = save(file, keyFile, values);
  if (!saved.ok()) return saved;
  return true;
}

}  // namespace sfsync::secrets
