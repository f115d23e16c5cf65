// Identifier helpers: random UUIDs for gsids and execution ids.
//
// Thread-safety: safe from any thread.
#pragma once

#include <string>

namespace sfsync {

// A random (version 4) UUID in canonical lowercase form, e.g. "3f1c...-...".
std::string newUuid();

}  // namespace sfsync
