#include "sfsync/activity/ErrorFile.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

namespace sfsync::activity {

ErrorFile::ErrorFile(std::string path, std::vector<std::string> sourceColumns)
    : targetPath_(std::move(path)), sourceColumns_(std::move(sourceColumns)) {}

ErrorFile::~ErrorFile() { close(); }

std::string ErrorFile::csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

Status ErrorFile::open() {
  try {
    Poco::File(Poco::Path(targetPath_).parent()).createDirectories();
  } catch (const Poco::Exception& e) {
    return Status::IoError("cannot create directory for error file " + targetPath_ + ": " +
                           e.displayText());
  }
  out_.open(targetPath_, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!out_) return Status::IoError("cannot create error file " + targetPath_);
  createdPath_ = targetPath_;
  for (const auto& column : sourceColumns_) out_ << csvField(column) << ',';
  out_ << "reason_code,stage,mapping,value,candidates,message\r\n";
  return Status::OK();
}

Status ErrorFile::add(const std::vector<Value>& sourceValues, const RejectedRecord& rejected) {
  if (!out_.is_open()) {
    Status s = open();
    if (!s.ok()) return s;
  }
  for (std::size_t i = 0; i < sourceColumns_.size(); ++i) {
    if (i < sourceValues.size()) out_ << csvField(valueToText(sourceValues[i]));
    out_ << ',';
  }
  std::string candidates;
  for (const auto& c : rejected.candidates) {
    if (!candidates.empty()) candidates += ';';
    candidates += c;
  }
  out_ << csvField(rejected.reasonCode) << ',' << csvField(rejected.stage) << ','
       << csvField(rejected.mapping) << ',' << csvField(rejected.value) << ','
       << csvField(candidates) << ',' << csvField(rejected.message) << "\r\n";
  ++rows_;
  if (!out_) return Status::IoError("cannot write error file " + targetPath_);
  return Status::OK();
}

Status ErrorFile::close() {
  if (!out_.is_open()) return Status::OK();
  out_.close();
  if (out_.fail()) return Status::IoError("cannot finish error file " + targetPath_);
  return Status::OK();
}

}  // namespace sfsync::activity
