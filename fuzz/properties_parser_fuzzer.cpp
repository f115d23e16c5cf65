// Fuzz target: the properties-file parser alone (PropertiesParser::parse), thousands of times faster
// per input than the `properties` target (which runs the whole loadConfig, with its did-you-mean
// suggestions), so the parser itself gets millions of executions in a CI minute. Every line either
// becomes a value or a problem naming its line; a crash, hang or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/PropertiesParser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const sfsync::config::ParsedProperties parsed = sfsync::config::PropertiesParser::parse(text);
  for (const auto& problem : parsed.problems) {
    if (problem.line == 0 || problem.message.empty()) std::abort();  // problems name their line
  }
  for (const auto& [key, line] : parsed.lines) {
    if (parsed.values.count(key) == 0 || line == 0) std::abort();  // kept keys have a line
  }
  return 0;
}
