// PubSubSim: the simulator's Salesforce Pub/Sub API (gRPC, loopback, insecure) over a SimServer's
// org: one Change Data Capture topic per object (/data/<Object>ChangeEvent, custom objects
// /data/<Name>__ChangeEvent), Avro-encoded events with Salesforce's ChangeEventHeader and field
// bitmaps (CdcLayout, CdcEncoder), replay ids, retention, GAP and overflow events on demand. Every
// record write through the SimServer (REST writes and its data methods) publishes an event.
//
//   GetTopic(topic)       TopicInfo {topic_name, tenant_guid (org Id), can_subscribe, schema_id}
//   GetSchema(schema_id)  SchemaInfo {schema_json, schema_id}
//   Subscribe             bidi stream: the first FetchRequest names topic, replay_preset (LATEST,
//                         EARLIEST, CUSTOM + replay_id) and num_requested; later ones add to
//                         num_requested. Events are sent only while requested ones are owed; an
//                         empty FetchResponse (latest_replay_id, pending_num_requested) is a
//                         keepalive, sent every keepaliveMs while requested events are owed
//                         and none are available. With nothing owed the server waits for the
//                         next FetchRequest.
// Every call needs the metadata accesstoken (a live session of the SimServer), instanceurl and
// tenantid (the org Id): else UNAUTHENTICATED (also mid-stream, once the session is revoked).
// Unknown topic: NOT_FOUND. A CUSTOM replay id that is malformed or no longer retained:
// INVALID_ARGUMENT with trailer error-code sfdc.platform.eventbus.grpc.subscription.fetch.replayid.
// corrupted (Salesforce's answer).
//
// Thread-safety: all public methods may be called from any thread while the server runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "salesforce_sim/SimServer.h"

namespace sfsync::sim {

struct PubSubSimOptions {
  int keepaliveMs = 1000;          // an empty FetchResponse this often while idle
  int maxEventsPerResponse = 100;  // events in one FetchResponse at most
  // Text fields whose UPDATE events carry a diff (as Salesforce sends large text areas): the field
  // is named in the header's diffFields and its payload value is a diff text, not the new value.
  std::vector<std::string> diffFields;
  // A broken server: sends what the log holds (maxEventsPerResponse at a time) whether requested or
  // not.
  bool ignoreFlowControl = false;
};

class PubSubSim {
 public:
  // Listens to `org`'s record writes from construction on; `org` must outlive this.
  explicit PubSubSim(SimServer& org, PubSubSimOptions options = {});
  ~PubSubSim();  // stops the server
  PubSubSim(const PubSubSim&) = delete;
  PubSubSim& operator=(const PubSubSim&) = delete;

  void start();  // 127.0.0.1, port 0
  void stop();
  std::uint16_t port() const;
  std::string target() const;  // "127.0.0.1:PORT" (the client's endpoint)

  // The record writes `writes` makes are one transaction: one transactionKey, sequence
  // numbers 1..n, and changes with the same change type and payload are merged into one event with
  // several recordIds (as Salesforce does).
  void transaction(const std::function<void()>& writes);
  // Publishes a gap event (GAP_CREATE, GAP_UPDATE, GAP_DELETE, GAP_UNDELETE) for these records:
  // header only, no field values.
  void publishGap(const std::string& object, const std::vector<std::string>& ids,
                  const std::string& changeType = "GAP_UPDATE");
  // Publishes a GAP_OVERFLOW event (no record ids: too many changes in one transaction).
  void publishOverflow(const std::string& object);
  // Everything published so far leaves the retention window (as after 72 hours): a CUSTOM
  // subscription at one of those replay ids is refused.
  void expireRetainedEvents();
  // Every open Subscribe stream ends with this gRPC status code (e.g. 14 UNAVAILABLE for a dropped
  // connection, 16 UNAUTHENTICATED for an expired session).
  void endStreams(int grpcStatusCode, const std::string& message);

  // ---- observation ----
  std::int64_t subscribeCalls() const;
  std::int64_t eventsDelivered() const;
  std::int64_t keepalivesSent() const;
  std::size_t retainedEvents(const std::string& object) const;
  // The replay id (8 bytes) of the newest event published on any topic, "" before the first.
  std::string latestReplayId() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sfsync::sim
