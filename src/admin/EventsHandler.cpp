#include "admin/EventsHandler.h"

#include <chrono>

#include "admin/EventStreams.h"
#include "admin/EventTickets.h"
#include "admin/GuardedConnection.h"
#include "admin/HttpResponses.h"
#include "admin/JsonWriter.h"

namespace sfsync::admin {

namespace {

using Poco::Net::HTTPResponse;

std::string frame(const BusEvent& event) {
  return "id: " + std::to_string(event.id) + "\nevent: " + event.name + "\ndata: " + event.json +
         "\n\n";
}

}  // namespace

void EventsHandler::serve(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  const bool ticket = target_.segments().size() == 3 && target_.segments()[2] == "ticket";
  if (ticket) return issueTicket(request, response);
  if (target_.segments().size() != 2) {
    return sendError(response, HTTPResponse::HTTP_NOT_FOUND,
                     "no such resource; see /api/events and /api/events/ticket");
  }
  stream(request, response);
}

void EventsHandler::issueTicket(Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"POST"})) return;
  if (auto e = target_.checkParameters({})) return sendParameterError(response, *e);
  if (context().events == nullptr) {
    return sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                     "this server publishes no events");
  }
  JsonWriter json;
  json.beginObject()
      .stringField("ticket", context().tickets->issue(actor_))
      .integerField("expiresInSeconds", context().tickets->ttl().count())
      .endObject();
  sendJson(response, HTTPResponse::HTTP_OK, json.str());
}

void EventsHandler::stream(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  if (!acceptMethods(request, response, {"GET"})) return;
  if (auto e = target_.checkParameters({"ticket"})) return sendParameterError(response, *e);
  if (context().events == nullptr) {
    return sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                     "this server publishes no events");
  }
  Result<EventSubscriptionPtr> subscription = context().streams->open(*context().events);
  if (!subscription.ok()) {
    response.set("Retry-After", "5");
    return sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                     subscription.status().message());
  }
  addApiHeaders(response);
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType("text/event-stream; charset=utf-8");
  response.set("X-Accel-Buffering", "no");  // reverse proxies: do not buffer the stream
  response.setKeepAlive(false);             // the stream ends with the connection
  response.setChunkedTransferEncoding(false);
  if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD) {
    GuardedConnection::send(response, "");
    context().streams->release(*subscription);
    return;
  }
  GuardedConnection::writeStarted(context().eventWriteTimeout);  // the head; relay() the rest
  std::ostream& out = response.send();
  relay(*subscription, out);
  context().streams->release(*subscription);
}

void EventsHandler::relay(const EventSubscriptionPtr& subscription, std::ostream& out) {
  const AdminContext& c = context();
  JsonWriter hello;
  hello.beginObject()
      .integerField("keepAliveSeconds", c.eventKeepAlive.count())
      .integerField("maxStreamSeconds", c.eventStreamMax.count())
      .endObject();
  if (!write(out, "retry: 3000\nevent: hello\ndata: " + hello.str() + "\n\n")) return;
  const auto expires = std::chrono::steady_clock::now() + c.eventStreamMax;
  BusEvent event;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        expires - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      write(out, "event: expired\ndata: {}\n\n");  // the client reconnects
      return;
    }
    const auto wait = std::min<std::chrono::milliseconds>(left, c.eventKeepAlive);
    switch (subscription->next(wait, event)) {
      case EventSubscription::Wait::kEvent:
        if (!write(out, frame(event))) return;
        break;
      case EventSubscription::Wait::kTimeout:
        if (!write(out, ": keepalive\n\n")) return;
        break;
      case EventSubscription::Wait::kDropped:
        write(out, "event: dropped\ndata: {\"reason\":\"the client fell too far behind\"}\n\n");
        return;
      case EventSubscription::Wait::kClosed:
        return;
    }
  }
}

bool EventsHandler::write(std::ostream& out, const std::string& text) {
  GuardedConnection::writeStarted(context().eventWriteTimeout);
  out << text;
  out.flush();
  GuardedConnection::writeDone();
  return static_cast<bool>(out);
}

}  // namespace sfsync::admin
