// EditorJson: JSON pieces the editor endpoints (issue 17) share - the problem list
// ([{"file","path","message","severity","inDefinition"}]).
//
// Thread-safety: free functions over the caller's objects.
#pragma once

#include <string>
#include <vector>

#include "admin/JsonWriter.h"
#include "sfsync/admin/ConfigEditor.h"

namespace sfsync::admin {

// key "problems": the list; also "errors" / "warnings" counts.
void writeProblems(JsonWriter& json, const std::vector<DefinitionProblem>& problems);

}  // namespace sfsync::admin
