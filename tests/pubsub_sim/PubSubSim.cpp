#include "pubsub_sim/PubSubSim.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>

#include <grpcpp/grpcpp.h>

#include "pubsub_sim/CdcEncoder.h"
#include "pubsub_sim/CdcLayout.h"
#include "pubsub_sim/EventLog.h"
#include "pubsub_sim/PubSubService.h"

namespace sfsync::sim {

namespace {

struct ObjectCdc {
  explicit ObjectCdc(std::shared_ptr<const ObjectSchema> s)
      : schema(std::move(s)), layout(CdcLayout::build(*schema)), encoder(layout) {}
  std::shared_ptr<const ObjectSchema> schema;
  CdcLayout layout;
  CdcEncoder encoder;
};

// "/data/AccountChangeEvent" -> "Account", "/data/Tier__ChangeEvent" -> "Tier__c", else "".
std::string objectOfTopic(const std::string& topic) {
  const std::string prefix = "/data/", suffix = "ChangeEvent";
  if (topic.size() <= prefix.size() + suffix.size() ||
      topic.compare(0, prefix.size(), prefix) != 0 ||
      topic.compare(topic.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return "";
  }
  std::string name = topic.substr(prefix.size(), topic.size() - prefix.size() - suffix.size());
  if (name.size() > 2 && name.compare(name.size() - 2, 2, "__") == 0) name += "c";
  return name;
}

}  // namespace

struct PubSubSim::Impl {
  Impl(SimServer& o, PubSubSimOptions opts)
      : org(o),
        options(opts),
        service(log,
                PubSubService::Hooks{
                    [this](const std::string& t) { return layoutForTopic(t); },
                    [this](const std::string& s) { return layoutForSchema(s); },
                    [this](const std::string& a) { return org.validAccessToken(a); }, o.orgId()},
                opts) {}

  ObjectCdc* objectLocked(const std::string& object);
  const CdcLayout* layoutForTopic(const std::string& topic);
  const CdcLayout* layoutForSchema(const std::string& schemaId);
  void onChanges(const std::vector<RecordChange>& changes);
  // Encodes and appends one transaction's changes (merging equal ones). Caller holds `mutex`.
  void emitLocked(std::vector<CdcChange>& changes);
  void appendLocked(ObjectCdc& cdc, const CdcChange& change);

  SimServer& org;
  const PubSubSimOptions options;
  EventLog log;
  PubSubService service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;

