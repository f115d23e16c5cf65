#include "app/SecretCommand.h"

#include <algorithm>
#include <filesystem>
#include <istream>
#include <ostream>
#include <system_error>

#include "config/CredentialsResolver.h"
#include "sfsync/core/Platform.h"
#include "sfsync/secrets/SecretStore.h"

namespace sfsync::app {

namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 64;
constexpr std::size_t kMaxValueBytes = 64 * 1024;

// Restores the terminal's echo however the read ends.
class EchoOff {
 public:
  explicit EchoOff(bool active) : active_(active) {
    if (active_) platform::setStdinEcho(false);
  }
  ~EchoOff() {
    if (active_) platform::setStdinEcho(true);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  bool active_;
};

// The value from `in`, or false when it is larger than the cap.
bool readValue(std::istream& in, bool interactive, const std::string& target, std::ostream& err,
               std::string* value) {
  if (interactive) {
    err << "value for " << target << " (not echoed): " << std::flush;
    {
      EchoOff echo(true);
      std::getline(in, *value);
    }
    err << '\n';
  } else {
    std::string chunk(4096, '\0');
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      value->append(chunk.data(), static_cast<std::size_t>(in.gcount()));
      if (value->size() > kMaxValueBytes) return false;
    }
  }
  if (!value->empty() && value->back() == '\n') value->pop_back();
  if (!value->empty() && value->back() == '\r') value->pop_back();
  return value->size() <= kMaxValueBytes;
}

// Checks CONNECTION.KEY; false after printing why.
bool checkTarget(const config::LoadedConfig& loaded, const std::string& target, std::ostream& err) {
  if (target == "store.password") return true;  // the PostgreSQL store's password (store.url)
  const auto dot = target.find('.');
  const std::vector<std::string> keys = config::CredentialsResolver::credentialKeys();
  const std::string connection = dot == std::string::npos ? target : target.substr(0, dot);
  const std::string key = dot == std::string::npos ? "" : target.substr(dot + 1);
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    err << "sfsyncd: --set-secret needs store.password or CONNECTION.KEY with KEY one of " << list
        << "; got '" << target << "'" << std::endl;
    return false;
  }
  if (loaded.app.findConnection(connection) == nullptr) {
    err << "sfsyncd: --set-secret: no connection named '" << connection << "' in "
        << loaded.app.file << " (connections)" << std::endl;
    return false;
  }
  return true;
}

}  // namespace

int setSecret(const config::LoadedConfig& loaded, const std::string& target, std::istream& in,
              bool interactive, std::ostream& out, std::ostream& err) {
  if (!checkTarget(loaded, target, err)) return kUsage;
  const std::string& file = loaded.app.secretsFile;
  const std::string& keyFile = loaded.app.secretsKeyFile;
  if (keyFile.empty() || file.empty()) {
    err << "sfsyncd: --set-secret: set secrets.keyFile (and optionally secrets.file) in "
        << loaded.app.file << std::endl;
    return kUsage;
  }
  std::error_code ec;
  if (!std::filesystem::exists(keyFile, ec)) {
    const Status created = secrets::SecretStore::createKeyFile(keyFile);
    if (!created.ok()) {
      err << "sfsyncd: cannot create key file: " << created.message() << std::endl;
      return kFailed;
    }
    err << "created key file " << keyFile
        << " (mode 0600). Back it up apart from the store: without it " << file
        << " cannot be read." << std::endl;
  }
  secrets::SecretStore::Values values;
  Result<secrets::SecretStore::Values> current = secrets::SecretStore::load(file, keyFile);
  if (current.ok()) {
    values = std::move(current).value();
  } else if (current.status().code() != StatusCode::kNotFound) {
    err << "sfsyncd: " << current.status().message() << "; nothing changed" << std::endl;
    return kFailed;
  }
  std::string value;
  if (!readValue(in, interactive, target, err, &value)) {
    err << "sfsyncd: the value on stdin is larger than " << kMaxValueBytes
        << " bytes; nothing changed" << std::endl;
    return kFailed;
  }
  if (value.empty()) {
    err << "sfsyncd: empty value on stdin; nothing changed" << std::endl;
    return kFailed;
  }
  const bool replaced = values.count(target) != 0;
  values[target] = value;
  const Status saved = secrets::SecretStore::save(file, keyFile, values);
  if (!saved.ok()) {
    err << "sfsyncd: " << saved.message() << std::endl;
    return kFailed;
  }
  out << (replaced ? "replaced " : "stored ") << target << " in " << file << std::endl;
  return kOk;
}

}  // namespace sfsync::app
