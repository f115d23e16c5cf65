#include "app/DefinitionEditor.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>
#include <Poco/String.h>

#include <cctype>
#include <filesystem>
#include <system_error>
#include <utility>

#include "app/AtomicFile.h"
#include "app/RedactedUrls.h"
#include "sfsync/config/SecretRedaction.h"
#include "sfsync/jobs/JobValidator.h"
#include "sfsync/jobs/MetadataCache.h"

namespace sfsync::app {

namespace {

namespace fs = std::filesystem;
using admin::DefinitionProblem;
using admin::EditOutcome;
using Code = EditOutcome::Code;

EditOutcome refused(Code code, std::string message, std::string etag = "") {
  EditOutcome out;
  out.code = code;
  out.message = std::move(message);
  out.etag = std::move(etag);
  return out;
}

bool hasErrors(const std::vector<DefinitionProblem>& problems) {
  for (const DefinitionProblem& p : problems) {
    if (p.severity == "error") return true;
  }
  return false;
}

// The "name" the text declares; "" when it has none or is not JSON (the loader says why).
std::string declaredName(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    return object.isNull() ? std::string() : object->optValue<std::string>("name", "");
  } catch (const Poco::Exception&) {
    return "";
  } catch (const std::exception&) {
    return "";
  }
}

// The job / chain loaded from `file`, or nullptr.
template <class T>
const T* declared(const std::vector<T>& items, const std::string& file) {
  for (const T& item : items) {
    if (item.file == file) return &item;
  }
  return nullptr;
}

}  // namespace

DefinitionEditor::DefinitionEditor(Loader loader, Reloader reloader, Current current,
                                   store::Store& store, std::shared_ptr<Clock> clock)
    : loader_(std::move(loader)),
      reloader_(std::move(reloader)),
      current_(std::move(current)),
      store_(store),
      clock_(std::move(clock)) {}

std::string DefinitionEditor::etagOf(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return "\"" + Poco::DigestEngine::digestToHex(engine.digest()) + "\"";
}

bool DefinitionEditor::etagMatches(const std::string& ifMatch, const std::string& etag) {
  std::string::size_type start = 0;
  while (start <= ifMatch.size()) {
    std::string::size_type comma = ifMatch.find(',', start);
    if (comma == std::string::npos) comma = ifMatch.size();
    std::string tag = Poco::trim(ifMatch.substr(start, comma - start));
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    if (tag == "*" || (!tag.empty() && tag == etag)) return true;
    start = comma + 1;
  }
  return false;
}

std::string DefinitionEditor::fileStem(const std::string& name) {
  std::string stem;
  for (unsigned char c : name) {
    if (std::isalnum(c) != 0) {
      stem += static_cast<char>(std::tolower(c));
    } else if (!stem.empty() && stem.back() != '_') {
      stem += '_';
    }
  }
  while (!stem.empty() && stem.back() == '_') stem.pop_back();
  return stem.empty() ? "definition" : stem;
}

std::optional<std::string> DefinitionEditor::fileOf(const config::LoadedConfig& config,
                                                    const std::string& kind,
                                                    const std::string& name) {
  if (kind == "job") {
    for (const config::JobConfig& j : config.jobs) {
      if (j.name == name) return j.file;
    }
  } else {
    for (const config::ChainConfig& c : config.chains) {
      if (c.name == name) return c.file;
    }
  }
  return std::nullopt;
}

std::string DefinitionEditor::newFile(const config::LoadedConfig& config, const std::string& kind,
                                      const std::string& name) {
  const fs::path dir = fs::path(kind == "job" ? config.app.jobsDir : config.app.chainsDir);
  const std::string stem = fileStem(name);
  for (int n = 1;; ++n) {
    const fs::path candidate =
        dir / (stem + (n == 1 ? std::string() : "_" + std::to_string(n)) + ".json");
    std::error_code ec;
    if (!fs::exists(candidate, ec)) return candidate.lexically_normal().string();
  }
}

std::string DefinitionEditor::display(const std::string& file) const {
  std::error_code ec;
  const fs::path base = fs::absolute(current_()->app.baseDir, ec).lexically_normal();
  const fs::path rel = fs::path(file).lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return file;
  return rel.string();
}

Result<admin::DefinitionDocument> DefinitionEditor::read(const std::string& kind,
                                                         const std::string& name) {
  const std::optional<std::string> file = fileOf(*current_(), kind, name);
  if (!file) return Status::NotFound("no " + kind + " named '" + name + "'");
  Result<std::optional<std::string>> text = readWholeFile(*file);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return Status::NotFound("the file of '" + name + "' is gone");
  admin::DefinitionDocument doc;
  doc.kind = kind;
  doc.name = name;
  doc.file = display(*file);
  doc.text = config::SecretRedaction::jsonText(**text);  // webhook URLs carry secrets
  doc.etag = etagOf(**text);
  return doc;
}

