// PubSubService: the gRPC service behind PubSubSim (see PubSubSim.h for the protocol it speaks):
// authentication metadata, GetTopic, GetSchema and the flow-controlled Subscribe stream over an
// EventLog. Each Subscribe runs on one gRPC server thread, which reads the client's next
// FetchRequest when nothing requested is owed (so it can end a stream with an error status).
//
// Thread-safety: gRPC calls it from many threads; all state is atomic or under its mutex.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>

#include <grpcpp/grpcpp.h>

#include "pubsub_api.grpc.pb.h"
#include "pubsub_sim/CdcLayout.h"
#include "pubsub_sim/EventLog.h"
#include "pubsub_sim/PubSubSim.h"

namespace sfsync::sim {

class PubSubService final : public eventbus::v1::PubSub::Service {
 public:
  struct Hooks {
    // The layout of a topic / schema id, nullptr when unknown. Pointers stay valid.
    std::function<const CdcLayout*(const std::string& topic)> layoutForTopic;
    std::function<const CdcLayout*(const std::string& schemaId)> layoutForSchema;
    std::function<bool(const std::string& accessToken)> validToken;
    std::string orgId;
  };

  PubSubService(EventLog& log, Hooks hooks, PubSubSimOptions options);

  grpc::Status GetTopic(grpc::ServerContext* context, const eventbus::v1::TopicRequest* request,
                        eventbus::v1::TopicInfo* reply) override;
  grpc::Status GetSchema(grpc::ServerContext* context, const eventbus::v1::SchemaRequest* request,
                         eventbus::v1::SchemaInfo* reply) override;
  grpc::Status Subscribe(grpc::ServerContext* context,
                         grpc::ServerReaderWriter<eventbus::v1::FetchResponse,
                                                  eventbus::v1::FetchRequest>* stream) override;

  void endStreams(int code, const std::string& message);
  void shutdown();  // open streams end (CANCELLED) and new ones are refused

  std::int64_t subscribeCalls() const { return subscribeCalls_; }
  std::int64_t eventsDelivered() const { return eventsDelivered_; }
  std::int64_t keepalivesSent() const { return keepalives_; }

 private:
  grpc::Status authenticate(const grpc::ServerContext& context) const;
  // Where a subscription starts (the sequence number it continues after), or an error status.
  grpc::Status startPosition(grpc::ServerContext& context, const eventbus::v1::FetchRequest& first,
                             std::uint64_t& after) const;
  grpc::Status stream(
      grpc::ServerContext& context,
      grpc::ServerReaderWriter<eventbus::v1::FetchResponse, eventbus::v1::FetchRequest>& stream,
      const std::string& topic, std::uint64_t after, int owed);

  EventLog& log_;
  const Hooks hooks_;
  const PubSubSimOptions options_;
  std::atomic<bool> shutdown_{false};
  std::atomic<std::int64_t> subscribeCalls_{0};
  std::atomic<std::int64_t> eventsDelivered_{0};
  std::atomic<std::int64_t> keepalives_{0};
  std::mutex endMutex_;  // guards endGeneration_'s code and message
  std::atomic<int> endGeneration_{0};
  int endCode_ = 0;
  std::string endMessage_;
};

}  // namespace sfsync::sim
