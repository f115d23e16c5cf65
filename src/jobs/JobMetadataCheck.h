// JobMetadataCheck: checks one job's mapped fields against describes (the metadata refresh and the
// start of a run) and records the outcome (the invalid mark in the store state and its
// update-activity row). See sfsync/jobs/MetadataRefresh.h for the rules.
//
// Thread-safety: stateless functions.
#pragma once

#include <optional>
#include <string>

#include "jobs/JobFields.h"
#include "sfsync/core/Clock.h"
#include "sfsync/jobs/MetadataRefresh.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class JobMetadataCheck {
 public:
  // The first problem of `job` against `current` (and `previous` for type changes: the describes
  // the job was built with; an existing type-change mark's expectedType wins). Hops whose describe
  // is not available are not checked.
  static std::optional<JobInvalidity> check(const config::JobConfig& job,
                                            const DescribeLookup& current,
                                            const DescribeLookup& previous,
                                            const std::optional<JobInvalidity>& existing,
                                            Clock::TimePoint now);
  // The stored mark, applicable or not (std::nullopt: none or unreadable).
  static std::optional<JobInvalidity> storedMark(store::Store& store, const std::string& job);
  // Makes the stored mark agree with `found`: writes it and records "metadata-invalid" when it is
  // new (or names another field), erases it and records "metadata-valid" (with `why`) when the job
  // is valid now. Returns the change, std::nullopt when nothing changed.
  static Result<std::optional<JobValidityChange>> apply(store::Store& store, Clock& clock,
                                                        const config::JobConfig& job,
                                                        const std::optional<JobInvalidity>& found,
                                                        const std::string& actor,
                                                        const std::string& why);
  // The refused run's Status: the mark's message with its reason code.
  static Status refusal(const JobInvalidity& invalidity);
};

}  // namespace sfsync::jobs
