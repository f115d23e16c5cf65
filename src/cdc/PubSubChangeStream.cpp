#include "cdc/PubSubChangeStream.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <thread>

namespace sfsync::cdc {

namespace {

long long steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool loopbackEndpoint(const std::string& endpoint) {
  const auto colon = endpoint.rfind(':');
  const std::string host = endpoint.substr(0, colon);
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace

Result<source::ChangeStreamPtr> openPubSubStream(PubSubOptions options) {
  if (options.insecure && !loopbackEndpoint(options.endpoint)) {
    return Status::InvalidArgument("Pub/Sub endpoint " + options.endpoint +
                                   ": an insecure (plaintext) channel is allowed only to loopback");
  }
  if (!options.auth) return Status::InvalidArgument("Pub/Sub stream: no credentials provider");
  if (options.endpoint.empty()) return Status::InvalidArgument("Pub/Sub stream: no endpoint");
  return source::ChangeStreamPtr(new PubSubChangeStream(std::move(options)));
}

PubSubChangeStream::PubSubChangeStream(PubSubOptions options) : options_(std::move(options)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options_.maxMessageBytes);
  args.SetMaxSendMessageSize(1024 * 1024);
  auto credentials = options_.insecure ? grpc::InsecureChannelCredentials()
                                       : grpc::SslCredentials(grpc::SslCredentialsOptions());
  channel_ = grpc::CreateCustomChannel(options_.endpoint, credentials, args);
  stub_ = eventbus::v1::PubSub::NewStub(channel_);
}

Status PubSubChangeStream::fromGrpc(const grpc::Status& status, const char* call) {
  const std::string text = std::string("Pub/Sub API ") + call + ": " + status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return Status::OK();
    case grpc::StatusCode::UNAUTHENTICATED:
      return Status::Unauthenticated(text);
    case grpc::StatusCode::NOT_FOUND:
      return Status::NotFound(text);
    case grpc::StatusCode::INVALID_ARGUMENT:
      return Status::InvalidArgument(text);
    case grpc::StatusCode::PERMISSION_DENIED:
      return Status::PermissionDenied(text);
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return Status::RemoteError(text);
    default:  // UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, INTERNAL, RESOURCE_EXHAUSTED, ...
      return Status::Unavailable(text);
  }
}

Status PubSubChangeStream::checkMetadata(const PubSubAuth& auth) {
  // gRPC aborts the process on a metadata value with another byte than printable ASCII.
  const auto printable = [](const std::string& text) {
    for (const char c : text) {
      if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
  };
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"access token", &auth.accessToken},
        {"instance URL", &auth.instanceUrl},
        {"org Id", &auth.tenantId}}) {
    if (!printable(*value)) {
      return Status::DataError(std::string("the ") + name +
                               " from the token response has bytes a Pub/Sub call cannot carry");
    }
  }
  return Status::OK();
}

void PubSubChangeStream::addMetadata(grpc::ClientContext& context, const PubSubAuth& auth) const {
  context.AddMetadata("accesstoken", auth.accessToken);
  context.AddMetadata("instanceurl", auth.instanceUrl);
  context.AddMetadata("tenantid", auth.tenantId);
}

Result<std::string> PubSubChangeStream::topicSchemaId(const std::string& topic,
                                                      const PubSubAuth& auth) {
  grpc::ClientContext context;
  addMetadata(context, auth);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(options_.rpcTimeoutMs));
  eventbus::v1::TopicRequest request;
  request.set_topic_name(topic);
  eventbus::v1::TopicInfo info;
  const grpc::Status s = stub_->GetTopic(&context, request, &info);
  if (!s.ok()) return fromGrpc(s, "GetTopic");
  if (!info.can_subscribe())
    return Status::PermissionDenied("Pub/Sub topic " + topic + ": cannot subscribe");
  return info.schema_id();
}

