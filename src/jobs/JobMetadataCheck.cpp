#include "jobs/JobMetadataCheck.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/String.h>

#include <sstream>

#include "sfsync/mapping/TypeConversion.h"

namespace sfsync::jobs {

namespace {

const char* const kKeys[] = {"reason",       "object",  "field",     "jsonPath",
                             "expectedType", "message", "detectedAt"};

std::string* slot(JobInvalidity& j, const std::string& key) {
  if (key == "reason") return &j.reason;
  if (key == "object") return &j.object;
  if (key == "field") return &j.field;
  if (key == "jsonPath") return &j.jsonPath;
  if (key == "expectedType") return &j.expectedType;
  if (key == "message") return &j.message;
  return &j.detectedAt;
}

// " ('Name__c' has the same label: renamed to it?)" when a field new since `previous` carries the
// gone field's label.
std::string renameHint(const DescribeLookup& current, const DescribeLookup& previous,
                       const std::string& object, const std::string& gone) {
  const Result<salesforce::ObjectDescribe>& before = previous(object);
  const Result<salesforce::ObjectDescribe>& now = current(object);
  if (!before.ok() || !now.ok()) return "";
  const salesforce::FieldDescribe* old = before->findField(gone);
  if (old == nullptr || old->label.empty()) return "";
  for (const salesforce::FieldDescribe& f : now->fields) {
    if (f.label == old->label && before->findField(f.name) == nullptr) {
      return " ('" + f.name + "' has the same label \"" + f.label + "\": renamed to it?)";
    }
  }
  return "";
}

std::optional<JobInvalidity> typeChange(const MappedField& mapped, const PathResolution& now,
                                        const DescribeLookup& previous,
                                        const config::JobConfig& job,
                                        const std::optional<JobInvalidity>& existing) {
  std::string before;
  if (existing && existing->reason == kMetadataTypeChanged &&
      Poco::icompare(existing->field, mapped.path) == 0) {
    before = existing->expectedType;
  } else {
    PathResolution then = resolvePath(previous, job.sourceObject, mapped.path);
    if (!then.found) return std::nullopt;
    before = then.field.type;
  }
  const store::ColumnType was = mapping::defaultColumnType(before);
  const store::ColumnType is = mapping::defaultColumnType(now.field.type);
  if (was == is) return std::nullopt;
  JobInvalidity out;
  out.reason = kMetadataTypeChanged;
  out.object = now.object;
  out.field = mapped.path;
  out.jsonPath = mapped.jsonPath;
  out.expectedType = before;
  out.message = "field '" + mapped.path + "' (" + mapped.jsonPath + ") on " + now.object +
                " changed type in Salesforce from " + before + " to " + now.field.type +
                " (store column " + store::columnTypeName(was) + " -> " +
                store::columnTypeName(is) + ")";
  return out;
}

// True when the field existed before: in the previous describes, or it is the field the job is
// already marked for. A field that never existed (a typo) is not a metadata change: the online
// validation reports it and Salesforce refuses the query (INVALID_FIELD) with its own message.
bool hadField(const MappedField& mapped, const config::JobConfig& job,
              const DescribeLookup& previous, const std::optional<JobInvalidity>& existing) {
  if (existing && existing->reason == kMetadataFieldMissing &&
      Poco::icompare(existing->field, mapped.path) == 0) {
    return true;
  }
  return resolvePath(previous, job.sourceObject, mapped.path).found;
}

}  // namespace

std::string JobInvalidity::toJson() const {
  Poco::JSON::Object o;
  JobInvalidity copy = *this;
  for (const char* key : kKeys) o.set(key, *slot(copy, key));
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::optional<JobInvalidity> JobInvalidity::fromJson(const std::string& json) {
  try {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr o = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    if (!o) return std::nullopt;
    JobInvalidity j;
    for (const char* key : kKeys) *slot(j, key) = o->optValue<std::string>(key, "");
    if (j.reason.empty() || j.field.empty()) return std::nullopt;
    return j;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<JobInvalidity> JobMetadataCheck::check(const config::JobConfig& job,
                                                     const DescribeLookup& current,
                                                     const DescribeLookup& previous,
                                                     const std::optional<JobInvalidity>& existing,
                                                     Clock::TimePoint now) {
  std::vector<MappedField> fields = mappedFields(job);
  if (!job.dedupeBy.empty()) fields.push_back({"source.dedupeBy", job.dedupeBy, false});
  for (const MappedField& mapped : fields) {
    PathResolution r = resolvePath(current, job.sourceObject, mapped.path);
    std::optional<JobInvalidity> found;
    if (!r.problem.empty() && hadField(mapped, job, previous, existing)) {
      found = JobInvalidity{};
      found->reason = kMetadataFieldMissing;
      found->object = r.object;
      found->field = mapped.path;
      found->jsonPath = mapped.jsonPath;
      found->message = r.problem + " any more (" + mapped.jsonPath + ": '" + mapped.path +
                       "'; removed or renamed?)" + renameHint(current, previous, r.object, r.hop);
    } else if (r.found && !mapped.typed) {
      found = typeChange(mapped, r, previous, job, existing);
    }
    if (found) {
      found->message += "; runs of job '" + job.name + "' fail (" + found->reason +
                        ") until a metadata refresh finds the field again or the job is edited";
      found->detectedAt = formatIso8601(now);
      return found;
    }
  }
  return std::nullopt;
}

std::optional<JobInvalidity> JobMetadataCheck::storedMark(store::Store& store,
                                                          const std::string& job) {
  Result<std::optional<std::string>> v = store.getState(metadataInvalidKey(job));
  if (!v.ok()) {
    Poco::Logger::get("sfsync.metadata")
        .warning("cannot read the metadata mark of job %s: %s", job, v.status().toString());
    return std::nullopt;
  }
  if (!v->has_value()) return std::nullopt;
  return JobInvalidity::fromJson(**v);
}

Result<std::optional<JobValidityChange>> JobMetadataCheck::apply(
    store::Store& store, Clock& clock, const config::JobConfig& job,
    const std::optional<JobInvalidity>& found, const std::string& actor, const std::string& why) {
  const std::optional<JobInvalidity> existing = storedMark(store, job.name);
  const bool same = found && existing && existing->reason == found->reason &&
                    Poco::icompare(existing->field, found->field) == 0;
  if (same || (!found && !existing)) return std::optional<JobValidityChange>();
  store::UpdateRecord update;
  update.time = formatIso8601(clock.now());
  update.actor = actor;
  update.kind = "job";
  update.name = job.name;
  JobValidityChange change;
  change.job = job.name;
  change.invalid = found.has_value();
  Status s = store.transaction([&] {
    if (found) {
      change.invalidity = *found;
      update.action = "metadata-invalid";
      update.diff = found->reason + ": " + found->message;
      Status put = store.putState(metadataInvalidKey(job.name), found->toJson());
      if (!put.ok()) return put;
    } else {
      update.action = "metadata-valid";
      update.diff = "job '" + job.name + "' is valid again: " + why + " (was " + existing->reason +
                    " for '" + existing->field + "')";
      Status erased = store.eraseState(metadataInvalidKey(job.name));
      if (!erased.ok()) return erased;
    }
    return store.saveUpdate(update);
  });
  if (!s.ok()) return s;
  return std::optional<JobValidityChange>(std::move(change));
}

Status JobMetadataCheck::refusal(const JobInvalidity& invalidity) {
  return Status::InvalidArgument(invalidity.message).withRemote(invalidity.reason);
}

}  // namespace sfsync::jobs
