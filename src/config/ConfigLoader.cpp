// loadConfig / parseJob / parseChain: the public entry points of the config module. Reading the
// properties, parsing each file and the cross-file rules live in their own classes; this file only
// walks the directories and assembles the result.
#include "sfsync/config/ConfigLoader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <utility>

#include "config/ChainParser.h"
#include "config/ConfigCrossChecker.h"
#include "config/ConfigPaths.h"
#include "config/JobParser.h"
#include "config/ProblemCollector.h"
#include "config/PropertiesLoader.h"

namespace sfsync::config {

namespace {

namespace fs = std::filesystem;

// Every "*.json" file directly in `dir` that is (or links to) a regular file, sorted by name.
// `error` is set if listing failed; each "*.json" entry that cannot be a config file (a dangling
// symbolic link, a directory, ...) is added to `skipped` with the reason.
std::vector<std::string> jsonFiles(const std::string& dir, std::string* error,
                                   std::vector<std::pair<std::string, std::string>>* skipped) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    std::error_code typeError;
    if (it->is_regular_file(typeError)) {
      files.push_back(it->path().string());
    } else if (it->is_symlink(typeError) && !it->exists(typeError)) {
      skipped->emplace_back(it->path().string(),
                            "dangling symbolic link (its target does not "
                            "exist); the file is not loaded");
    } else {
      skipped->emplace_back(it->path().string(), "not a regular file; it is not loaded");
    }
  }
  if (ec) *error = "cannot list directory: " + ec.message();
  std::sort(files.begin(), files.end());
  std::sort(skipped->begin(), skipped->end());
  return files;
}

bool readText(const std::string& path, std::string* text, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open file";
    return false;
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  *text = out.str();
  return true;
}

// Applies the editor's in-memory files (FileOverlay) that belong to `dir` to its listing.
std::vector<std::string> overlaid(const std::string& dir, std::vector<std::string> files,
                                  const FileOverlay& overlay) {
  if (overlay.empty()) return files;
  const fs::path folder = fs::path(dir).lexically_normal();
  std::vector<std::string> out;
  for (const std::string& f : files) {
    const auto it = overlay.find(fs::path(f).lexically_normal().string());
    if (it == overlay.end() || it->second) out.push_back(fs::path(f).lexically_normal().string());
  }
  for (const auto& [path, text] : overlay) {
    const fs::path p(path);
    if (!text || p.extension() != ".json" || p.parent_path().lexically_normal() != folder) continue;
    if (std::find(out.begin(), out.end(), p.lexically_normal().string()) == out.end()) {
      out.push_back(p.lexically_normal().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Reads and parses every file of one kind with `Parser` (JobParser or ChainParser).
template <class Parser, class T>
std::vector<ParsedFile<T>> parseDirectory(const std::string& dir, const ConfigPaths& paths,
                                          std::vector<ConfigProblem>& problems,
                                          const FileOverlay& overlay) {
  std::vector<ParsedFile<T>> parsed;
  std::string listError;
  std::vector<std::pair<std::string, std::string>> skipped;
  const std::vector<std::string> files =
      overlaid(dir, jsonFiles(dir, &listError, &skipped), overlay);
  if (!listError.empty()) ProblemCollector(paths.display(dir), problems).add("$", listError);
  for (const auto& [file, why] : skipped)
    ProblemCollector(paths.display(file), problems).add("$", why);
  for (const std::string& file : files) {
    ParsedFile<T> entry;
    entry.displayFile = paths.display(file);
    ProblemCollector collector(entry.displayFile, problems);
    std::string text, error;
    const auto replaced = overlay.find(file);
    if (replaced != overlay.end() && replaced->second) {
      entry.config = Parser(collector).parse(file, *replaced->second);
    } else if (readText(file, &text, &error)) {
      entry.config = Parser(collector).parse(file, text);
    } else {
      collector.add("$", error);
    }
    entry.clean = collector.count() == 0;
    parsed.push_back(std::move(entry));
  }
  return parsed;
}

// Puts each file's problems together - properties and credentials first, then jobs and chains in
// file order - keeping the order within a file (the cross-file checks add theirs at the end).
void groupByFile(const std::vector<ParsedFile<JobConfig>>& jobs,
                 const std::vector<ParsedFile<ChainConfig>>& chains,
                 std::vector<ConfigProblem>& problems) {
  std::map<std::string, std::size_t> rank;
  for (const auto& j : jobs) rank.emplace(j.displayFile, rank.size() + 1);
  for (const auto& c : chains) rank.emplace(c.displayFile, rank.size() + 1);
  auto rankOf = [&rank](const ConfigProblem& p) {
    const auto it = rank.find(p.file);
    return it == rank.end() ? 0 : it->second;
  };
  std::stable_sort(
      problems.begin(), problems.end(),
      [&](const ConfigProblem& a, const ConfigProblem& b) { return rankOf(a) < rankOf(b); });
}

}  // namespace

LoadedConfig loadConfig(const std::string& propertiesFile, const std::string& baseDir,
                        const std::map<std::string, std::string>& overrides) {
  return loadConfig(propertiesFile, baseDir, overrides, FileOverlay{});
}

LoadedConfig loadConfig(const std::string& propertiesFile, const std::string& baseDir,
                        const std::map<std::string, std::string>& overrides,
                        const FileOverlay& overlay) {
  LoadedConfig out;
  const ConfigPaths paths(baseDir);
  PropertiesLoader properties(paths, out.problems);
  if (!properties.load(propertiesFile, overrides, &out.app)) return out;

  std::vector<ParsedFile<JobConfig>> jobs;
  if (properties.jobsDirOk()) {
    jobs = parseDirectory<JobParser, JobConfig>(out.app.jobsDir, paths, out.problems, overlay);
  }
  std::vector<ParsedFile<ChainConfig>> chains;
  if (properties.chainsDirOk()) {
    chains =
        parseDirectory<ChainParser, ChainConfig>(out.app.chainsDir, paths, out.problems, overlay);
  }

  std::vector<std::string> connectionNames;
  for (const auto& c : out.app.connections) connectionNames.push_back(c.settings.name);
  ConfigCrossChecker checker(out.problems);
  checker.checkJobs(jobs, connectionNames, properties.connectionsKnown());
  checker.checkSources(jobs, out.app.connections);
  checker.checkChains(chains, jobs, properties.jobsDirOk());
  groupByFile(jobs, chains, out.problems);

  for (auto& j : jobs) {
    if (j.clean && j.config) out.jobs.push_back(std::move(*j.config));
  }
  for (auto& c : chains) {
    if (c.clean && c.config) out.chains.push_back(std::move(*c.config));
  }
  return out;
}

std::optional<JobConfig> parseJob(const std::string& file, const std::string& text,
                                  std::vector<ConfigProblem>& problems) {
  ProblemCollector collector(file, problems);
  auto job = JobParser(collector).parse(file, text);
  if (collector.count() != 0) return std::nullopt;
  return job;
}

std::optional<ChainConfig> parseChain(const std::string& file, const std::string& text,
                                      std::vector<ConfigProblem>& problems) {
  ProblemCollector collector(file, problems);
  auto chain = ChainParser(collector).parse(file, text);
  if (collector.count() != 0) return std::nullopt;
  return chain;
}

}  // namespace sfsync::config
