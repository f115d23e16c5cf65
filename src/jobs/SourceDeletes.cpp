#include "jobs/SourceDeletes.h"

namespace sfsync::jobs {

// Placeholder until the deletes slice lands: every policy behaves as "ignore".
Status SourceDeletes::apply(const config::JobConfig&, RunPlan&, salesforce::SalesforceClient&,
                            store::Store&, Clock&, const DeleteWindow&, store::ExecutionRecord&) {
  return Status::OK();
}

}  // namespace sfsync::jobs
