// PubSubStream: the ChangeStream of Salesforce's Pub/Sub API (gRPC over HTTP/2): GetTopic for the
// topic's schema id, GetSchema (cached per schema id for the stream's life), Subscribe with flow
// control, and the Avro decoding of every event into cdc::ChangeEvent. Every call carries the
// metadata Salesforce requires: accesstoken, instanceurl, tenantid (the org Id).
//
// TLS (the system's roots) unless `insecure`, which is accepted only for a loopback endpoint (the
// simulator): openPubSubStream refuses anything else. Deadlines: unary calls rpcTimeoutMs; a
// subscription that gets no answer (not even a keepalive) for idleTimeoutMs is ended with
// kUnavailable. Answers larger than maxMessageBytes are refused by gRPC.
//
// Thread-safety: see ChangeStream.
#pragma once

#include <functional>
#include <string>

#include "sfsync/core/Result.h"
#include "sfsync/source/ChangeStream.h"

namespace sfsync::cdc {

struct PubSubAuth {
  std::string accessToken;
  std::string instanceUrl;
  std::string tenantId;  // the org Id
};

struct PubSubOptions {
  std::string endpoint = "api.pubsub.salesforce.com:7443";  // host:port
  bool insecure = false;                                    // loopback endpoints only
  int rpcTimeoutMs = 30000;
  int idleTimeoutMs = 300000;  // Salesforce sends a keepalive at least every 270 s
  int maxMessageBytes = 16 * 1024 * 1024;
  // The current credentials; called before every subscribe (so a refreshed token is used).
  std::function<Result<PubSubAuth>()> auth;
};

// kInvalidArgument when insecure is asked for a non-loopback endpoint or auth is missing.
Result<source::ChangeStreamPtr> openPubSubStream(PubSubOptions options);

}  // namespace sfsync::cdc
