#include "sfsync/core/Ids.h"

#include <Poco/UUIDGenerator.h>

namespace sfsync {

std::string newUuid() { return Poco::UUIDGenerator::defaultGenerator().createRandom().toString(); }

}  // namespace sfsync
