// EventsHandler: the admin server's live events.
//   POST /api/events/ticket  (bearer token)  -> {"ticket": "...", "expiresInSeconds": 30}
//   GET  /api/events[?ticket=...]            -> text/event-stream (bearer token or a ticket)
// The stream relays the daemon's EventBus as Server-Sent Events ("id:", "event:", "data:" lines):
// first a "hello" event, then every published event; a ": keepalive" comment after
// `eventKeepAlive` without events; an "event: dropped" before closing when the client fell more
// than the bus's queue behind; "event: expired" when the stream reached its maximum life (the
// client reconnects with a new ticket). Each write must complete within the request timeout (the
// connection watchdog shuts a stalled socket), so a client that stops reading frees its worker.
// Streams are capped (EventStreams): beyond the cap the answer is 503 with Retry-After.
//
// Thread-safety: one handler object per request, used on one HTTP worker thread.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <ostream>
#include <string>

#include "admin/AdminHandler.h"
#include "admin/RequestTarget.h"

namespace sfsync::admin {

class EventsHandler final : public AdminHandler {
 public:
  EventsHandler(const AdminContext& context, RequestTarget target, std::string actor)
      : AdminHandler(context), target_(std::move(target)), actor_(std::move(actor)) {}

 protected:
  void serve(Poco::Net::HTTPServerRequest& request,
             Poco::Net::HTTPServerResponse& response) override;

 private:
  void issueTicket(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  void stream(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  // Relays events until the client goes, the stream expires or the server stops.
  void relay(const EventSubscriptionPtr& subscription, std::ostream& out);
  // Writes `text` and flushes under the write deadline; false when the client is gone.
  bool write(std::ostream& out, const std::string& text);

  RequestTarget target_;
  std::string actor_;
};

}  // namespace sfsync::admin
