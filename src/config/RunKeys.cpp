#include "config/RunKeys.h"

#include "config/JsonDocument.h"
#include "sfsync/scheduling/Schedule.h"

namespace sfsync::config::run_keys {

void readSchedule(JsonObjectReader& in, std::string* scheduleJson) {
  Poco::JSON::Object::Ptr schedule = in.getObject("schedule", Presence::kOptional);
  if (!schedule) return;
  *scheduleJson = JsonDocument::compact(schedule);
  const auto parsed = scheduling::Schedule::parse(*scheduleJson);
  if (!parsed.ok()) in.problems().add(in.pathOf("schedule"), parsed.status().message());
}

void readOverlap(JsonObjectReader& in, OverlapPolicy* overlap) {
  if (const auto choice =
          in.getChoice("overlap", Presence::kOptional, "overlap policy", {"refuse", "queue"})) {
    *overlap = *choice == 0 ? OverlapPolicy::kRefuse : OverlapPolicy::kQueue;
  }
}

void readNotifications(JsonObjectReader& in, std::string* notificationsJson) {
  if (Poco::JSON::Object::Ptr n = in.getObject("notifications", Presence::kOptional)) {
    *notificationsJson = JsonDocument::compact(n);
  }
}

}  // namespace sfsync::config::run_keys
