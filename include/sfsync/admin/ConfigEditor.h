// ConfigEditor: what the admin API's editor endpoints (issue 17) act through - reading a job or
// chain file with its ETag, validating a changed definition with the daemon's own loader and
// checks, and saving or deleting a file (atomic write, update activity under the token's name,
// reload). Implemented in src/app (app::DefinitionEditor); the admin module only maps HTTP onto it.
//
// ETag: the quoted SHA-256 (hex) of the file's bytes on disk, so any change of the file - through
// the API or an editor on the server - makes an older ETag stale.
//
// Thread-safety: every method may be called from any HTTP worker thread concurrently; saves and
// deletes are serialised by the implementation (check of the ETag, write and reload are one step).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"

namespace sfsync::admin {

// One problem the loader or a check found. `path` is the JSON path inside `file` ("$" = the file).
struct DefinitionProblem {
  std::string file;  // as the loader names it ("jobs/company_sync.json")
  std::string path;  // "targets[0].derivedMappings[0].match[1].source"
  std::string message;
  std::string severity;      // "error" (refuses a save), "warning" or "info"
  bool inDefinition = true;  // false: a problem of another file (or the properties)
};

// A job or chain file as it is on disk.
struct DefinitionDocument {
  std::string kind;  // "job" or "chain"
  std::string name;
  std::string file;  // display path ("jobs/company_sync.json")
  std::string text;  // the file's bytes
  std::string etag;  // "\"<sha256 hex>\""
};

// What a save or delete asks for.
struct EditRequest {
  std::string kind;                    // "job" or "chain"
  std::string name;                    // the name in the URL
  std::string text;                    // the new file text (saves only)
  std::optional<std::string> ifMatch;  // the If-Match header, if sent
  bool createOnly = false;             // If-None-Match: *
  std::string actor;                   // the token's name
};

struct EditOutcome {
  enum class Code {
    kSaved,    // 200: the file was replaced (or deleted) and the configuration reloaded
    kCreated,  // 201: a new file was written and the configuration reloaded
    kPreconditionRequired,  // 428: If-Match (or If-None-Match: * to create) is missing
    kStale,                 // 412: If-Match does not match the file (etag = the current one)
    kExists,                // 412: If-None-Match: * but the definition exists
    kNotFound,              // 404: no such job / chain to update or delete
    kInvalid,               // 422: problems (every one listed); nothing written
    kReferenced,            // 409: a job still named by chains (referencedBy); nothing deleted
  };
  Code code = Code::kSaved;
  std::string etag;  // the new ETag after a save; the current one for kStale
  std::string file;  // display path
  std::vector<DefinitionProblem> problems;
  std::vector<std::string> referencedBy;  // kReferenced: the chains naming the job
  std::vector<std::string> changes;       // what the reload changed
  std::string message;
};

class ConfigEditor {
 public:
  virtual ~ConfigEditor() = default;

  // The file of the job / chain called `name`. kNotFound when there is none.
  virtual Result<DefinitionDocument> read(const std::string& kind, const std::string& name) = 0;
  // Loads the configuration as a reload would, with `text` in place of the file of the job / chain
  // `name` (a new file when it has none), and returns every problem (errors and warnings) - those
  // of other files too (inDefinition false), since a save reloads them all. Job describe rules run
  // against the metadata cache when the source object is cached. Nothing is written.
  virtual Result<std::vector<DefinitionProblem>> validate(const std::string& kind,
                                                          const std::string& name,
                                                          const std::string& text) = 0;
  // PUT: validate, write atomically, record update activity under request.actor, reload.
  virtual Result<EditOutcome> save(const EditRequest& request) = 0;
  // DELETE: kReferenced while a chain names the job; else remove the file and reload.
  virtual Result<EditOutcome> remove(const EditRequest& request) = 0;
};

}  // namespace sfsync::admin
