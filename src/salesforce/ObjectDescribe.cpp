#include "sfsync/salesforce/ObjectDescribe.h"

#include <strings.h>

namespace sfsync::salesforce {

const FieldDescribe* ObjectDescribe::findField(const std::string& apiName) const {
  for (const FieldDescribe& field : fields) {
    if (field.name.size() == apiName.size() &&
        ::strncasecmp(field.name.c_str(), apiName.c_str(), apiName.size()) == 0) {
      return &field;
    }
  }
  return nullptr;
}

}  // namespace sfsync::salesforce
