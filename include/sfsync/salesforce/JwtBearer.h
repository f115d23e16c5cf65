// JwtBearer: what other modules need of the OAuth 2.0 JWT bearer flow (authFlow = jwt_bearer):
// checking a connected app's private key file when the configuration is loaded, so a missing,
// unreadable, encrypted or non-RSA key stops the daemon at startup instead of at its first run.
// The flow itself lives in the Authenticator (src/salesforce).
//
// Thread-safety: the function is safe from any thread (it reads the file, nothing else).
#pragma once

#include <string>

#include "sfsync/core/Status.h"

namespace sfsync::salesforce {

// OK when `path` holds an unencrypted PEM RSA private key (PKCS#1 or PKCS#8) of at most 64 KiB.
// Otherwise kInvalidArgument whose message says what is wrong with the file (not found, not
// readable, too large, encrypted, not an RSA private key) and names it; never the key material.
Status checkJwtPrivateKeyFile(const std::string& path);

}  // namespace sfsync::salesforce
