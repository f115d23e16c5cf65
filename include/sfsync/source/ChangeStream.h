// ChangeStream: the streaming counterpart of Source (Source.h) for sources that push changes
// instead of being read page by page: Salesforce Change Data Capture through the Pub/Sub API
// (cdc::openPubSubStream, include/sfsync/cdc/PubSubStream.h). A subscribe call delivers the
// decoded events of a topic, batch by batch and in order, with the replay id that resumes after
// them; flow control keeps at most `batchSize` events requested but undelivered.
//
// Thread-safety: subscribe() is used by one thread at a time; cancel() may be called from any
// thread (it ends a subscribe in progress, which then returns OK).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sfsync/cdc/ChangeEvent.h"
#include "sfsync/core/Result.h"

namespace sfsync::source {

enum class ReplayStart { kLatest, kEarliest, kAfterReplayId };

struct StreamRequest {
  std::string topic;  // "/data/AccountChangeEvent"
  ReplayStart start = ReplayStart::kLatest;
  std::string replayId;  // kAfterReplayId: continue after this event
  int batchSize = 100;   // events requested at a time (num_requested), 1..1000
};

// What one server answer brought: its events (possibly none: a keepalive) and the newest replay id
// the server reports (latest_replay_id), which a subscriber that has applied everything may store.
struct ChangeBatch {
  std::vector<cdc::ChangeEvent> events;
  std::string latestReplayId;
};

using BatchHandler = std::function<Status(const ChangeBatch& batch)>;

class ChangeStream {
 public:
  virtual ~ChangeStream() = default;

  // Subscribes and hands every answer to onBatch until onBatch returns non-OK (returned as is),
  // cancel() is called (OK) or the stream ends. Errors: kUnauthenticated (credentials refused or
  // expired - refresh and subscribe again), kNotFound (no such topic), kInvalidArgument (the replay
  // id is unknown or no longer retained - start elsewhere), kUnavailable (connection lost, no
  // answer or keepalive within the idle deadline - retry), kDataError (an event that does not
  // decode).
  virtual Status subscribe(const StreamRequest& request, const BatchHandler& onBatch) = 0;
  virtual void cancel() = 0;
};

using ChangeStreamPtr = std::unique_ptr<ChangeStream>;

}  // namespace sfsync::source
