#include "sfsync/activity/SuccessFile.h"

namespace sfsync::activity {

namespace {
std::vector<std::string> header(std::vector<std::string> columns,
                                const std::vector<std::string>& targets) {
  if (targets.size() <= 1) {
    columns.push_back("gsid");
    columns.push_back("status");
    return columns;
  }
  for (const std::string& target : targets) {
    columns.push_back(target + " gsid");
    columns.push_back(target + " status");
  }
  return columns;
}
}  // namespace

SuccessFile::SuccessFile(std::string path, std::vector<std::string> sourceColumns,
                         const std::vector<std::string>& targets)
    : sourceColumns_(sourceColumns.size()),
      targets_(targets.empty() ? 1 : targets.size()),
      file_(std::move(path), header(std::move(sourceColumns), targets)) {}

Status SuccessFile::add(const std::vector<Value>& sourceValues,
                        const std::vector<TargetResult>& results) {
  std::vector<std::string> fields;
  fields.reserve(sourceColumns_ + 2 * targets_);
  for (std::size_t i = 0; i < sourceColumns_; ++i) {
    fields.push_back(i < sourceValues.size() ? valueToText(sourceValues[i]) : "");
  }
  for (std::size_t t = 0; t < targets_; ++t) {
    fields.push_back(t < results.size() ? results[t].gsid : "");
    fields.push_back(t < results.size() ? results[t].status : "");
  }
  return file_.addRow(fields);
}

}  // namespace sfsync::activity
