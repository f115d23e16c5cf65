// OobJobWriter: creates the out-of-the-box jobs and chain for a connection when it is first
// authorised, from the templates in conf/oob/ (admin-editable JSON with ${CONNECTION} and ${SUFFIX}
// placeholders). Following the Gainsight connector: the first (primary) connection gets User,
// Company, Company Person, Currency, Cases and Opportunity Sync plus the chain "SFDC_Company Person
// Sync"; a second connection gets only User Sync and Currency Sync; Currency Sync only when the org
// has multi-currency on. Job names of a secondary connection carry the suffix " (<connection>)" and
// their files "_<connection>". Existing files are never overwritten (the admin may have edited
// them).
//
// Thread-safety: stateless functions; concurrent calls writing the same directory race on files.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Result.h"

namespace sfsync::jobs {

struct OobRequest {
  std::string templatesDir;  // conf/oob
  std::string jobsDir;
  std::string chainsDir;
  std::string connection;
  bool primary = true;
  bool multiCurrency = false;
};

struct OobFile {
  std::string path;  // where it goes
  std::string text;  // rendered JSON
  bool isChain = false;
};

class OobJobWriter {
 public:
  // The template file names a connection gets, in dependency order.
  static std::vector<std::string> templatesFor(bool primary, bool multiCurrency);
  // Replaces ${CONNECTION} and ${SUFFIX} in a template.
  static std::string render(const std::string& templateText, const std::string& connection,
                            const std::string& suffix);
  // The files the request produces (rendered, not written).
  static Result<std::vector<OobFile>> plan(const OobRequest& request);
  // Writes the planned files that do not exist yet; returns the paths written.
  static Result<std::vector<std::string>> write(const OobRequest& request);
};

}  // namespace sfsync::jobs
