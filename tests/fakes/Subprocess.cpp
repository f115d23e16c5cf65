#include "fakes/Subprocess.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <future>

namespace sfsync::testing {

ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& workingDir,
                         const std::map<std::string, std::string>& env) {
  Poco::Pipe outPipe;
  Poco::Pipe errPipe;
  Poco::ProcessHandle handle = Poco::Process::launch(
      program, Poco::Process::Args(args.begin(), args.end()),
      workingDir.empty() ? std::string(".") : workingDir, nullptr, &outPipe, &errPipe,
      Poco::Process::Env(env.begin(), env.end()));
  // Drain stderr concurrently so a chatty child cannot block on a full pipe.
  auto err = std::async(std::launch::async, [&errPipe] {
    Poco::PipeInputStream in(errPipe);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
  });
  ProcessResult result;
  Poco::PipeInputStream in(outPipe);
  Poco::StreamCopier::copyToString(in, result.out);
  result.err = err.get();
  result.exitCode = handle.wait();
  return result;
}

}  // namespace sfsync::testing
