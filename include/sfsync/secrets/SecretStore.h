// SecretStore: the encrypted credentials store (secrets.file, by default <store
// dir>/credentials.enc) and its key file (secrets.keyFile) - the Data Loader pattern of an
// encrypted password and a separate key. Entries are named "CONNECTION.KEY" (prod.password,
// prod.clientSecret, ...).
//
// File format: "SFSYNCS1" (8 bytes) | IV (12 random bytes, fresh for every write) | ciphertext |
// GCM tag (16 bytes); the plaintext is a JSON object of strings. AES-256-GCM through Poco::Crypto
// (CipherFactory, "aes-256-gcm"); the tag is checked, so a wrong key, a tampered or a truncated
// file fails with a clear message and never yields garbage. The key file holds 64 hex digits (32
// bytes) and a newline; it must not be accessible by group or others (mode 0600, like an ssh key).
// Both files are written through platform::writePrivateFileAtomically (0600, temp + rename).
// Files larger than kMaxFileBytes are refused unread. Messages name files, never values.
//
// Thread-safety: the static functions are safe from any thread; update() serialises the
// load-modify-save of all threads of this process (one process-wide mutex), so two threads never
// lose each other's entries. Two processes writing the same store at once can still lose one write
// (last rename wins); --set-secret is an admin command.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "sfsync/core/Result.h"

namespace sfsync::secrets {

class SecretStore {
 public:
  using Values = std::map<std::string, std::string>;  // "CONNECTION.KEY" -> value

  static constexpr std::size_t kKeyBytes = 32;
  static constexpr std::size_t kIvBytes = 12;
  static constexpr std::size_t kTagBytes = 16;
  static constexpr std::size_t kMaxFileBytes = 1 << 20;
  static constexpr const char* kMagic = "SFSYNCS1";

  // Writes a fresh random key to `keyFile` (mode 0600). kInvalidArgument if it already exists
  // (a key is never replaced: that would make the store unreadable); kIoError when it cannot be
  // written.
  static Status createKeyFile(const std::string& keyFile);
  // The 32-byte key in `keyFile`. kNotFound when missing; kInvalidArgument when it is not 64 hex
  // digits or group/others may access it; kIoError when unreadable.
  static Result<std::string> readKey(const std::string& keyFile);

  // The decrypted entries of `file`. kNotFound when the file does not exist; kDataError
  // "cannot decrypt <file> with key <keyFile>: ..." (authentication tag mismatch, truncated, not
  // a credentials store); errors of readKey otherwise.
  static Result<Values> load(const std::string& file, const std::string& keyFile);
  // Encrypts `values` with a fresh IV and replaces `file` atomically (mode 0600).
  static Status save(const std::string& file, const std::string& keyFile, const Values& values);

  // Load (an absent file is empty) - `change` - save, under a process-wide mutex. `change` returns
  // false to leave the file untouched (nothing changed); update() then returns false. Errors of
  // load / save otherwise. Do no network I/O in `change`: other threads wait for it.
  static Result<bool> update(const std::string& file, const std::string& keyFile,
                             const std::function<bool(Values&)>& change);

  // The sealed bytes (magic | IV | ciphertext | tag) of `plaintext` under the raw 32-byte `key`.
  static std::string seal(const std::string& key, const std::string& plaintext);
  // The plaintext of `sealed`; kDataError with the reason (no file names: callers add them).
  static Result<std::string> unseal(const std::string& key, const std::string& sealed);
};

}  // namespace sfsync::secrets
