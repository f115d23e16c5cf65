// The Snowflake ConnectionSources (makeSnowflakeSources,
// include/sfsync/snowflake/SnowflakeSource.h).
#include "snowflake/SnowflakeSource.h"

namespace sfsync::snowflake {

namespace {

class SnowflakeSources final : public source::ConnectionSources {
 public:
  SnowflakeSources(const SnowflakeSettings& settings, Clock& clock, SnowflakeSourceSpec spec)
      : settings_(settings), clock_(clock), spec_(std::move(spec)) {}

  const char* type() const override { return "snowflake"; }
  Result<salesforce::ObjectDescribe> describe(const std::string& object) override {
    return next().describe(object);
  }
  Result<source::SourceChoice> open(const source::OpenRequest&) override {
    next();
    return source::SourceChoice{std::move(source_), "Snowflake SQL API"};
  }
  source::ConnectionUsage usage() const override { return {}; }

 private:
  // The source to use next: the one that described, else a new one.
  source::Source& next() {
    if (!source_) source_ = makeSnowflakeSource(settings_, clock_, spec_);
    return *source_;
  }

  const SnowflakeSettings& settings_;
  Clock& clock_;
  SnowflakeSourceSpec spec_;
  source::SourcePtr source_;
};

}  // namespace

source::ConnectionSourcesPtr makeSnowflakeSources(const SnowflakeSettings& settings, Clock& clock,
                                                  SnowflakeSourceSpec spec) {
  return std::make_unique<SnowflakeSources>(settings, clock, std::move(spec));
}

}  // namespace sfsync::snowflake
