// MetadataRefresh: re-describes every object a connection's enabled jobs use (their source objects
// and the objects their relationship paths reach), stores the answers in the describe cache
// (MetadataCache) and checks every such job against them (issue 15). A mapped field that is gone
// (removed or renamed in Salesforce: it was in the describe cached before; a field that never
// existed is a typo, left to the validation and to Salesforce's INVALID_FIELD) or whose type
// changed incompatibly (its natural store column type differs from the one the job was built with,
// and the mapping sets no "type") marks the job invalid: the state key metadataInvalidKey(job)
// holds a JobInvalidity (JSON) and an update-activity row (kind "job", action "metadata-invalid")
// names the field. A run of an invalid job fails at once with the reason code
// (METADATA_FIELD_MISSING / METADATA_TYPE_CHANGED) as Status::remoteCode(), until a refresh finds
// the field again (action "metadata-valid") or the job is edited so that it no longer maps the
// field. A job already invalid for the same field is not recorded again.
//
// Errors: a describe that fails other than with a Salesforce error body (network, authentication,
// cancelled) fails the whole refresh and marks nothing; a Salesforce error body for an object (it
// was deleted) marks the jobs that read it invalid. Store failures are returned.
//
// Thread-safety: stateless functions; the client must not be used by another thread meanwhile.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/jobs/MetadataCache.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

// Reason codes (Status::remoteCode() of a refused run; JobInvalidity::reason).
inline constexpr const char* kMetadataFieldMissing = "METADATA_FIELD_MISSING";
inline constexpr const char* kMetadataTypeChanged = "METADATA_TYPE_CHANGED";

inline std::string metadataInvalidKey(const std::string& job) {
  return "job.metadataInvalid/" + job;
}

// Why a job is invalid.
struct JobInvalidity {
  std::string reason;        // kMetadataFieldMissing or kMetadataTypeChanged
  std::string object;        // the object the field was looked up on
  std::string field;         // the field or relationship path as the job names it
  std::string jsonPath;      // where the job names it, e.g. "targets[0].mappings[1].source"
  std::string expectedType;  // type changes: the Salesforce type the job was built with
  std::string message;       // one line for people
  std::string detectedAt;    // ISO-8601 UTC

  std::string toJson() const;
  static std::optional<JobInvalidity> fromJson(const std::string& json);
};

// A job that turned invalid, or valid again.
struct JobValidityChange {
  std::string job;
  bool invalid = false;      // true: newly invalid (see invalidity); false: valid again
  JobInvalidity invalidity;  // when invalid
};

struct RefreshReport {
  std::vector<std::string> objects;        // described, in the order they were first needed
  std::vector<JobValidityChange> changes;  // what this refresh changed
  std::vector<std::string> invalidJobs;    // every checked job invalid after the refresh
};

class MetadataRefresh {
 public:
  // Refreshes `connection` (see the header comment). `actor` goes to update activity ("cli",
  // the admin token's name, "daemon").
  static Result<RefreshReport> refresh(const std::vector<config::JobConfig>& jobs,
                                       MetadataCache& cache, salesforce::SalesforceClient& client,
                                       store::Store& store, Clock& clock, const std::string& actor);

  // The job's invalid mark when it still applies (the job still maps the field); std::nullopt when
  // valid, when the job was edited not to map the field any more, or when the mark is unreadable.
  static std::optional<JobInvalidity> invalidity(store::Store& store, const config::JobConfig& job);
};

}  // namespace sfsync::jobs
