// PgResult: owns one libpq PGresult (PQclear on destruction) and reads its cells as text. Rows and
// columns are 0-based; a NULL cell reads as nullopt / "".
//
// Thread-safety: none; a value owned by one caller.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace sfsync::store {

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* result) : result_(result) {}
  ~PgResult() {
    if (result_ != nullptr) PQclear(result_);
  }
  PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  PgResult& operator=(PgResult&& other) noexcept {
    if (this != &other) {
      if (result_ != nullptr) PQclear(result_);
      result_ = std::exchange(other.result_, nullptr);
    }
    return *this;
  }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  PGresult* get() const { return result_; }
  int rows() const { return result_ == nullptr ? 0 : PQntuples(result_); }
  int columns() const { return result_ == nullptr ? 0 : PQnfields(result_); }
  bool isNull(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(result_, row, col),
                       static_cast<std::size_t>(PQgetlength(result_, row, col)));
  }
  std::optional<std::string> optText(int row, int col) const {
    if (isNull(row, col)) return std::nullopt;
    return text(row, col);
  }
  std::int64_t int64(int row, int col) const {
    return isNull(row, col) ? 0 : std::strtoll(PQgetvalue(result_, row, col), nullptr, 10);
  }
  // Rows affected by an INSERT / UPDATE / DELETE (0 when not a command).
  std::int64_t affected() const {
    const char* n = result_ == nullptr ? "" : PQcmdTuples(result_);
    return *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
  }

 private:
  PGresult* result_ = nullptr;
};

}  // namespace sfsync::store
