#include "sfsync/scheduling/ScheduleSpec.h"

#include <cctype>
#include <optional>
#include <set>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace sfsync::scheduling {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

const char* const kKindKeys[] = {"every", "daily", "weekdays", "weekly", "monthly", "cron"};
const char* const kKindList = "every, daily, weekdays, weekly, monthly, cron";

// How a JSON value is shown after "got": strings quoted, containers named.
std::string shown(const Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Object::Ptr)) return "an object";
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) return "an array";
  try {
    if (v.isString()) return "\"" + v.toString() + "\"";
    return v.toString();
  } catch (const Poco::Exception&) {
    return "an unsupported value";
  }
}

Status invalid(const std::string& path, const std::string& what) {
  return Status::InvalidArgument(path + ": " + what);
}

std::optional<std::string> asString(const Var& v) {
  if (v.isEmpty() || !v.isString()) return std::nullopt;
  return v.toString();
}

std::optional<long long> asInteger(const Var& v) {
  if (v.isEmpty() || !v.isInteger() || v.isBoolean()) return std::nullopt;
  try {
    return v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return std::nullopt;  // does not fit
  }
}

// "HH:MM" (hour may be one digit, minutes exactly two) -> hour, minute.
Status parseTimeOfDay(const std::string& path, const Var& v, int* hour, int* minute) {
  const Status bad = invalid(path, "expected HH:MM, got " + shown(v));
  const std::optional<std::string> s = asString(v);
  if (!s) return bad;
  const std::size_t colon = s->find(':');
  if (colon == std::string::npos || colon == 0 || colon > 2 || s->size() != colon + 3) return bad;
  for (std::size_t i = 0; i < s->size(); ++i) {
    if (i != colon && !std::isdigit(static_cast<unsigned char>((*s)[i]))) return bad;
  }
  const int h = std::stoi(s->substr(0, colon));
  const int m = std::stoi(s->substr(colon + 1));
  if (h > 23 || m > 59) return bad;
  *hour = h;
  *minute = m;
  return Status::OK();
}

// "MON" / "Monday" (any case) -> 0 = Sunday .. 6 = Saturday.
std::optional<int> parseWeekday(const std::string& text) {
  static const char* const kNames[] = {"sunday",   "monday", "tuesday", "wednesday",
                                       "thursday", "friday", "saturday"};
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; i < 7; ++i) {
    const std::string full = kNames[i];
    if (lower == full || lower == full.substr(0, 3)) return i;
  }
  return std::nullopt;
}

// Checks that `obj` has no keys outside `allowed` (reported under `path`).
Status checkKeys(const std::string& path, const Object& obj, const std::set<std::string>& allowed,
                 const std::string& allowedList) {
  for (const auto& entry : obj) {
    if (allowed.count(entry.first) == 0) {
      return invalid(path + "." + entry.first, "unknown key (expected " + allowedList + ")");
    }
  }
  return Status::OK();
}

// {"day": ..., "at": "HH:MM"} for weekly and monthly.
Status parseDayAndTime(const std::string& path, const Var& v, ScheduleSpec* spec) {
  if (v.type() != typeid(Object::Ptr)) {
    return invalid(path, "expected an object {\"day\": ..., \"at\": \"HH:MM\"}, got " + shown(v));
  }
  const Object::Ptr obj = v.extract<Object::Ptr>();
  Status st = checkKeys(path, *obj, {"day", "at"}, "day, at");
  if (!st.ok()) return st;
  if (!obj->has("day")) return invalid(path + ".day", "required");
  if (!obj->has("at")) return invalid(path + ".at", "required");

  const Var day = obj->get("day");
  if (spec->kind == ScheduleSpec::Kind::kWeekly) {
    const std::optional<std::string> s = asString(day);
    const std::optional<int> wd = s ? parseWeekday(*s) : std::nullopt;
    if (!wd) {
      return invalid(path + ".day",
                     "expected a day name (MON..SUN or Monday..Sunday), got " + shown(day));
    }
    spec->weekday = *wd;
  } else {
    const std::optional<long long> d = asInteger(day);
    if (!d || *d < 1 || *d > 31) {
      return invalid(path + ".day", "expected an integer 1-31, got " + shown(day));
    }
    spec->dayOfMonth = static_cast<int>(*d);
  }
  return parseTimeOfDay(path + ".at", obj->get("at"), &spec->hour, &spec->minute);
}

