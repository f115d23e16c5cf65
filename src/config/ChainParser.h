// ChainParser: reads one chain file (chains/NAME.json: name, jobs in run order, optional schedule)
// into a ChainConfig, reporting every problem in the file itself. Whether the named jobs exist and
// whether chain names are unique is checked by ConfigCrossChecker.
//
// Thread-safety: not thread-safe (one parser per file).
#pragma once

#include <optional>
#include <string>

#include "config/ProblemCollector.h"
#include "sfsync/config/Config.h"

namespace sfsync::config {

class ChainParser {
 public:
  explicit ChainParser(ProblemCollector& problems);

  // The chain as far as it could be read, or nullopt when the text is not a JSON object at all.
  std::optional<ChainConfig> parse(const std::string& file, const std::string& text);

 private:
  ProblemCollector& problems_;
};

}  // namespace sfsync::config
