// CdcEncoder: turns simulated record changes into Change Data Capture events of one object:
// classifies a RecordChange (CREATE, UPDATE, DELETE, UNDELETE), works out the changed and nulled
// fields with Salesforce's bitmaps over the CdcLayout's field order (hex, bit i = field i, compound
// fields also as "i-0x.." entries over their parts) and writes the binary Avro payload with avro-c.
// An UPDATE carries only the changed fields' new values (unchanged fields are null, nulled ones are
// null AND listed in nulledFields); CREATE and UNDELETE carry every non-null field; DELETE only the
// header. Events with the same payload in one transaction can be merged (several recordIds).
//
// Thread-safety: not thread-safe (avro-c values); the Pub/Sub simulator uses one under its lock.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <avro.h>

#include "pubsub_sim/CdcLayout.h"
#include "salesforce_sim/RecordChange.h"

namespace sfsync::sim {

// The ChangeEventHeader of one event.
struct CdcHeader {
  std::string entityName;
  std::vector<std::string> recordIds;
  std::string changeType;  // CREATE, UPDATE, DELETE, UNDELETE, GAP_*, GAP_OVERFLOW
  std::string changeOrigin = "com/salesforce/api/rest/62.0";
  std::string transactionKey;
  int sequenceNumber = 1;
  std::int64_t commitTimestamp = 0;
  std::int64_t commitNumber = 0;
  std::string commitUser;
  std::vector<std::string> nulledFields;
  std::vector<std::string> diffFields;
  std::vector<std::string> changedFields;
};

// One change ready to encode: its header and the fields (ObjectSchema indexes) whose values of
// `row` go into the payload.
struct CdcChange {
  CdcHeader header;
  RowPtr row;
  std::vector<int> payloadFields;
  std::vector<int> diffFields;  // of payloadFields: encoded as a diff text (header diffFields)
};

class CdcEncoder {
 public:
  // Throws std::runtime_error when avro-c refuses the layout's schema.
  explicit CdcEncoder(const CdcLayout& layout);
  ~CdcEncoder();
  CdcEncoder(const CdcEncoder&) = delete;
  CdcEncoder& operator=(const CdcEncoder&) = delete;

  // The change a RecordChange is (header without transaction fields filled), or false when it
  // changed nothing an event would show.
  bool classify(const RecordChange& change, CdcChange& out) const;
  // Fields (by name) whose UPDATEs are sent as diffs (PubSubSimOptions::diffFields).
  void setDiffFields(std::vector<std::string> names) { diffNames_ = std::move(names); }
  // The diff text an UPDATE of a diff field carries instead of the value.
  static std::string diffText(const std::string& newValue);
  // The binary Avro payload of a change. Throws std::runtime_error when a value does not fit.
  std::string encode(const CdcChange& change);

  // Salesforce's bitmap text of a set of bit positions: "0x" + big-endian hex.
  static std::string bitmap(const std::vector<int>& bits);

 private:
  // Bitmap entries (top-level bitmap first, then "i-0x.." for compounds) of the sim fields `set`.
  std::vector<std::string> bitmaps(const std::vector<char>& set) const;
  void setHeader(avro_value_t& header, const CdcHeader& h);
  void setField(avro_value_t& unionValue, const Row* row, int simField, bool present);

  const CdcLayout& layout_;
  std::vector<std::string> diffNames_;
  avro_schema_t schema_ = nullptr;
  avro_value_iface_t* iface_ = nullptr;
};

}  // namespace sfsync::sim
