#include "sfsync/jobs/OobJobWriter.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <fstream>
#include <sstream>

#include "sfsync/jobs/JobRunner.h"

namespace sfsync::jobs {

namespace {
const char* kChainTemplate = "sfdc_company_person_sync.json";

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

std::string join(const std::string& dir, const std::string& file) {
  Poco::Path path(dir);
  path.makeDirectory();
  path.setFileName(file);
  return path.toString();
}
}  // namespace

std::vector<std::string> OobJobWriter::templatesFor(bool primary, bool multiCurrency) {
  std::vector<std::string> files{"user_sync.json"};
  if (primary) {
    files.insert(files.end(), {"company_sync.json", "company_person_sync.json"});
  }
  if (multiCurrency) files.push_back("currency_sync.json");
  if (primary) {
    files.insert(files.end(), {"cases_sync.json", "opportunity_sync.json", kChainTemplate});
  }
  return files;
}

std::string OobJobWriter::render(const std::string& templateText, const std::string& connection,
                                 const std::string& suffix) {
  return replaceAll(replaceAll(templateText, "${CONNECTION}", connection), "${SUFFIX}", suffix);
}

Result<std::vector<OobFile>> OobJobWriter::plan(const OobRequest& request) {
  const std::string suffix = request.primary ? "" : " (" + request.connection + ")";
  const std::string fileSuffix = request.primary ? "" : "_" + JobRunner::slug(request.connection);
  std::vector<OobFile> files;
  for (const std::string& name : templatesFor(request.primary, request.multiCurrency)) {
    const std::string templatePath = join(request.templatesDir, name);
    std::ifstream in(templatePath, std::ios::binary);
    if (!in) return Status::NotFound("cannot read OOB job template " + templatePath);
    std::ostringstream text;
    text << in.rdbuf();
    OobFile file;
    file.isChain = name == kChainTemplate;
    const std::string stem = name.substr(0, name.size() - 5);  // without ".json"
    file.path =
        join(file.isChain ? request.chainsDir : request.jobsDir, stem + fileSuffix + ".json");
    file.text = render(text.str(), request.connection, suffix);
    files.push_back(std::move(file));
  }
  return files;
}

Result<std::vector<std::string>> OobJobWriter::write(const OobRequest& request) {
  Result<std::vector<OobFile>> files = plan(request);
  if (!files.ok()) return files.status();
  std::vector<std::string> written;
  for (const OobFile& file : *files) {
    if (Poco::File(file.path).exists()) continue;
    try {
      Poco::File(Poco::Path(file.path).parent()).createDirectories();
    } catch (const Poco::Exception& e) {
      return Status::IoError("cannot create directory for " + file.path + ": " + e.displayText());
    }
    std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
    out << file.text;
    out.close();
    if (!out) return Status::IoError("cannot write " + file.path);
    written.push_back(file.path);
  }
  return written;
}

}  // namespace sfsync::jobs
