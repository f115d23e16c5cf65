#include "sfsync/activity/CsvFile.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <utility>

namespace sfsync::activity {

CsvFile::CsvFile(std::string path, std::vector<std::string> header)
    : targetPath_(std::move(path)), header_(std::move(header)) {}

CsvFile::~CsvFile() {
  // Best effort for a file its owner abandoned (an error path); owners that keep the file call
  // close() and act on its Status.
  close().ignoreError();
}

std::string CsvFile::field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void CsvFile::appendLine(const std::vector<std::string>& fields, std::string& to) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) to += ',';
    to += field(fields[i]);
  }
  to += "\r\n";
}

Status CsvFile::open() {
  try {
    Poco::File(Poco::Path(targetPath_).parent()).createDirectories();
  } catch (const Poco::Exception& e) {
    return Status::IoError("cannot create directory for " + targetPath_ + ": " + e.displayText());
  }
  out_.open(targetPath_, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!out_) return Status::IoError("cannot create " + targetPath_);
  createdPath_ = targetPath_;
  line_.clear();
  appendLine(header_, line_);
  out_ << line_;
  return Status::OK();
}

Status CsvFile::addRow(const std::vector<std::string>& fields) {
  if (held_) {
    appendLine(fields, heldText_);
    ++heldRows_;
    return Status::OK();
  }
  if (!out_.is_open()) {
    Status s = open();
    if (!s.ok()) return s;
  }
  line_.clear();
  appendLine(fields, line_);
  out_ << line_;
  ++rows_;
  if (!out_) return Status::IoError("cannot write " + targetPath_);
  return Status::OK();
}

Status CsvFile::release() {
  const std::string text = std::exchange(heldText_, {});
  const long rows = std::exchange(heldRows_, 0);
  held_ = false;
  if (rows == 0) return Status::OK();
  if (!out_.is_open()) {
    Status s = open();
    if (!s.ok()) return s;  // the held rows are lost with the file, as a row added now would be
  }
  out_ << text;
  rows_ += rows;
  if (!out_) return Status::IoError("cannot write " + targetPath_);
  return Status::OK();
}

void CsvFile::discard() {
  held_ = false;
  heldRows_ = 0;
  heldText_.clear();
}

Status CsvFile::close() {
  if (!out_.is_open()) return Status::OK();
  out_.close();
  if (out_.fail()) return Status::IoError("cannot finish " + targetPath_);
  return Status::OK();
}

}  // namespace sfsync::activity
