// SuccessFile: the optional per-execution CSV of loaded records, in the spirit of Salesforce Data
// Loader's success file: the source record's fields, then the target gsid and "Created" or
// "Updated". Created lazily (no file when nothing loaded). Written only for jobs with
// "successFile": true.
//
// Thread-safety: not thread-safe; one writer per execution.
#pragma once

#include <string>
#include <vector>

#include "sfsync/activity/CsvFile.h"
#include "sfsync/core/Value.h"

namespace sfsync::activity {

class SuccessFile {
 public:
  SuccessFile(std::string path, std::vector<std::string> sourceColumns);

  Status add(const std::vector<Value>& sourceValues, const std::string& gsid, bool created);
  Status close() { return file_.close(); }
  const std::string& path() const { return file_.path(); }

 private:
  std::size_t sourceColumns_;
  CsvFile file_;
};

}  // namespace sfsync::activity
