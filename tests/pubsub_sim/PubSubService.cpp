#include "pubsub_sim/PubSubService.h"

#include <chrono>

namespace sfsync::sim {

namespace {

const char kReplayIdCorrupted[] =
    "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";

std::string metadata(const grpc::ServerContext& context, const char* key) {
  const auto& md = context.client_metadata();
  const auto it = md.find(key);
  return it == md.end() ? "" : std::string(it->second.data(), it->second.size());
}

}  // namespace

PubSubService::PubSubService(EventLog& log, Hooks hooks, PubSubSimOptions options)
    : log_(log), hooks_(std::move(hooks)), options_(options) {}

grpc::Status PubSubService::authenticate(const grpc::ServerContext& context) const {
  const std::string token = metadata(context, "accesstoken");
  if (token.empty() || !hooks_.validToken(token)) {
    return {grpc::StatusCode::UNAUTHENTICATED, "accesstoken is missing or not a live session"};
  }
  if (metadata(context, "instanceurl").empty()) {
    return {grpc::StatusCode::UNAUTHENTICATED, "instanceurl is missing"};
  }
  if (metadata(context, "tenantid") != hooks_.orgId) {
    return {grpc::StatusCode::UNAUTHENTICATED, "tenantid is not this org's Id"};
  }
  return grpc::Status::OK;
}

grpc::Status PubSubService::GetTopic(grpc::ServerContext* context,
                                     const eventbus::v1::TopicRequest* request,
                                     eventbus::v1::TopicInfo* reply) {
  if (grpc::Status s = authenticate(*context); !s.ok()) return s;
  const CdcLayout* layout = hooks_.layoutForTopic(request->topic_name());
  if (!layout) return {grpc::StatusCode::NOT_FOUND, "no topic " + request->topic_name()};
  reply->set_topic_name(layout->topic());
  reply->set_tenant_guid(hooks_.orgId);
  reply->set_can_publish(false);
  reply->set_can_subscribe(true);
  reply->set_schema_id(layout->schemaId());
  return grpc::Status::OK;
}

grpc::Status PubSubService::GetSchema(grpc::ServerContext* context,
                                      const eventbus::v1::SchemaRequest* request,
                                      eventbus::v1::SchemaInfo* reply) {
  if (grpc::Status s = authenticate(*context); !s.ok()) return s;
  const CdcLayout* layout = hooks_.layoutForSchema(request->schema_id());
  if (!layout) return {grpc::StatusCode::NOT_FOUND, "no schema " + request->schema_id()};
  reply->set_schema_id(layout->schemaId());
  reply->set_schema_json(layout->schemaJson());
  return grpc::Status::OK;
}

grpc::Status PubSubService::startPosition(grpc::ServerContext& context,
                                          const eventbus::v1::FetchRequest& first,
                                          std::uint64_t& after) const {
  switch (first.replay_preset()) {
    case eventbus::v1::EARLIEST:
      after = log_.expiredUpTo();
      return grpc::Status::OK;
    case eventbus::v1::CUSTOM: {
      std::uint64_t seq = 0;
      if (!EventLog::decodeReplayId(first.replay_id(), seq) || seq > log_.latest() ||
          seq < log_.expiredUpTo()) {
        context.AddTrailingMetadata("error-code", kReplayIdCorrupted);
        return {grpc::StatusCode::INVALID_ARGUMENT,
                "The Replay ID validation failed: the replay id is unknown or no longer retained"};
      }
      after = seq;
      return grpc::Status::OK;
    }
    default:
      after = log_.latest();
      return grpc::Status::OK;
  }
}

grpc::Status PubSubService::Subscribe(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<eventbus::v1::FetchResponse, eventbus::v1::FetchRequest>* stream) {
  ++subscribeCalls_;
  if (grpc::Status s = authenticate(*context); !s.ok()) return s;
  eventbus::v1::FetchRequest first;
  if (!stream->Read(&first)) return grpc::Status::OK;
  if (!hooks_.layoutForTopic(first.topic_name())) {
    return {grpc::StatusCode::NOT_FOUND, "no topic " + first.topic_name()};
  }
  std::uint64_t after = 0;
  if (grpc::Status s = startPosition(*context, first, after); !s.ok()) return s;
  return this->stream(*context, *stream, first.topic_name(), after, first.num_requested());
}

grpc::Status PubSubService::stream(
    grpc::ServerContext& context,
    grpc::ServerReaderWriter<eventbus::v1::FetchResponse, eventbus::v1::FetchRequest>& stream,
    const std::string& topic, std::uint64_t after, int owed) {
  using Clock = std::chrono::steady_clock;
  const int generation = endGeneration_;
  const auto keepalive = std::chrono::milliseconds(options_.keepaliveMs);
  auto nextKeepalive = Clock::now() + keepalive;
  const std::string token = metadata(context, "accesstoken");
  while (!context.IsCancelled() && !shutdown_) {
    if (endGeneration_ != generation) {
      std::lock_guard<std::mutex> lock(endMutex_);
      return {static_cast<grpc::StatusCode>(endCode_), endMessage_};
    }
    if (!hooks_.validToken(token)) {
      return {grpc::StatusCode::UNAUTHENTICATED, "the session of accesstoken has expired"};
    }
    if (owed <= 0 && !options_.ignoreFlowControl) {
      // Nothing requested: wait for the client's next FetchRequest (a blocking read; server
      // shutdown cancels it).
      eventbus::v1::FetchRequest more;
      if (!stream.Read(&more)) return grpc::Status::OK;
      owed += more.num_requested();
      continue;
    }
    eventbus::v1::FetchResponse response;
    const int want = options_.ignoreFlowControl ? options_.maxEventsPerResponse
                                                : std::min(owed, options_.maxEventsPerResponse);
    if (want > 0) {
      for (auto& e : log_.read(topic, after, static_cast<std::size_t>(want))) {
        *response.add_events() = std::move(e);
      }
    }
    if (response.events_size() > 0) {
      const std::string& last = response.events(response.events_size() - 1).replay_id();
      (void)EventLog::decodeReplayId(last, after);  // ids in the log are always 8 bytes
      owed -= response.events_size();
      eventsDelivered_ += response.events_size();
    } else if (Clock::now() >= nextKeepalive) {
      ++keepalives_;
    } else {
      log_.waitFor(std::min(keepalive, std::chrono::milliseconds(100)));
      continue;
    }
    response.set_latest_replay_id(EventLog::encodeReplayId(std::max(after, log_.latest())));
    response.set_pending_num_requested(std::max(0, owed));
    if (!stream.Write(response)) return grpc::Status::OK;
    nextKeepalive = Clock::now() + keepalive;
  }
  return grpc::Status::OK;
}

void PubSubService::endStreams(int code, const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(endMutex_);
    endCode_ = code;
    endMessage_ = message;
    ++endGeneration_;
  }
  log_.notify();
}

void PubSubService::shutdown() {
  shutdown_ = true;
  log_.notify();
}

}  // namespace sfsync::sim
