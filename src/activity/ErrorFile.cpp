#include "sfsync/activity/ErrorFile.h"

namespace sfsync::activity {

namespace {
std::vector<std::string> header(std::vector<std::string> columns) {
  for (const char* c : {"reason_code", "stage", "mapping", "value", "candidates", "message"}) {
    columns.push_back(c);
  }
  return columns;
}
}  // namespace

ErrorFile::ErrorFile(std::string path, std::vector<std::string> sourceColumns)
    : sourceColumns_(sourceColumns.size()),
      file_(std::move(path), header(std::move(sourceColumns))) {}

Status ErrorFile::add(const std::vector<Value>& sourceValues, const RejectedRecord& rejected) {
  std::vector<std::string> fields;
  fields.reserve(sourceColumns_ + 6);
  for (std::size_t i = 0; i < sourceColumns_; ++i) {
    fields.push_back(i < sourceValues.size() ? valueToText(sourceValues[i]) : "");
  }
  std::string candidates;
  for (const auto& c : rejected.candidates) {
    if (!candidates.empty()) candidates += ';';
    candidates += c;
  }
  fields.insert(fields.end(), {rejected.reasonCode, rejected.stage, rejected.mapping,
                               rejected.value, candidates, rejected.message});
  return file_.addRow(fields);
}

Status ErrorFile::close() { return file_.close(); }

}  // namespace sfsync::activity
