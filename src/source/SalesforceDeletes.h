// SalesforceDeletes: delete detection of the Salesforce sources (RestSource, BulkSource), the
// Salesforce side of Source::deletedIds / Source::listIds.
//   deletedIds: GET sobjects/{Object}/deleted for [start, end] (one call). Deletes after the feed's
//   latestDateCovered are left to the next window (answer->checkedUpTo says where this one
//   stopped). An object without a replication feed (/deleted answers a remote error): queryAll
//   `SELECT Id FROM X WHERE IsDeleted = true AND SystemModstamp >= start` instead. Not answered
//   (the caller compares Id sets) when the window starts before earliestDateAvailable, has no
//   usable start, or the object has no IsDeleted field (queryAll answers INVALID_FIELD).
//   listIds: `SELECT Id FROM X [WHERE filter]` through the REST or Bulk source that chooseSource
//   picks with `options` (SELECT COUNT() with the same WHERE), page by page.
//
// Thread-safety: stateless functions; the client is used by the calling thread only.
#pragma once

#include <string>

#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/source/SourceFactory.h"

namespace sfsync::source {

Status salesforceDeletedIds(salesforce::SalesforceClient& client, const std::string& object,
                            const DeleteWindowQuery& window, const IdSink& sink,
                            DeletedIdsAnswer* answer);

Status salesforceListIds(salesforce::SalesforceClient& client, const SourceOptions& options,
                         const std::string& object, const std::string& filter, const IdSink& sink);

}  // namespace sfsync::source
