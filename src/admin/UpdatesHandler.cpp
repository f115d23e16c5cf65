#include "admin/UpdatesHandler.h"

#include <cstddef>
#include <optional>
#include <vector>

#include "admin/ActivityFilter.h"
#include "admin/ActivityJson.h"
#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"
#include "admin/PageCursor.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

// Whether `r` comes after `key` in the newest-first order (time desc, id desc).
bool after(const store::UpdateRecord& r, const PageKey& key) {
  return r.time < key.time || (r.time == key.time && r.id < key.id);
}

}  // namespace

void UpdatesHandler::serve(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  if (target_.segments().size() != 2) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND, "no such resource; use /api/updates");
  }
  if (auto e = target_.checkParameters({"limit", "cursor"}))
    return sendParameterError(response, *e);
  int limit = kDefaultPageSize;
  std::optional<PageKey> cursor;
  if (auto e = parseLimit(target_, &limit)) return sendParameterError(response, *e);
  if (auto e = parseCursor(target_, &cursor)) return sendParameterError(response, *e);

  // The store pages by time only (rows sharing the boundary time would be skipped), so ask for
  // rows with time <= the cursor's ("\x7f" sorts after every character of an ISO time) and drop
  // those at or before the cursor's (time, id) here, widening the request while ties fill it.
  const std::string beforeTime = cursor ? cursor->time + "\x7f" : std::string();
  std::vector<store::UpdateRecord> rows;
  for (int fetch = limit + 1 + 16;; fetch *= 2) {
    Result<std::vector<store::UpdateRecord>> batch =
        context().store->listUpdates(fetch, beforeTime);
    if (!batch.ok()) {
      return sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                       batch.status().toString());
    }
    rows.clear();
    for (store::UpdateRecord& r : *batch) {
      if (!cursor || after(r, *cursor)) rows.push_back(std::move(r));
    }
    if (rows.size() > static_cast<std::size_t>(limit) ||
        batch->size() < static_cast<std::size_t>(fetch)) {
      break;
    }
  }
  std::optional<PageKey> next;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(static_cast<std::size_t>(limit));
    next = PageKey{rows.back().time, rows.back().id};
  }
  JsonWriter json;
  json.beginObject().key("updates").beginArray();
  for (const store::UpdateRecord& r : rows) writeUpdate(json, r);
  json.endArray().integerField("limit", limit).key("nextCursor");
  if (next) {
    json.string(PageCursor::encode(*next));
  } else {
    json.null();
  }
  json.endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

}  // namespace sfsync::admin
