// ErrorFile: the per-execution CSV of rejected records. Columns: the source record's fields (in
// SELECT order) followed by reason_code, stage (extract / map / load), mapping (the target field
// involved), value (the offending value), candidates (gsids of ambiguous matches, ';'-separated)
// and message. RFC 4180 quoting. The file is created lazily on the first add(), so a run without
// failures leaves no file behind; path() is empty until then.
//
// Thread-safety: not thread-safe; one writer per execution.
#pragma once

#include <string>
#include <vector>

#include "sfsync/activity/CsvFile.h"
#include "sfsync/core/Status.h"
#include "sfsync/core/Value.h"

namespace sfsync::activity {

struct RejectedRecord {
  std::string reasonCode;  // stable, documented code, e.g. TYPE_CONVERSION
  std::string stage;       // "extract", "map" or "load"
  std::string mapping;     // target field involved, if any
  std::string value;       // offending value, if any
  std::vector<std::string> candidates;
  std::string message;
};

class ErrorFile {
 public:
  // `path` is where the file will be created; `sourceColumns` are the source record's field names.
  ErrorFile(std::string path, std::vector<std::string> sourceColumns);

  // Appends one rejected record; `sourceValues` aligns with sourceColumns (may be empty for
  // record-less errors). Creates the file (and its directory) on first use.
  Status add(const std::vector<Value>& sourceValues, const RejectedRecord& rejected);
  Status close();
  // Holds added rows in memory until release() writes them or discard() drops them (CsvFile).
  void hold() { file_.hold(); }
  Status release() { return file_.release(); }
  void discard() { file_.discard(); }

  // Path of the created file, or empty when nothing was added.
  const std::string& path() const { return file_.path(); }
  long rows() const { return file_.rows(); }

  // RFC 4180 field quoting (exposed for tests).
  static std::string csvField(const std::string& text) { return CsvFile::field(text); }

 private:
  std::size_t sourceColumns_;
  CsvFile file_;
};

}  // namespace sfsync::activity