Result<std::vector<DefinitionProblem>> DefinitionEditor::validate(const std::string& kind,
                                                                  const std::string& name,
                                                                  const std::string& text) {
  const std::shared_ptr<const config::LoadedConfig> running = current_();
  const std::optional<std::string> existing = fileOf(*running, kind, name);
  // A new definition is checked in the file a save would create for the name it declares.
  const std::string file =
      existing ? *existing : newFile(*running, kind, name.empty() ? declaredName(text) : name);
  // The text is checked as sent: restoring the real webhook URLs here would let a viewer move a
  // redacted placeholder into a field whose problem message echoes the value.
  std::vector<DefinitionProblem> problems = check(kind, file, config::FileOverlay{{file, text}});
  std::string disk;
  if (existing) {
    Result<std::optional<std::string>> bytes = readWholeFile(*existing);
    if (!bytes.ok()) return bytes.status();
    disk = bytes->value_or("");
  }
  redactProblems(problems, disk);
  return problems;
}

void DefinitionEditor::redactProblems(std::vector<DefinitionProblem>& problems,
                                      const std::string& disk) {
  for (DefinitionProblem& p : problems) p.message = redactMessage(p.message, disk);
}

std::vector<DefinitionProblem> DefinitionEditor::check(const std::string& kind,
                                                       const std::string& file,
                                                       const config::FileOverlay& overlay) {
  std::vector<DefinitionProblem> out;
  const std::shared_ptr<config::LoadedConfig> loaded = loader_(overlay);
  const std::string shown = display(file);
  for (const config::ConfigProblem& p : loaded->problems) {
    out.push_back({p.file, p.path, p.message, "error", p.file == shown});
  }
  if (kind == "job" && !hasErrors(out)) checkDescribes(*loaded, file, out);
  return out;
}

void DefinitionEditor::checkDescribes(const config::LoadedConfig& loaded, const std::string& file,
                                      std::vector<DefinitionProblem>& out) {
  const config::JobConfig* job = declared(loaded.jobs, file);
  if (job == nullptr) return;
  const config::ConnectionConfig* connection = loaded.app.findConnection(job->connection);
  if (connection == nullptr) return;
  jobs::MetadataCache cache(store_, *clock_, job->connection,
                            connection->settings.metadataRefreshDays);
  const std::string shown = display(file);
  if (!cache.cached(job->sourceObject)) {
    out.push_back({shown, "source.object",
                   "not checked against Salesforce: no cached describe of '" + job->sourceObject +
                       "' (refresh the connection's metadata)",
                   "info", true});
    return;
  }
  std::vector<config::ConfigProblem> warnings;
  const std::vector<config::ConfigProblem> errors = jobs::JobValidator::validateOffline(
      *job, &warnings, [&cache](const std::string& object) -> Result<salesforce::ObjectDescribe> {
        std::optional<salesforce::ObjectDescribe> d = cache.cached(object);
        if (!d) return Status::NotFound("not in the metadata cache");
        return std::move(*d);
      });
  for (const config::ConfigProblem& p : errors) {
    const bool uncached = p.message.rfind("cannot describe ", 0) == 0;
    out.push_back({shown, p.path,
                   uncached ? "not checked against Salesforce: " + p.message : p.message,
                   uncached ? "info" : "error", true});
  }
  for (const config::ConfigProblem& p : warnings) {
    out.push_back({shown, p.path, p.message, "warning", true});
  }
}

