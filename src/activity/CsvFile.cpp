#include "sfsync/activity/CsvFile.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

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

void CsvFile::writeLine(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_ << ',';
    out_ << field(fields[i]);
  }
  out_ << "\r\n";
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
  writeLine(header_);
  return Status::OK();
}

Status CsvFile::addRow(const std::vector<std::string>& fields) {
  if (!out_.is_open()) {
    Status s = open();
    if (!s.ok()) return s;
  }
  writeLine(fields);
  ++rows_;
  if (!out_) return Status::IoError("cannot write " + targetPath_);
  return Status::OK();
}

Status CsvFile::close() {
  if (!out_.is_open()) return Status::OK();
  out_.close();
  if (out_.fail()) return Status::IoError("cannot finish " + targetPath_);
  return Status::OK();
}

}  // namespace sfsync::activity