Status parseKind(const std::string& key, const Var& v, ScheduleSpec* spec) {
  const std::string path = "schedule." + key;
  if (key == "every") {
    spec->kind = ScheduleSpec::Kind::kEvery;
    static const std::vector<std::pair<std::string, int>> kAllowed = {
        {"1h", 1}, {"2h", 2}, {"3h", 3}, {"4h", 4}, {"8h", 8}, {"12h", 12}};
    const std::optional<std::string> s = asString(v);
    for (const auto& [text, hours] : kAllowed) {
      if (s && *s == text) {
        spec->everyHours = hours;
        return Status::OK();
      }
    }
    return invalid(
        path, "expected one of \"1h\", \"2h\", \"3h\", \"4h\", \"8h\", \"12h\", got " + shown(v));
  }
  if (key == "daily" || key == "weekdays") {
    spec->kind = key == "daily" ? ScheduleSpec::Kind::kDaily : ScheduleSpec::Kind::kWeekdays;
    return parseTimeOfDay(path, v, &spec->hour, &spec->minute);
  }
  if (key == "weekly" || key == "monthly") {
    spec->kind = key == "weekly" ? ScheduleSpec::Kind::kWeekly : ScheduleSpec::Kind::kMonthly;
    return parseDayAndTime(path, v, spec);
  }
  // cron: the fields themselves are checked by Schedule::fromSpec().
  spec->kind = ScheduleSpec::Kind::kCron;
  const std::optional<std::string> s = asString(v);
  if (!s) return invalid(path, "expected a string \"m h dom mon dow\", got " + shown(v));
  spec->cron = *s;
  return Status::OK();
}

}  // namespace

Result<ScheduleSpec> parseScheduleSpec(const std::string& json) {
  Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json);
  } catch (const Poco::Exception& e) {
    return invalid("schedule", "invalid JSON: " + e.displayText());
  }
  if (root.type() != typeid(Object::Ptr)) {
    return invalid("schedule", "expected an object, got " + shown(root));
  }
  const Object::Ptr obj = root.extract<Object::Ptr>();

  Status st = checkKeys(
      "schedule", *obj,
      {"every", "daily", "weekdays", "weekly", "monthly", "cron", "minute", "timeZone", "misfire"},
      std::string(kKindList) + ", minute, timeZone, misfire");
  if (!st.ok()) return st;

  std::vector<std::string> kinds;
  for (const char* key : kKindKeys) {
    if (obj->has(key)) kinds.push_back(key);
  }
  if (kinds.empty()) return invalid("schedule", std::string("expected one of ") + kKindList);
  if (kinds.size() > 1) {
    std::string got;
    for (const std::string& k : kinds) got += (got.empty() ? "" : ", ") + k;
    return invalid("schedule",
                   std::string("only one of ") + kKindList + " may be given, got " + got);
  }

  ScheduleSpec spec;
  st = parseKind(kinds.front(), obj->get(kinds.front()), &spec);
  if (!st.ok()) return st;

  if (obj->has("minute")) {
    const Var v = obj->get("minute");
    if (spec.kind != ScheduleSpec::Kind::kEvery) {
      return invalid("schedule.minute", "only allowed with \"every\"");
    }
    const std::optional<long long> m = asInteger(v);
    if (!m || *m < 0 || *m > 59) {
      return invalid("schedule.minute", "expected an integer 0-59, got " + shown(v));
    }
    spec.minute = static_cast<int>(*m);
  }

  if (obj->has("timeZone")) {
    const Var v = obj->get("timeZone");
    const std::optional<std::string> tz = asString(v);
    if (!tz || tz->empty()) {
      return invalid("schedule.timeZone",
                     "expected an IANA time zone name such as \"Europe/Berlin\", got " + shown(v));
    }
    spec.timeZone = *tz;
  }

  if (obj->has("misfire")) {
    const Var v = obj->get("misfire");
    const std::optional<std::string> m = asString(v);
    if (m && *m == "run-once") {
      spec.misfire = MisfirePolicy::kRunOnce;
    } else if (m && *m == "skip") {
      spec.misfire = MisfirePolicy::kSkip;
    } else {
      return invalid("schedule.misfire", "expected \"run-once\" or \"skip\", got " + shown(v));
    }
  }
  return spec;
}

}  // namespace sfsync::scheduling
