// SnowflakeSim: an in-process fake of Snowflake's SQL API v2 behind a real Poco HTTPServer on a
// loopback port 0, for tests and the benchmark.
//   POST /api/v2/statements          runs a small SQL subset (SqlSubset) over seeded tables;
//   answers
//                                    200 with partition 0, or 202 + statementHandle when the table
//                                    is "slow" (asyncPolls) until that many polls have been made;
//                                    anything but SELECT: 422 code 001003; unknown table: 422
//                                    002003.
//   GET  /api/v2/statements/<h>      the statement's status / result (partition 0);
//   GET  /api/v2/statements/<h>?partition=N  {"data": [...]} of partition N (gzip when asked).
//   Bind variables ("bindings", "?" placeholders) are checked: one typed value per placeholder,
//   else 422 code 002049.
//   POST /oauth/token-request        grant_type=refresh_token with HTTP Basic client id/secret;
//                                    an expired refresh token (expireRefreshTokens) -> 400
//                                    invalid_grant.
// Auth of statements: "KEYPAIR_JWT" bearer tokens are verified (RS256 signature with the
// registered public key, iss = ACCOUNT.USER.SHA256:<fingerprint of that key>, sub, exp);
// "OAUTH" tokens must be ones the token endpoint issued. Otherwise 401 code 390144.
// Results are split into partitions of rowsPerPartition rows; cells are jsonv2 strings.
//
// Thread-safety: all public methods are safe from any thread (one mutex); requests are served on
// the server's threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sfsync::snowsim {

using Cell = std::optional<std::string>;  // jsonv2 text, nullopt = SQL NULL
using Row = std::vector<Cell>;

struct SimColumn {
  std::string name;
  std::string type;  // rowType type: fixed, real, text, boolean, date, timestamp_ntz, array, ...
  int scale = 0;
};

struct SimTable {
  std::vector<SimColumn> columns;
  std::vector<Row> rows;
  // Instead of `rows`: `generatedRows` rows made on demand by `generate` (for large tables).
  std::int64_t generatedRows = 0;
  std::function<void(std::int64_t index, Row& row)> generate;
  int asyncPolls = 0;  // > 0: statements on this table answer 202 until polled this often
};

struct SnowSimOptions {
  std::string account = "SIMACCOUNT";
  std::string user = "SFSYNC";
  std::string publicKeyPem;  // registered key (RSA_PUBLIC_KEY); empty: key-pair auth refused
  std::string clientId = "sim-client";
  std::string clientSecret = "sim-secret";
  std::string refreshToken = "sim-refresh-token";
  std::int64_t rowsPerPartition = 1000;
  // The simulator's clock for JWT expiry (epoch seconds); empty: the real time. Tests pass their
  // FakeClock's.
  std::function<std::int64_t()> nowSeconds;
  // Called on the serving thread in the middle of every 200 answer of at least 64 KiB (half of
  // its body sent and flushed), without the simulator's mutex: tests hold the answer there to see
  // that rows are decoded while it is still arriving.
  std::function<void()> midBody;
};

// One bind variable of a statement ("bindings": {"1": {"type", "value"}}).
struct SimBinding {
  std::string type;
  std::string value;
};

class SnowflakeSim {
 public:
  explicit SnowflakeSim(SnowSimOptions options);
  ~SnowflakeSim();
  SnowflakeSim(const SnowflakeSim&) = delete;
  SnowflakeSim& operator=(const SnowflakeSim&) = delete;

  void start();
  void stop();
  std::string baseUrl() const;

  // Adds or replaces a table ("DB.SCHEMA.TABLE", matched case-insensitively).
  void setTable(const std::string& name, SimTable table);
  // From now on partition `partition` (>= 1) of every statement answers HTTP 500 (-1: none).
  void setFailingPartition(int partition);
  // Every refresh token issued so far (and the configured one) is refused from now on.
  void expireRefreshTokens();

  // What happened: statements run, partition numbers requested (in order), polls answered 202,
  // access tokens issued, statements refused for auth.
  struct Counters {
    std::int64_t statements = 0;
    std::vector<int> partitionsFetched;
    std::int64_t pendingPolls = 0;
    std::int64_t tokensIssued = 0;
    std::int64_t authRefused = 0;
  };
  Counters counters() const;
  // The SQL of the last statement received, and its bind variables.
  std::string lastStatement() const;
  std::vector<SimBinding> lastBindings() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// "SHA256:<base64>" of an RSA public key PEM (what DESC USER shows), computed with OpenSSL.
std::string publicKeyFingerprint(const std::string& publicKeyPem);

}  // namespace sfsync::snowsim
