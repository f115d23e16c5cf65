// The default delete-detection answers of source::Source (include/sfsync/source/Source.h): a
// source without a delete feed or an Id listing.
#include "sfsync/source/Source.h"

namespace sfsync::source {

Status Source::deletedIds(const std::string&, const DeleteWindowQuery&, const IdSink&,
                          DeletedIdsAnswer* answer) {
  *answer = DeletedIdsAnswer{};  // no feed: the caller compares Id sets instead
  return Status::OK();
}

Status Source::listIds(const std::string& object, const std::string&, const IdSink&) {
  return Status::InvalidArgument(std::string("the ") + api() + " source cannot list the Ids of " +
                                 object);
}

}  // namespace sfsync::source