  std::mutex mutex;                                           // guards everything below
  std::map<std::string, std::unique_ptr<ObjectCdc>> objects;  // by lower-case object name
  bool inTransaction = false;
  std::vector<CdcChange> pending;
  std::int64_t commitNumber = 0;
  std::int64_t transactions = 0;
  std::int64_t eventIds = 0;
};

ObjectCdc* PubSubSim::Impl::objectLocked(const std::string& object) {
  const std::string key = lowerAscii(object);
  auto it = objects.find(key);
  if (it != objects.end()) return it->second.get();
  std::shared_ptr<const ObjectSchema> schema = org.objectSchema(object);
  if (!schema) return nullptr;
  ObjectCdc* made =
      objects.emplace(key, std::make_unique<ObjectCdc>(std::move(schema))).first->second.get();
  made->encoder.setDiffFields(options.diffFields);
  return made;
}

const CdcLayout* PubSubSim::Impl::layoutForTopic(const std::string& topic) {
  const std::string object = objectOfTopic(topic);
  if (object.empty()) return nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  ObjectCdc* cdc = objectLocked(object);
  return cdc && cdc->layout.topic() == topic ? &cdc->layout : nullptr;
}

const CdcLayout* PubSubSim::Impl::layoutForSchema(const std::string& schemaId) {
  std::lock_guard<std::mutex> lock(mutex);
  for (const auto& [name, cdc] : objects) {
    if (cdc->layout.schemaId() == schemaId) return &cdc->layout;
  }
  return nullptr;
}

void PubSubSim::Impl::onChanges(const std::vector<RecordChange>& changes) {
  std::lock_guard<std::mutex> lock(mutex);
  std::vector<CdcChange> classified;
  for (const RecordChange& change : changes) {
    ObjectCdc* cdc = objectLocked(change.schema->name());
    CdcChange c;
    if (cdc && cdc->encoder.classify(change, c)) classified.push_back(std::move(c));
  }
  if (inTransaction) {
    for (auto& c : classified) pending.push_back(std::move(c));
  } else {
    emitLocked(classified);
  }
}

void PubSubSim::Impl::emitLocked(std::vector<CdcChange>& changes) {
  const std::string txKey = "sim-tx-" + std::to_string(++transactions);
  std::vector<CdcChange> merged;
  std::vector<std::string> keys;  // payload of each merged change without its record ids
  for (CdcChange& c : changes) {
    ObjectCdc* cdc = objectLocked(c.header.entityName);
    CdcChange probe = c;
    probe.header.recordIds.clear();
    probe.header.commitTimestamp = 0;
    // One transaction commits at one time: the stamps of its records do not tell them apart.
    const ObjectSchema& schema = *cdc->schema;
    const int stamps[] = {schema.fieldIndex("LastModifiedDate"),
                          schema.fieldIndex("SystemModstamp")};
    probe.payloadFields.erase(
        std::remove_if(probe.payloadFields.begin(), probe.payloadFields.end(),
                       [&](int f) { return f == stamps[0] || f == stamps[1]; }),
        probe.payloadFields.end());
    const std::string key = c.header.entityName + "\n" + cdc->encoder.encode(probe);
    std::size_t m = 0;
    while (m < keys.size() && keys[m] != key) ++m;
    if (m < keys.size()) {
      merged[m].header.recordIds.push_back(c.header.recordIds.front());
      continue;
    }
    keys.push_back(key);
    merged.push_back(std::move(c));
  }
  int sequence = 0;
  for (CdcChange& c : merged) {
    c.header.transactionKey = txKey;
    c.header.sequenceNumber = ++sequence;
    c.header.commitNumber = ++commitNumber;
    appendLocked(*objectLocked(c.header.entityName), c);
  }
}

void PubSubSim::Impl::appendLocked(ObjectCdc& cdc, const CdcChange& change) {
  eventbus::v1::ProducerEvent event;
  event.set_id("sim-event-" + std::to_string(++eventIds));
  event.set_schema_id(cdc.layout.schemaId());
  event.set_payload(cdc.encoder.encode(change));
  log.append(cdc.layout.topic(), std::move(event));
}

PubSubSim::PubSubSim(SimServer& org, PubSubSimOptions options)
    : impl_(std::make_unique<Impl>(org, options)) {
  Impl* impl = impl_.get();
  org.setChangeListener(
      [impl](const std::vector<RecordChange>& changes) { impl->onChanges(changes); });
}

PubSubSim::~PubSubSim() {
  impl_->org.setChangeListener({});
  stop();
}

void PubSubSim::start() {
  if (impl_->server) return;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &impl_->port);
  builder.RegisterService(&impl_->service);
  impl_->server = builder.BuildAndStart();
  if (!impl_->server || impl_->port == 0) throw std::runtime_error("PubSubSim: cannot listen");
}

void PubSubSim::stop() {
  if (!impl_->server) return;
  impl_->service.shutdown();
  impl_->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  impl_->server->Wait();
  impl_->server.reset();
}

std::uint16_t PubSubSim::port() const { return static_cast<std::uint16_t>(impl_->port); }
std::string PubSubSim::target() const { return "127.0.0.1:" + std::to_string(impl_->port); }

void PubSubSim::transaction(const std::function<void()>& writes) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->inTransaction = true;
  }
  writes();
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->inTransaction = false;
  impl_->emitLocked(impl_->pending);
  impl_->pending.clear();
}

void PubSubSim::publishGap(const std::string& object, const std::vector<std::string>& ids,
                           const std::string& changeType) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  ObjectCdc* cdc = impl_->objectLocked(object);
  if (!cdc) throw std::invalid_argument("unknown sObject " + object);
  CdcChange change;
  change.header.entityName = cdc->schema->name();
  change.header.recordIds = ids;
  change.header.changeType = changeType;
  change.header.commitTimestamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count();
  std::vector<CdcChange> one{std::move(change)};
  impl_->emitLocked(one);
}

void PubSubSim::publishOverflow(const std::string& object) {
  publishGap(object, {}, "GAP_OVERFLOW");
}

void PubSubSim::expireRetainedEvents() { impl_->log.expireAll(); }

void PubSubSim::endStreams(int grpcStatusCode, const std::string& message) {
  impl_->service.endStreams(grpcStatusCode, message);
}

std::int64_t PubSubSim::subscribeCalls() const { return impl_->service.subscribeCalls(); }
std::int64_t PubSubSim::eventsDelivered() const { return impl_->service.eventsDelivered(); }
std::int64_t PubSubSim::keepalivesSent() const { return impl_->service.keepalivesSent(); }

std::size_t PubSubSim::retainedEvents(const std::string& object) const {
  return impl_->log.retained(CdcLayout::topicFor(object));
}

std::string PubSubSim::latestReplayId() const {
  const std::uint64_t latest = impl_->log.latest();
  return latest == 0 ? "" : EventLog::encodeReplayId(latest);
}

}  // namespace sfsync::sim
