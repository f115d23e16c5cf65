// JobFields: the Salesforce fields a job names and how to resolve them against describes, shared
// by the online validation (JobValidator) and the metadata checks (MetadataRefresh, run start).
// mappedFields(): source.fields, mapping sources and derived-mapping match sources with their JSON
// paths (not dedupeBy). resolvePath(): follows a field or relationship path
// (Account__r.Owner.Email) hop by hop through describes obtained from a DescribeLookup.
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ObjectDescribe.h"

namespace sfsync::jobs {

struct MappedField {
  std::string jsonPath;  // e.g. "targets[0].mappings[2].source"
  std::string path;      // the field or relationship path as the job spells it
  bool typed = false;    // the mapping sets its own column "type"
};

std::vector<MappedField> mappedFields(const config::JobConfig& job);

// The describe of an object (memoised by the caller; the reference must stay valid while the
// resolution runs). A kNotFound error whose message is kNotAvailable means "not known here": the
// hop is not checked.
using DescribeLookup = std::function<const Result<salesforce::ObjectDescribe>&(const std::string&)>;
inline constexpr const char* kNotAvailable = "describe not available";

struct PathResolution {
  salesforce::FieldDescribe field;  // the last hop's field, when found
  bool found = false;
  bool unknown = false;  // an object on the way was not available: nothing to say
  std::string object;    // the object the failing (or last) hop was looked up on
  std::string hop;       // the failing hop
  std::string problem;   // "" when found or unknown
};

PathResolution resolvePath(const DescribeLookup& describes, const std::string& object,
                           const std::string& path);

}  // namespace sfsync::jobs
