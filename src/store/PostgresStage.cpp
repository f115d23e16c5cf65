#include "store/PostgresStage.h"

#include "store/PostgresValues.h"

namespace sfsync::store {

std::string PostgresStage::name(std::size_t width) {
  return "pg_temp.sfsync_stage_" + std::to_string(width);
}

void PostgresStage::start(std::size_t width) {
  width_ = width;
  lines_ = 0;
  data_.clear();
}

void PostgresStage::add(std::int64_t i, const std::vector<std::optional<std::string>>& fields) {
  data_ += std::to_string(i);
  for (const auto& field : fields) {
    data_ += '\t';
    pgvalue::appendCopyField(field, data_);
  }
  data_ += '\n';
  ++lines_;
}

Status PostgresStage::load() {
  const std::string table = name(width_);
  std::string ddl = "CREATE TEMP TABLE IF NOT EXISTS sfsync_stage_" + std::to_string(width_) +
                    " (i bigint NOT NULL";
  for (std::size_t c = 0; c < width_; ++c) ddl += ", c" + std::to_string(c) + " text";
  ddl += "); TRUNCATE " + table;
  Status s = db_.exec(ddl);
  if (!s.ok() || lines_ == 0) return s;
  Result<std::int64_t> copied = db_.copyIn("COPY " + table + " FROM STDIN", data_);
  if (!copied.ok()) return copied.status();
  data_.clear();
  data_.shrink_to_fit();
  return Status::OK();
}

}  // namespace sfsync::store
