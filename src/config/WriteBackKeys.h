// WriteBackKeys: reads the write-back keys of a job file (issue 13) - per direct mapping
// "direction" ("fromSalesforce" | "toSalesforce" | "twoWay"), per job "createInSalesforce" and
// "externalIdField" - and the checks that need no describe: only a direct mapping of a plain field
// may write back (a relationship path such as Account.Name, a constant, a fromTarget and the Id
// are read-only), a target that writes back maps the record's Id (or the job's external-id
// field), and externalIdField names a mapped field. Describe checks (updateable / createable) run
// when the job runs (jobs/WriteBack). Problems are reported at the key's JSON path.
//
// Thread-safety: stateless functions; each call uses only its arguments.
#pragma once

#include "config/JsonObjectReader.h"
#include "sfsync/config/Config.h"

namespace sfsync::config::write_back_keys {

// "direction" of one mapping object (`in` reads the mapping); `m` already holds its source.
void readDirection(JsonObjectReader& in, MappingConfig& m);
// The top-level keys and the cross-checks over the job's parsed targets.
void readJobKeys(JsonObjectReader& in, JobConfig& job);

}  // namespace sfsync::config::write_back_keys
