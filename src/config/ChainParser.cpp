#include "config/ChainParser.h"

#include <vector>

#include "config/ConfigText.h"
#include "config/JsonDocument.h"
#include "config/JsonObjectReader.h"

namespace sfsync::config {

ChainParser::ChainParser(ProblemCollector& problems) : problems_(problems) {}

std::optional<ChainConfig> ChainParser::parse(const std::string& file, const std::string& text) {
  Poco::JSON::Object::Ptr root = JsonDocument::parseObject(text, problems_);
  if (!root) return std::nullopt;
  JsonObjectReader in(root, "", problems_);
  in.rejectUnknownKeys({"name", "jobs", "schedule"});

  ChainConfig chain;
  chain.file = file;
  if (const auto name = in.getString("name", Presence::kRequired)) chain.name = text::trim(*name);
  if (const auto jobs = in.getStringArray("jobs", Presence::kRequired, /*nonEmpty=*/true)) {
    std::vector<std::size_t> indexOf;  // original array index of each entry of chain.jobs
    for (std::size_t i = 0; i < jobs->size(); ++i) {
      const std::string name = text::trim((*jobs)[i]);
      std::size_t previous = chain.jobs.size();
      for (std::size_t j = 0; j < chain.jobs.size(); ++j) {
        if (chain.jobs[j] == name) previous = j;
      }
      if (previous != chain.jobs.size()) {
        problems_.add(ProblemCollector::element("jobs", i),
                      "job '" + name + "' is listed twice (also " +
                          ProblemCollector::element("jobs", indexOf[previous]) + ")");
      } else {
        chain.jobs.push_back(name);
        indexOf.push_back(i);
      }
    }
  }
  if (Poco::JSON::Object::Ptr schedule = in.getObject("schedule", Presence::kOptional)) {
    chain.scheduleJson = JsonDocument::compact(schedule);
  }
  return chain;
}

}  // namespace sfsync::config
