#include "sfsync/activity/SuccessFile.h"

namespace sfsync::activity {

namespace {
std::vector<std::string> header(std::vector<std::string> columns) {
  columns.push_back("gsid");
  columns.push_back("status");
  return columns;
}
}  // namespace

SuccessFile::SuccessFile(std::string path, std::vector<std::string> sourceColumns)
    : sourceColumns_(sourceColumns.size()),
      file_(std::move(path), header(std::move(sourceColumns))) {}

Status SuccessFile::add(const std::vector<Value>& sourceValues, const std::string& gsid,
                        bool created) {
  std::vector<std::string> fields;
  fields.reserve(sourceColumns_ + 2);
  for (std::size_t i = 0; i < sourceColumns_; ++i) {
    fields.push_back(i < sourceValues.size() ? valueToText(sourceValues[i]) : "");
  }
  fields.push_back(gsid);
  fields.push_back(created ? "Created" : "Updated");
  return file_.addRow(fields);
}

}  // namespace sfsync::activity