Result<const AvroChangeDecoder*> PubSubChangeStream::decoder(const std::string& schemaId,
                                                             const PubSubAuth& auth) {
  const auto it = decoders_.find(schemaId);
  if (it != decoders_.end()) return static_cast<const AvroChangeDecoder*>(it->second.get());
  grpc::ClientContext context;
  addMetadata(context, auth);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(options_.rpcTimeoutMs));
  eventbus::v1::SchemaRequest request;
  request.set_schema_id(schemaId);
  eventbus::v1::SchemaInfo info;
  const grpc::Status s = stub_->GetSchema(&context, request, &info);
  if (!s.ok()) return fromGrpc(s, "GetSchema");
  auto created = AvroChangeDecoder::create(info.schema_json());
  if (!created.ok())
    return Status::DataError("schema " + schemaId + ": " + created.status().message());
  const AvroChangeDecoder* raw = created.value().get();
  decoders_[schemaId] = std::move(created.value());
  return raw;
}

Result<source::ChangeBatch> PubSubChangeStream::toBatch(const eventbus::v1::FetchResponse& response,
                                                        const PubSubAuth& auth) {
  source::ChangeBatch batch;
  batch.latestReplayId = response.latest_replay_id();
  batch.events.reserve(static_cast<std::size_t>(response.events_size()));
  for (const auto& consumer : response.events()) {
    const auto& ev = consumer.event();
    Result<const AvroChangeDecoder*> d = decoder(ev.schema_id(), auth);
    if (!d.ok()) return d.status();
    Result<ChangeEvent> decoded = d.value()->decode(ev.payload());
    if (!decoded.ok()) {
      return Status::DataError("event " + ev.id() + ": " + decoded.status().message());
    }
    ChangeEvent event = std::move(decoded.value());
    event.eventId = ev.id();
    event.schemaId = ev.schema_id();
    event.replayId = consumer.replay_id();
    batch.events.push_back(std::move(event));
  }
  return batch;
}

Status PubSubChangeStream::readLoop(
    grpc::ClientContext& context,
    grpc::ClientReaderWriter<eventbus::v1::FetchRequest, eventbus::v1::FetchResponse>& stream,
    const source::StreamRequest& request, const source::BatchHandler& onBatch,
    const PubSubAuth& auth, std::atomic<long long>& lastAnswerMs, std::int64_t firstRequested) {
  // A reader thread queues the answers; this thread hands everything queued to onBatch as ONE
  // batch, so a slow consumer gets bigger micro-batches instead of a growing backlog. At most
  // batchSize events are requested and not yet handed over (flow control bounds the queue: a
  // server sending more ends the stream), and keepalives queued after a keepalive replace it.
  std::mutex mutex;
  std::condition_variable queued;
  std::deque<eventbus::v1::FetchResponse> answers;
  bool ended = false;
  std::atomic<std::int64_t> owed{firstRequested};
  bool overrun = false;
  std::thread reader([&] {
    eventbus::v1::FetchResponse response;
    while (stream.Read(&response)) {
      lastAnswerMs = steadyMs();
      const int events = response.events_size();
      std::lock_guard<std::mutex> lock(mutex);
      if (owed.fetch_sub(events) < events) {
        overrun = true;
        break;
      }
      if (events == 0 && !answers.empty() && answers.back().events_size() == 0) {
        answers.back() = std::move(response);  // the newer keepalive's replay id is enough
      } else {
        answers.push_back(std::move(response));
      }
      queued.notify_one();
    }
    std::lock_guard<std::mutex> lock(mutex);
    ended = true;
    queued.notify_one();
  });
  Status result = Status::OK();
  while (result.ok()) {
    std::deque<eventbus::v1::FetchResponse> taken;
    {
      std::unique_lock<std::mutex> lock(mutex);
      queued.wait(lock, [&] { return ended || !answers.empty(); });
      if (answers.empty()) break;  // ended
      taken.swap(answers);
    }
    result = handOver(taken, stream, request, onBatch, auth, owed);
  }
  if (result.ok() && overrun) {
    result = Status::RemoteError(
        "Pub/Sub API Subscribe: the server sent more events than were requested (flow control); "
        "stopping, the queue would have no bound");
  }
  if (!result.ok()) context.TryCancel();  // unblocks the reader's Read
  reader.join();
  return result;
}

