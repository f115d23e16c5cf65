#include "config/WriteBackKeys.h"

#include <cctype>

#include "config/ConfigText.h"

namespace sfsync::config::write_back_keys {
namespace {

bool sameField(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The mapping of `target` whose source is `field`, or nullptr.
const MappingConfig* mappingOf(const TargetConfig& target, const std::string& field) {
  for (const MappingConfig& m : target.mappings) {
    if (!m.source.empty() && sameField(m.source, field)) return &m;
  }
  return nullptr;
}

}  // namespace

void readDirection(JsonObjectReader& in, MappingConfig& m) {
  const auto choice = in.getChoice("direction", Presence::kOptional, "direction",
                                   {"fromSalesforce", "toSalesforce", "twoWay"});
  if (!choice) return;
  m.direction = *choice == 0   ? Direction::kFromSalesforce
                : *choice == 1 ? Direction::kToSalesforce
                               : Direction::kTwoWay;
  if (!m.writesBack()) return;
  const std::string path = in.pathOf("direction");
  if (m.source.empty()) {
    in.problems().add(path, "only a mapping with 'source' (a Salesforce field) can write back");
  } else if (m.source.find('.') != std::string::npos) {
    in.problems().add(path, "relationship path '" + m.source +
                                "' is read-only: it belongs to another object (direction must be "
                                "fromSalesforce)");
  } else if (sameField(m.source, "Id")) {
    in.problems().add(path, "the record Id is read-only (direction must be fromSalesforce)");
  }
}

void readJobKeys(JsonObjectReader& in, JobConfig& job) {
  if (const auto create = in.getBool("createInSalesforce", Presence::kOptional)) {
    job.createInSalesforce = *create;
  }
  if (const auto ext = in.getString("externalIdField", Presence::kOptional)) {
    if (text::isApiName(*ext)) {
      job.externalIdField = *ext;
    } else {
      in.problems().add("externalIdField", "invalid field name '" + *ext + "'");
    }
  }
  for (const TargetConfig& target : job.targets) {
    bool writes = false;
    for (const MappingConfig& m : target.mappings) writes = writes || m.writesBack();
    if (!writes) continue;
    const bool hasId = mappingOf(target, "Id") != nullptr;
    const bool hasExt =
        !job.externalIdField.empty() && mappingOf(target, job.externalIdField) != nullptr;
    if (!hasId && !hasExt) {
      in.problems().add(
          target.jsonPath == "target" ? "mappings" : target.jsonPath + ".mappings",
          "a target that writes back (direction toSalesforce / twoWay) must map the "
          "record's Id (source \"Id\")" +
              std::string(job.externalIdField.empty()
                              ? ""
                              : " or the externalIdField '" + job.externalIdField + "'") +
              " to a column");
    }
  }
  if (!job.externalIdField.empty()) {
    bool mapped = false;
    for (const TargetConfig& t : job.targets) mapped = mapped || mappingOf(t, job.externalIdField);
    if (!mapped) {
      in.problems().add(
          "externalIdField",
          "field '" + job.externalIdField + "' is not mapped by any target (map it to a column)");
    }
  }
  if ((job.createInSalesforce || !job.externalIdField.empty()) && !job.writesBack()) {
    in.problems().add(job.createInSalesforce ? "createInSalesforce" : "externalIdField",
                      "the job has no mapping with direction toSalesforce or twoWay");
  }
}

}  // namespace sfsync::config::write_back_keys
