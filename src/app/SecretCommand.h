// SecretCommand: `sfsyncd --set-secret=CONNECTION.KEY`. Reads the value from standard input (on a
// terminal: one line, prompted on stderr, with echo off; otherwise all of stdin up to 64 KiB, one
// trailing newline dropped), and stores it in the encrypted credentials store named by
// secrets.file / secrets.keyFile, atomically (temp + rename, mode 0600). Creates the key file when
// it does not exist yet (and says so on stderr: it must be backed up). The value is never printed.
// Works while the rest of the configuration has problems (a missing credential is why it is run);
// only the secrets.* keys and the connection's name must be right.
//
// Thread-safety: call from the main thread only (it switches the terminal's echo).
#pragma once

#include <iosfwd>
#include <string>

#include "sfsync/config/Config.h"

namespace sfsync::app {

// Returns the process exit code: 0 stored, 1 failed (store unreadable, write error, empty value),
// 64 usage (bad CONNECTION.KEY, no secrets.keyFile configured).
int setSecret(const config::LoadedConfig& loaded, const std::string& target, std::istream& in,
              bool interactive, std::ostream& out, std::ostream& err);

}  // namespace sfsync::app
