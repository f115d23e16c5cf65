#include "jobs/WriteBackPlan.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "mapping/IsoDateTime.h"

namespace sfsync::jobs {
namespace {

bool sameName(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool isNumberType(const std::string& t) {
  return t == "int" || t == "double" || t == "currency" || t == "percent" || t == "long";
}

std::optional<double> numberOf(const Value& v) {
  if (std::holds_alternative<std::int64_t>(v))
    return static_cast<double>(std::get<std::int64_t>(v));
  if (std::holds_alternative<double>(v)) return std::get<double>(v);
  if (std::holds_alternative<bool>(v)) return std::get<bool>(v) ? 1.0 : 0.0;
  if (const auto* s = std::get_if<std::string>(&v)) {
    char* end = nullptr;
    const double d = std::strtod(s->c_str(), &end);
    if (!s->empty() && end != nullptr && *end == '\0') return d;
  }
  return std::nullopt;
}

}  // namespace

const WriteBackColumn* WriteBackTarget::find(const std::string& column) const {
  for (const WriteBackColumn& c : columns) {
    if (sameName(c.column, column)) return &c;
  }
  return nullptr;
}

std::vector<WriteBackTarget> writeBackTargets(const config::JobConfig& job) {
  std::vector<WriteBackTarget> out;
  for (const config::TargetConfig& t : job.targets) {
    WriteBackTarget target;
    target.table = t.object;
    for (const config::MappingConfig& m : t.mappings) {
      if (m.source.empty()) continue;
      if (sameName(m.source, "Id")) target.idColumn = m.target;
      if (!job.externalIdField.empty() && sameName(m.source, job.externalIdField)) {
        target.extColumn = m.target;
      }
      if (m.writesBack())
        target.columns.push_back({m.target, m.source, "", m.direction, m.jsonPath});
    }
    if (!target.columns.empty()) out.push_back(std::move(target));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> writeBackProblems(
    const config::JobConfig& job, const salesforce::ObjectDescribe& describe) {
  std::vector<std::pair<std::string, std::string>> out;
  const bool creates = job.createInSalesforce || !job.externalIdField.empty();
  for (const WriteBackTarget& t : writeBackTargets(job)) {
    for (const WriteBackColumn& c : t.columns) {
      const std::string path = c.jsonPath + ".direction";
      const std::string field = job.sourceObject + "." + c.field;
      const salesforce::FieldDescribe* f = describe.findField(c.field);
      if (f == nullptr) {
        out.emplace_back(path, field + " does not exist in Salesforce; cannot write back");
      } else if (!f->updateable) {
        out.emplace_back(path, field +
                                   " is not updateable in Salesforce (read-only); direction must "
                                   "be fromSalesforce");
      } else if (creates && !f->createable) {
        out.emplace_back(path, field +
                                   " is not createable in Salesforce, so createInSalesforce / "
                                   "externalIdField cannot set it");
      }
    }
  }
  if (!job.externalIdField.empty()) {
    const salesforce::FieldDescribe* f = describe.findField(job.externalIdField);
    if (f == nullptr || !f->externalId) {
      out.emplace_back(
          "externalIdField",
          "'" + job.externalIdField + "' is not an external-id field of " + job.sourceObject);
    }
  }
  return out;
}

Status validateWriteBack(const config::JobConfig& job, const salesforce::ObjectDescribe& describe,
                         std::vector<WriteBackTarget>& targets) {
  const auto problems = writeBackProblems(job, describe);
  if (!problems.empty()) {
    return Status::InvalidArgument("job '" + job.name + "': " + problems.front().first + ": " +
                                   problems.front().second);
  }
  for (WriteBackTarget& t : targets) {
    for (WriteBackColumn& c : t.columns) c.fieldType = describe.findField(c.field)->type;
  }
  return Status::OK();
}

std::vector<FieldChange> collapse(const std::vector<store::OutboxEntry>& entries) {
  std::map<std::pair<std::string, std::string>, FieldChange> byKey;
  for (const store::OutboxEntry& e : entries) {
    auto [it, fresh] = byKey.try_emplace({e.gsid, e.column});
    FieldChange& c = it->second;
    if (fresh) {
      c.gsid = e.gsid;
      c.column = e.column;
      c.base = e.oldValue;
    }
    c.local = e.newValue;
    c.changedAt = e.changedAt;
    c.maxSeq = e.seq;
    c.inserted = c.inserted || e.inserted;
    if (e.uncertain()) {
      c.uncertain = true;
      c.sent = e.newValue;
    }
  }
  std::vector<FieldChange> out;
  out.reserve(byKey.size());
  for (auto& [key, change] : byKey) out.push_back(std::move(change));
  return out;
}

Decision decide(const FieldChange& change, const WriteBackColumn& column, const Value& sfValue,
                std::int64_t changedAtMs, std::int64_t sfStampMs) {
  Decision d;
  d.salesforce = sfValue;
  const Value local = toSalesforceValue(change.local, column.fieldType);
  const Value base = toSalesforceValue(change.base, column.fieldType);
  if (sameValue(local, sfValue)) return d;  // already equal: nothing to do
  if (column.direction == config::Direction::kToSalesforce || sameValue(base, sfValue)) {
    d.action = Action::kSend;
    return d;
  }
  d.conflict = true;
  const bool localNewer = sfStampMs < 0 || changedAtMs >= sfStampMs;
  d.action = localNewer ? Action::kSend : Action::kApplySalesforce;
  return d;
}

Value toSalesforceValue(const Value& local, const std::string& type) {
  if (isNull(local)) return local;
  if (const auto* s = std::get_if<std::string>(&local); s != nullptr && s->empty()) return Value{};
  if (type == "boolean") {
    if (const auto* s = std::get_if<std::string>(&local)) return Value{*s == "true" || *s == "1"};
    const auto n = numberOf(local);
    return Value{n && *n != 0};
  }
  if (isNumberType(type)) {
    const auto n = numberOf(local);
    if (!n) return local;
    if (type == "int" || type == "long") return Value{static_cast<std::int64_t>(std::llround(*n))};
    return Value{*n};
  }
  if (std::holds_alternative<std::string>(local)) return local;
  return Value{valueToText(local)};
}

bool sameValue(const Value& a, const Value& b) {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  const bool textA = std::holds_alternative<std::string>(a);
  const bool textB = std::holds_alternative<std::string>(b);
  if (textA || textB) return valueToText(a) == valueToText(b);
  const auto x = numberOf(a), y = numberOf(b);
  return x && y && std::fabs(*x - *y) <= 1e-9 * std::max(1.0, std::fabs(*x));
}

std::int64_t isoMillis(const std::string& iso) {
  std::int64_t ms = 0;
  std::string why;
  return mapping::IsoDateTime::parseDateTime(iso, &ms, &why) ? ms : -1;
}

}  // namespace sfsync::jobs
