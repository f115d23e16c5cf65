// SnowSimFixture: the set-up the SnowflakeSource tests share - a SnowflakeSim on port 0 that knows
// the test key pair (SnowTestSupport.h) and reads its clock from the fixture's FakeClock, a usage
// table DB.PUBLIC.USAGE (EMAIL, LOGINS, UPDATED_AT) of 10 rows in partitions of 3, the private key
// file in a temporary directory, and a SnowflakeSource over a query.
//
// Thread-safety: a gtest fixture, used by its test's thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/snowflake/SnowflakeSource.h"
#include "snowflake/SnowTestSupport.h"

namespace sfsync::snowflake {

// `rows` usage rows: p<i>@example.com, LOGINS i * 10, UPDATED_AT 1000 + i.
inline snowsim::SimTable usageTable(int rows) {
  snowsim::SimTable t;
  t.columns = {{"EMAIL", "text", 0}, {"LOGINS", "fixed", 0}, {"UPDATED_AT", "fixed", 0}};
  for (int i = 0; i < rows; ++i) {
    t.rows.push_back({"p" + std::to_string(i) + "@example.com", std::to_string(i * 10),
                      std::to_string(1000 + i)});
  }
  return t;
}

class SnowSimFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<snowsim::SnowflakeSim>(simOptions());
    sim_->setTable("DB.PUBLIC.USAGE", usageTable(10));
    sim_->start();
    dir_.write("key.pem", sfsync::testing::kSnowPrivateKeyPem);
  }

  // The options SetUp's simulator runs with (a test may start another one with them).
  snowsim::SnowSimOptions simOptions() {
    snowsim::SnowSimOptions options;
    options.publicKeyPem = sfsync::testing::kSnowPublicKeyPem;
    options.nowSeconds = [this] {
      return static_cast<std::int64_t>(std::chrono::system_clock::to_time_t(clock_.now()));
    };
    options.rowsPerPartition = 3;
    return options;
  }

  source::SourcePtr source(SnowflakeQuery query) {
    SnowflakeSourceSpec spec;
    spec.query = std::move(query);
    return source(spec);
  }
  source::SourcePtr source(const SnowflakeSourceSpec& spec) {
    return makeSnowflakeSource(sfsync::testing::snowSettings(*sim_, dir_.file("key.pem")), clock_,
                               spec);
  }

  sfsync::testing::TempDir dir_;
  sfsync::testing::FakeClock clock_;
  std::unique_ptr<snowsim::SnowflakeSim> sim_;
};

}  // namespace sfsync::snowflake
