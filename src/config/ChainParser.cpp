#include "config/ChainParser.h"

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
    // Duplicates are reported but kept, so that chain.jobs[i] is still "jobs[i]" for the checks
    // made later against the other files (a chain with problems is never run anyway).
    for (std::size_t i = 0; i < jobs->size(); ++i) {
      const std::string name = text::trim((*jobs)[i]);
      for (std::size_t j = 0; j < chain.jobs.size(); ++j) {
        if (chain.jobs[j] == name) {
          problems_.add(ProblemCollector::element("jobs", i),
                        "job '" + name + "' is listed twice (also " +
                            ProblemCollector::element("jobs", j) + ")");
          break;
        }
      }
      chain.jobs.push_back(name);
    }
  }
  if (Poco::JSON::Object::Ptr schedule = in.getObject("schedule", Presence::kOptional)) {
    chain.scheduleJson = JsonDocument::compact(schedule);
  }
  return chain;
}

}  // namespace sfsync::config
