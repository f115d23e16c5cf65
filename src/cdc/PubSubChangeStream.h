// PubSubChangeStream: the gRPC implementation of source::ChangeStream over Salesforce's Pub/Sub API
// (see include/sfsync/cdc/PubSubStream.h for the contract and openPubSubStream for construction).
// The only translation unit of the client that includes the generated gRPC code.
//
// Thread-safety: subscribe() from one thread at a time; cancel() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/grpcpp.h>

#include "cdc/AvroChangeDecoder.h"
#include "pubsub_api.grpc.pb.h"
#include "sfsync/cdc/PubSubStream.h"

namespace sfsync::cdc {

class PubSubChangeStream final : public source::ChangeStream {
 public:
  explicit PubSubChangeStream(PubSubOptions options);

  Status subscribe(const source::StreamRequest& request,
                   const source::BatchHandler& onBatch) override;
  void cancel() override;

 private:
  // kDataError unless every value addMetadata() sends is printable ASCII.
  static Status checkMetadata(const PubSubAuth& auth);
  void addMetadata(grpc::ClientContext& context, const PubSubAuth& auth) const;
  Result<std::string> topicSchemaId(const std::string& topic, const PubSubAuth& auth);
  // The decoder of a schema id, fetched with GetSchema on first use.
  Result<const AvroChangeDecoder*> decoder(const std::string& schemaId, const PubSubAuth& auth);
  Result<source::ChangeBatch> toBatch(const eventbus::v1::FetchResponse& response,
                                      const PubSubAuth& auth);
  // Reads answers (on a reader thread) until the stream ends, onBatch refuses, or cancel; hands
  // everything queued to onBatch as one batch. `owed`: the events requested and not received yet
  // (the first FetchRequest's). Returns the handler's error, or kRemoteError when the server sends
  // more events than requested (the queue would have no bound).
  Status readLoop(
      grpc::ClientContext& context,
      grpc::ClientReaderWriter<eventbus::v1::FetchRequest, eventbus::v1::FetchResponse>& stream,
      const source::StreamRequest& request, const source::BatchHandler& onBatch,
      const PubSubAuth& auth, std::atomic<long long>& lastAnswerMs, std::int64_t owed);
  // Decodes the queued answers into one batch, hands it over and asks for as many events again
  // (adding them to `owed` first).
  Status handOver(
      std::deque<eventbus::v1::FetchResponse>& taken,
      grpc::ClientReaderWriter<eventbus::v1::FetchRequest, eventbus::v1::FetchResponse>& stream,
      const source::StreamRequest& request, const source::BatchHandler& onBatch,
      const PubSubAuth& auth, std::atomic<std::int64_t>& owed);
  static Status fromGrpc(const grpc::Status& status, const char* call);

  const PubSubOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<eventbus::v1::PubSub::Stub> stub_;
  std::map<std::string, std::unique_ptr<AvroChangeDecoder>> decoders_;  // by schema id

  std::mutex mutex_;  // guards active_, cancelled_
  grpc::ClientContext* active_ = nullptr;
  bool cancelled_ = false;
};

}  // namespace sfsync::cdc
