// Fuzz target: the simulator's SOQL tokenizer and recursive-descent parser. A syntax error is a
// SoqlError (MALFORMED_QUERY and friends); any other exception, crash, hang or sanitizer report is
// a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "salesforce_sim/SoqlError.h"
#include "salesforce_sim/SoqlParser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string soql(reinterpret_cast<const char*>(data), size);
  try {
    (void)sfsync::sim::SoqlParser::parseQuery(soql);
  } catch (const sfsync::sim::SoqlError&) {
    // expected for most inputs
  }
  return 0;
}
