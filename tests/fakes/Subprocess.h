// Subprocess: runs a program to completion and captures its exit code, stdout and stderr (for tests
// that drive the real sfsyncd binary).
//
// Thread-safety: runProcess() may be called from any thread.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sfsync::testing {

struct ProcessResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

// Runs `program` with `args` in `workingDir` (current directory when empty), with `env` added to
// the inherited environment.
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& workingDir = "",
                         const std::map<std::string, std::string>& env = {});

}  // namespace sfsync::testing