Result<EditOutcome> DefinitionEditor::save(const admin::EditRequest& request) {
  std::lock_guard<std::mutex> serial(editMu_);
  const std::shared_ptr<const config::LoadedConfig> running = current_();
  const std::optional<std::string> existing = fileOf(*running, request.kind, request.name);
  std::optional<std::string> previous;
  if (!existing) {
    if (!request.createOnly) {
      return refused(Code::kNotFound, "no " + request.kind + " named '" + request.name +
                                          "'; create it with If-None-Match: *");
    }
  } else {
    if (request.createOnly) {
      return refused(Code::kExists, "a " + request.kind + " named '" + request.name +
                                        "' exists already (If-None-Match: *)");
    }
    if (!request.ifMatch) {
      return refused(Code::kPreconditionRequired,
                     "send If-Match with the ETag from GET (or If-None-Match: * to create)");
    }
    Result<std::optional<std::string>> bytes = readWholeFile(*existing);
    if (!bytes.ok()) return bytes.status();
    previous = *bytes;
    const std::string etag = etagOf(previous.value_or(""));
    if (!etagMatches(*request.ifMatch, etag)) {
      return refused(Code::kStale,
                     "the " + request.kind +
                         " was changed by someone else since you loaded it; "
                         "reload it and apply your change again",
                     etag);
    }
  }
  const std::string file = existing ? *existing : newFile(*running, request.kind, request.name);
  // GET served the text with webhook URLs redacted: put the real ones back.
  const RestoredText restored = restoreRedactedUrls(previous.value_or(""), request.text);
  const std::string& text = restored.text;
  std::vector<DefinitionProblem> problems =
      check(request.kind, file, config::FileOverlay{{file, text}});
  for (const std::string& path : restored.unmatched) {
    problems.push_back({display(file), path,
                        "is a redacted webhook URL with no original at this place in the file "
                        "on disk (moved, reordered or new): re-enter the webhook URL",
                        "error", true});
  }
  if (declaredName(request.text) != request.name) {
    problems.push_back({display(file), "name",
                        "must be '" + request.name +
                            "', the name in the URL (to rename, save "
                            "it under the new name and delete the old one)",
                        "error", true});
  }
  if (hasErrors(problems)) {
    EditOutcome out = refused(Code::kInvalid, "the " + request.kind +
                                                  " has problems; nothing "
                                                  "was saved");
    redactProblems(problems, previous.value_or(""));
    out.problems = std::move(problems);
    return out;
  }
  Status written = writeFileAtomically(file, text);
  if (!written.ok()) return written;
  EditOutcome done;
  done.code = existing ? Code::kSaved : Code::kCreated;
  done.etag = etagOf(text);
  done.file = display(file);
  return reloadOrRestore(file, previous, request.actor, std::move(done));
}

Result<EditOutcome> DefinitionEditor::remove(const admin::EditRequest& request) {
  std::lock_guard<std::mutex> serial(editMu_);
  const std::shared_ptr<const config::LoadedConfig> running = current_();
  const std::optional<std::string> existing = fileOf(*running, request.kind, request.name);
  if (!existing) {
    return refused(Code::kNotFound, "no " + request.kind + " named '" + request.name + "'");
  }
  if (!request.ifMatch) {  // as for PUT: a delete must name the version it was decided on
    return refused(Code::kPreconditionRequired, "send If-Match with the ETag from GET");
  }
  Result<std::optional<std::string>> bytes = readWholeFile(*existing);
  if (!bytes.ok()) return bytes.status();
  const std::string etag = etagOf(bytes->value_or(""));
  if (!etagMatches(*request.ifMatch, etag)) {
    return refused(Code::kStale, "the " + request.kind + " was changed by someone else", etag);
  }
  if (request.kind == "job") {
    EditOutcome out = refused(Code::kReferenced, "");
    for (const config::ChainConfig& chain : running->chains) {
      for (const std::string& job : chain.jobs) {
        if (job == request.name) out.referencedBy.push_back(chain.name);
      }
    }
    if (!out.referencedBy.empty()) {
      std::string names;
      for (const std::string& c : out.referencedBy)
        names += (names.empty() ? "'" : ", '") + c + "'";
      out.message =
          "job '" + request.name + "' is in chain(s) " + names + "; remove it from them first";
      return out;
    }
  }
  std::vector<DefinitionProblem> problems =
      check(request.kind, *existing, config::FileOverlay{{*existing, std::nullopt}});
  if (hasErrors(problems)) {
    EditOutcome out = refused(Code::kInvalid,
                              "deleting it would leave problems; nothing was "
                              "deleted");
    redactProblems(problems, bytes->value_or(""));
    out.problems = std::move(problems);
    return out;
  }
  Status removed = removeFileDurably(*existing);
  if (!removed.ok()) return removed;
  EditOutcome done;
  done.code = Code::kSaved;
  done.file = display(*existing);
  return reloadOrRestore(*existing, *bytes, request.actor, std::move(done));
}

Result<EditOutcome> DefinitionEditor::reloadOrRestore(const std::string& file,
                                                      const std::optional<std::string>& previous,
                                                      const std::string& actor, EditOutcome done) {
  Result<admin::ReloadOutcome> reloaded = reloader_(actor);
  if (reloaded.ok() && reloaded->applied) {
    done.changes = reloaded->changes;
    return done;
  }
  // Put the old file back: the configuration on disk is again the one that runs.
  const Status restored = previous ? writeFileAtomically(file, *previous) : removeFileDurably(file);
  if (!restored.ok()) return restored;
  if (!reloaded.ok()) return reloaded.status();
  EditOutcome out = refused(Code::kInvalid,
                            "the reload refused the configuration; the previous "
                            "file was put back");
  for (const std::string& p : reloaded->problems)
    out.problems.push_back({"", "", p, "error", false});
  redactProblems(out.problems, previous.value_or(""));
  return out;
}

}  // namespace sfsync::app
