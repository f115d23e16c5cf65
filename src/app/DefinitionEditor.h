// DefinitionEditor: the admin API's ConfigEditor (issue 17) over the daemon's configuration
// files. Validation loads the whole configuration exactly as a reload does (the injected Loader:
// config::loadConfig with the edited file replaced in memory, then the daemon's own checks), so
// the editor can never accept what the daemon would refuse; a job's describe rules
// (jobs::JobValidator::validateOffline) run against the store's metadata cache when its source
// object is cached (relationship hops whose object is not cached are reported as "info", not
// checked). A save checks the ETag, validates, writes the file atomically (a temporary file in the
// same folder, fsync, rename, fsync of the folder) and reloads through the injected Reloader, which
// records the update activity under the token's name; if that reload is refused (another file
// changed on disk in between), the previous file is put back. New files are named like the
// shipped ones: the name in lower case, runs of other characters as "_" ("Company Sync" ->
// jobs/company_sync.json), with "_2", "_3", ... when taken. read() serves the text with webhook
// URLs redacted (config::SecretRedaction; the ETag is of the bytes on disk); validate() and save()
// put the real URLs back (RedactedUrls) before loading or writing.
//
// Thread-safety: all methods may be called concurrently; save() and remove() are serialised by
// one mutex (ETag check, write and reload are one step), validate() and read() take no lock.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/admin/AdminControl.h"
#include "sfsync/admin/ConfigEditor.h"
#include "sfsync/config/Config.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/core/Clock.h"
#include "sfsync/store/Store.h"

namespace sfsync::app {

class DefinitionEditor final : public admin::ConfigEditor {
 public:
  // The configuration with `overlay` applied and every daemon check run (problems included).
  using Loader = std::function<std::shared_ptr<config::LoadedConfig>(const config::FileOverlay&)>;
  // Reloads the daemon from disk; configuration changes are recorded under `actor`.
  using Reloader = std::function<Result<admin::ReloadOutcome>(const std::string& actor)>;
  // The running configuration.
  using Current = std::function<std::shared_ptr<const config::LoadedConfig>()>;

  DefinitionEditor(Loader loader, Reloader reloader, Current current, store::Store& store,
                   std::shared_ptr<Clock> clock);

  Result<admin::DefinitionDocument> read(const std::string& kind, const std::string& name) override;
  Result<std::vector<admin::DefinitionProblem>> validate(const std::string& kind,
                                                         const std::string& name,
                                                         const std::string& text) override;
  Result<admin::EditOutcome> save(const admin::EditRequest& request) override;
  Result<admin::EditOutcome> remove(const admin::EditRequest& request) override;

  // "\"<sha256 hex of text>\"".
  static std::string etagOf(const std::string& text);
  // True when an If-Match value names `etag` (a comma-separated list; "*"; "W/" ignored).
  static bool etagMatches(const std::string& ifMatch, const std::string& etag);
  // "Company Sync" -> "company_sync".
  static std::string fileStem(const std::string& name);

 private:
  // The absolute file of the job / chain `name` in `config`, or std::nullopt.
  static std::optional<std::string> fileOf(const config::LoadedConfig& config,
                                           const std::string& kind, const std::string& name);
  // Where a new definition goes: a free "<stem>[_N].json" in the kind's folder.
  static std::string newFile(const config::LoadedConfig& config, const std::string& kind,
                             const std::string& name);
  // Every problem of the configuration with `overlay` applied; `file` is the edited file.
  // Every message with webhook URLs redacted (`disk`: the file's current text, "" for a new one).
  static void redactProblems(std::vector<admin::DefinitionProblem>& problems,
                             const std::string& disk);
  std::vector<admin::DefinitionProblem> check(const std::string& kind, const std::string& file,
                                              const config::FileOverlay& overlay);
  // The describe rules of the edited job against the metadata cache.
  void checkDescribes(const config::LoadedConfig& loaded, const std::string& file,
                      std::vector<admin::DefinitionProblem>& out);
  // Reloads after a write; on refusal puts `previous` back (nullopt: removes the file).
  Result<admin::EditOutcome> reloadOrRestore(const std::string& file,
                                             const std::optional<std::string>& previous,
                                             const std::string& actor, admin::EditOutcome done);
  std::string display(const std::string& file) const;

  Loader loader_;
  Reloader reloader_;
  Current current_;
  store::Store& store_;
  std::shared_ptr<Clock> clock_;
  std::mutex editMu_;  // one save / remove at a time
};

}  // namespace sfsync::app
