// SuccessFile: the optional per-execution CSV of loaded records, in the spirit of Salesforce Data
// Loader's success file: the source record's fields, then what each target did with it. A
// single-target job writes the columns "gsid" and "status" (Created / Updated); a multi-target job
// writes "<target> gsid" and "<target> status" for every target in job order (status Created,
// Updated or Skipped - an update-only miss, or an older duplicate that took the newer row's gsid).
// Created lazily (no file when nothing loaded). Written only for jobs with "successFile": true.
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
  struct TargetResult {
    std::string gsid;
    std::string status;  // "Created", "Updated" or "Skipped"
  };

  // `targets`: the job's target names, in order (at least one).
  SuccessFile(std::string path, std::vector<std::string> sourceColumns,
              const std::vector<std::string>& targets);

  // `results` aligns with the targets given to the constructor.
  Status add(const std::vector<Value>& sourceValues, const std::vector<TargetResult>& results);
  Status close() { return file_.close(); }
  // Holds added rows in memory until release() writes them or discard() drops them (CsvFile).
  void hold() { file_.hold(); }
  Status release() { return file_.release(); }
  void discard() { file_.discard(); }
  const std::string& path() const { return file_.path(); }

 private:
  std::size_t sourceColumns_;
  std::size_t targets_;
  CsvFile file_;
};

}  // namespace sfsync::activity
