// Fuzz target: job and chain files (JobParser, ChainParser with their JSON document reader, target,
// mapping, schedule and notification parsers) through the public parseJob() / parseChain(). Each
// input is parsed as both. Problems are the expected outcome; crashes, hangs and sanitizer reports
// are bugs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/config/ConfigLoader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<sfsync::config::ConfigProblem> problems;
  (void)sfsync::config::parseJob("jobs/fuzz.json", text, problems);
  (void)sfsync::config::parseChain("chains/fuzz.json", text, problems);
  for (const auto& p : problems) {
    // Every problem must be printable (no dangling views into the input).
    volatile size_t n = p.file.size() + p.path.size() + p.message.size();
    (void)n;
  }
  return 0;
}