Status PubSubChangeStream::handOver(
    std::deque<eventbus::v1::FetchResponse>& taken,
    grpc::ClientReaderWriter<eventbus::v1::FetchRequest, eventbus::v1::FetchResponse>& stream,
    const source::StreamRequest& request, const source::BatchHandler& onBatch,
    const PubSubAuth& auth, std::atomic<std::int64_t>& owed) {
  source::ChangeBatch batch;
  for (const auto& response : taken) {
    Result<source::ChangeBatch> part = toBatch(response, auth);
    if (!part.ok()) return part.status();
    for (auto& e : part->events) batch.events.push_back(std::move(e));
    batch.latestReplayId = part->latestReplayId;
  }
  Status handled = onBatch(batch);
  if (!handled.ok() || batch.events.empty()) return handled;
  // Flow control: ask for as many as were handed over, so batchSize stay requested.
  eventbus::v1::FetchRequest more;
  more.set_topic_name(request.topic);
  more.set_num_requested(static_cast<int>(batch.events.size()));
  owed += more.num_requested();  // before the server can answer it
  stream.Write(more);            // a failed write means the stream ended: the reader sees it
  return Status::OK();
}

Status PubSubChangeStream::subscribe(const source::StreamRequest& request,
                                     const source::BatchHandler& onBatch) {
  Result<PubSubAuth> auth = options_.auth();
  if (!auth.ok()) return auth.status();
  Status carried = checkMetadata(auth.value());
  if (!carried.ok()) return carried;
  Result<std::string> schemaId = topicSchemaId(request.topic, auth.value());
  if (!schemaId.ok()) return schemaId.status();
  grpc::ClientContext context;
  addMetadata(context, auth.value());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cancelled_) return Status::OK();
    active_ = &context;
  }
  auto stream = stub_->Subscribe(&context);
  eventbus::v1::FetchRequest first;
  first.set_topic_name(request.topic);
  first.set_replay_preset(request.start == source::ReplayStart::kEarliest ? eventbus::v1::EARLIEST
                          : request.start == source::ReplayStart::kAfterReplayId
                              ? eventbus::v1::CUSTOM
                              : eventbus::v1::LATEST);
  if (request.start == source::ReplayStart::kAfterReplayId) first.set_replay_id(request.replayId);
  first.set_num_requested(std::max(1, std::min(request.batchSize, 1000)));  // readLoop counts it
  // Idle deadline: a watchdog cancels the call when no answer (not even a keepalive) arrives.
  std::atomic<long long> lastAnswerMs{steadyMs()};
  std::atomic<bool> idleExpired{false};
  std::mutex doneMutex;
  std::condition_variable doneCv;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(doneMutex);
    while (!done) {
      doneCv.wait_for(lock, std::chrono::milliseconds(200));
      if (!done && steadyMs() - lastAnswerMs > options_.idleTimeoutMs) {
        idleExpired = true;
        context.TryCancel();
        return;
      }
    }
  });
  Status handled = stream->Write(first) ? readLoop(context, *stream, request, onBatch, auth.value(),
                                                   lastAnswerMs, first.num_requested())
                                        : Status::OK();
  if (!handled.ok()) context.TryCancel();
  const grpc::Status finished = stream->Finish();
  {
    std::lock_guard<std::mutex> lock(doneMutex);
    done = true;
  }
  doneCv.notify_all();
  watchdog.join();
  bool cancelled;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    active_ = nullptr;
    cancelled = cancelled_;
  }
  if (!handled.ok()) return handled;
  if (cancelled) return Status::OK();
  if (idleExpired) {
    return Status::Unavailable("Pub/Sub API Subscribe: no answer or keepalive within " +
                               std::to_string(options_.idleTimeoutMs) + " ms");
  }
  if (finished.ok())
    return Status::Unavailable("Pub/Sub API Subscribe: the server ended the stream");
  return fromGrpc(finished, "Subscribe");
}

void PubSubChangeStream::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  if (active_) active_->TryCancel();
}

}  // namespace sfsync::cdc
