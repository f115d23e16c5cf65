#include "sfsync/jobs/JobRunner.h"

#include <cctype>

#include "jobs/JobExecution.h"

namespace sfsync::jobs {

std::string JobRunner::slug(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "job" : out;
}

store::ExecutionRecord JobRunner::run(const config::JobConfig& job, RunContext& context) {
  return JobExecution(job, context).runWhole();
}

}  // namespace sfsync::jobs
