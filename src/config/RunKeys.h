// RunKeys: reads the keys that job and chain files share - "schedule" (checked now with
// scheduling::Schedule::parse, its message reported under "schedule"), "overlap" ("refuse" |
// "queue") and "notifications" (an object kept as compact JSON for the notify module's parser).
//
// Thread-safety: stateless functions; each call uses only its arguments.
#pragma once

#include <string>

#include "config/JsonObjectReader.h"
#include "sfsync/config/Config.h"

namespace sfsync::config::run_keys {

// Sets `scheduleJson` to the compact object when "schedule" is an object (even an invalid one).
void readSchedule(JsonObjectReader& in, std::string* scheduleJson);
void readOverlap(JsonObjectReader& in, OverlapPolicy* overlap);
void readNotifications(JsonObjectReader& in, std::string* notificationsJson);

}  // namespace sfsync::config::run_keys
