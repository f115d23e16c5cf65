#include "admin/EditorJson.h"

#include <cstdint>

namespace sfsync::admin {

void writeProblems(JsonWriter& json, const std::vector<DefinitionProblem>& problems) {
  std::int64_t errors = 0;
  std::int64_t warnings = 0;
  json.key("problems").beginArray();
  for (const DefinitionProblem& p : problems) {
    errors += p.severity == "error";
    warnings += p.severity == "warning";
    json.beginObject()
        .stringField("file", p.file)
        .stringField("path", p.path)
        .stringField("message", p.message)
        .stringField("severity", p.severity)
        .booleanField("inDefinition", p.inDefinition)
        .endObject();
  }
  json.endArray().integerField("errors", errors).integerField("warnings", warnings);
}

}  // namespace sfsync::admin
