// Version: what `sfsyncd --version` prints. The project version comes from CMake's project()
// call; the git description (`git describe --always --dirty`) is taken when CMake configures the
// build, empty when git or the repository was not available then. Generated into
// <build>/generated/app/Version.cpp from src/app/Version.cpp.in.
//
// Thread-safety: constants; safe from any thread.
#pragma once

#include <string>

namespace sfsync::app {

// "0.1.0": the CMake project version.
std::string projectVersion();
// "e98387b-dirty", or "" when unknown.
std::string gitDescription();
// "0.1.0 (git e98387b-dirty)", or "0.1.0" without a git description.
std::string versionString();

}  // namespace sfsync::app
