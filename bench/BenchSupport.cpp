#include "BenchSupport.h"

#include <Poco/PipeStream.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "sfsync/config/ConfigLoader.h"

namespace sfsync::bench {

long peakRssKb() {
  // VmHWM is the high-water mark of this process image. getrusage's ru_maxrss is not: Linux keeps
  // it across execve, so a child forked from a big parent would report the parent's size.
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);  // "VmHWM:  1234 kB"
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kilobytes on Linux
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

config::JobConfig parseJobOrExit(const std::string& path, const std::string& text) {
  std::vector<config::ConfigProblem> problems;
  std::optional<config::JobConfig> job = config::parseJob(path, text, problems);
  if (!job) {
    std::cerr << "bench: " << (problems.empty() ? path : problems.front().toString()) << std::endl;
    std::exit(1);
  }
  return *job;
}

config::JobConfig shippedJob(const std::string& file) {
  const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/" + file;
  return parseJobOrExit(path, readFile(path));
}

salesforce::ConnectionSettings simConnection(const std::string& url) {
  salesforce::ConnectionSettings settings;
  settings.orgType = salesforce::OrgType::kCustomDomain;
  settings.customDomainUrl = url;
  settings.clientId = "sfsync-sample-client";
  settings.clientSecret = "sample-secret";
  settings.username = "admin@sample.sfsync";
  settings.password = "sample-password";
  settings.securityToken = "SAMPLETOKEN";
  return settings;
}

std::string freshDir() {
  char dirTemplate[] = "/tmp/sfsync-bench-XXXXXX";
  if (mkdtemp(dirTemplate) == nullptr) {
    std::perror("bench: mkdtemp");
    std::exit(1);
  }
  return dirTemplate;
}

SimProcess::SimProcess(const Poco::Process::Args& args)
    : handle_(Poco::Process::launch(SFSYNC_SIM_PATH, args, nullptr, &out_, nullptr)) {
  Poco::PipeInputStream stream(out_);
  std::string line;
  std::getline(stream, line);
  const std::string marker = "listening on ";
  const auto at = line.find(marker);
  if (at == std::string::npos) {
    std::cerr << "bench: simulator did not start: " << line << std::endl;
    std::exit(1);
  }
  url_ = line.substr(at + marker.size());
}

SimProcess::~SimProcess() {
  Poco::Process::requestTermination(handle_.id());
  handle_.wait();
}

}  // namespace sfsync::bench
