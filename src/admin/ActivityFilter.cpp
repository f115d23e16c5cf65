#include "admin/ActivityFilter.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "admin/ActivityJson.h"
#include "admin/IsoTime.h"

namespace sfsync::admin {

namespace {

std::optional<ParameterError> parseTime(const RequestTarget& target, const char* name,
                                        std::string* out, std::int64_t* millis) {
  const std::string* text = target.parameter(name);
  if (text == nullptr || text->empty()) return std::nullopt;
  const std::optional<std::int64_t> parsed = parseIsoTime(*text);
  if (!parsed) {
    return ParameterError{name, std::string(name) +
                                    " must be an ISO-8601 date or time, e.g. 2026-03-01 or "
                                    "2026-03-01T10:00:00Z; got '" +
                                    *text + "'"};
  }
  *millis = *parsed;
  *out = formatIsoTime(*parsed);
  return std::nullopt;
}

PageKey keyOf(const store::ExecutionRecord& r) { return PageKey{r.startTime, r.executionId}; }

}  // namespace

std::optional<ParameterError> parseLimit(const RequestTarget& target, int* limit) {
  const std::string* text = target.parameter("limit");
  if (text == nullptr || text->empty()) {
    *limit = kDefaultPageSize;
    return std::nullopt;
  }
  const std::string message = "limit must be an integer from 1 to " + std::to_string(kMaxPageSize) +
                              "; got '" + *text + "'";
  if (text->size() > 6) return ParameterError{"limit", message};
  int value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return ParameterError{"limit", message};
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > kMaxPageSize) return ParameterError{"limit", message};
  *limit = value;
  return std::nullopt;
}

std::optional<ParameterError> parseCursor(const RequestTarget& target,
                                          std::optional<PageKey>* cursor) {
  const std::string* text = target.parameter("cursor");
  cursor->reset();
  if (text == nullptr || text->empty()) return std::nullopt;
  *cursor = PageCursor::decode(*text);
  if (!*cursor) {
    return ParameterError{"cursor",
                          "cursor is not one this server issued (pass a response's nextCursor "
                          "unchanged)"};
  }
  return std::nullopt;
}

std::optional<ParameterError> ActivityFilter::parse(const RequestTarget& target,
                                                    ActivityFilter* out) {
  if (auto e = target.checkParameters(
          {"job", "chain", "connection", "status", "since", "until", "limit", "cursor"})) {
    return e;
  }
  ActivityFilter filter;
  if (const std::string* job = target.parameter("job"); job != nullptr && !job->empty()) {
    filter.query_.name = *job;
    filter.query_.kind = "job";
  }
  if (const std::string* chain = target.parameter("chain")) filter.chain_ = *chain;
  if (const std::string* c = target.parameter("connection")) filter.query_.connection = *c;
  if (const std::string* status = target.parameter("status"); status && !status->empty()) {
    const std::optional<std::string> canonical = canonicalStatus(*status);
    if (!canonical) {
      return ParameterError{"status", std::string("status must be one of ") + kStatusList +
                                          "; got '" + *status + "'"};
    }
    filter.query_.status = *canonical;
  }
  std::int64_t since = 0;
  std::int64_t until = 0;
  if (auto e = parseTime(target, "since", &filter.query_.since, &since)) return e;
  if (auto e = parseTime(target, "until", &filter.query_.until, &until)) return e;
  if (!filter.query_.since.empty() && !filter.query_.until.empty() && until <= since) {
    return ParameterError{"until", "until must be later than since"};
  }
  if (auto e = parseLimit(target, &filter.limit_)) return e;
  std::optional<PageKey> cursor;
  if (auto e = parseCursor(target, &cursor)) return e;
  if (cursor) {
    filter.query_.beforeStartTime = cursor->time;
    filter.query_.beforeExecutionId = cursor->id;
  }
  *out = std::move(filter);
  return std::nullopt;
}

Result<ExecutionPage> ActivityFilter::readPage(store::Store& store) const {
  ExecutionPage page;
  store::ExecutionQuery query = query_;
  query.chain = chain_;
  query.limit = limit_ + 1;  // one extra row tells whether another page exists
  Result<std::vector<store::ExecutionRecord>> rows = store.listExecutions(query);
  if (!rows.ok()) return rows.status();
  page.rows = std::move(*rows);
  if (page.rows.size() > static_cast<std::size_t>(limit_)) {
    page.rows.resize(static_cast<std::size_t>(limit_));
    page.next = keyOf(page.rows.back());
  }
  return page;
}

}  // namespace sfsync::admin
