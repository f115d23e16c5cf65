// AvroChangeDecoder: decodes the binary Avro payload of Change Data Capture events written with one
// schema (the topic's schema JSON from GetSchema) into cdc::ChangeEvent: the ChangeEventHeader, and
// the changed fields selected by the header's bitmaps (changedFields / nulledFields: hex, bit i =
// top-level field i of the schema, "i-0x.." entries over a compound field's parts), flattened to
// REST field names (see ChangeEvent.h). avro-c generic values.
//
// Thread-safety: not thread-safe; one per schema and stream.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <avro.h>

#include "sfsync/cdc/ChangeEvent.h"
#include "sfsync/core/Result.h"

namespace sfsync::cdc {

class AvroChangeDecoder {
 public:
  // kDataError when the schema does not parse or has no ChangeEventHeader first.
  static Result<std::unique_ptr<AvroChangeDecoder>> create(const std::string& schemaJson);
  ~AvroChangeDecoder();
  AvroChangeDecoder(const AvroChangeDecoder&) = delete;
  AvroChangeDecoder& operator=(const AvroChangeDecoder&) = delete;

  // Decodes one payload; kDataError when it does not match the schema.
  Result<ChangeEvent> decode(const std::string& payload) const;

  // Bit positions set in one bitmap text ("0x1A" -> {1, 3, 4}); false when malformed.
  static bool parseBitmap(const std::string& hex, std::vector<int>& bits);

 private:
  struct Field {
    std::string name;
    std::vector<std::string> parts;      // compound: part names; empty: simple field
    std::vector<std::string> flatParts;  // the REST names of the parts
  };
  AvroChangeDecoder() = default;
  Status readHeader(avro_value_t& header, ChangeEvent& event) const;
  // The fields of the event given the header's bitmaps.
  Status readFields(avro_value_t& record, ChangeEvent& event) const;
  // Marks selected top-level fields / parts from bitmap entries; false when malformed.
  bool select(const std::vector<std::string>& bitmaps, std::vector<char>& top,
              std::vector<std::vector<char>>& parts) const;

  avro_schema_t schema_ = nullptr;
  avro_value_iface_t* iface_ = nullptr;
  std::vector<Field> fields_;  // [0] is ChangeEventHeader
};

}  // namespace sfsync::cdc
