#include "store/PostgresUpserter.h"

#include <algorithm>
#include <utility>

#include "sfsync/core/Ids.h"
#include "store/PostgresValues.h"
#include "store/SqlNames.h"

namespace sfsync::store {

namespace {

RowOutcome rejected(const char* code, std::string message) {
  RowOutcome o;
  o.action = RowAction::kRejected;
  o.reasonCode = code;
  o.message = std::move(message);
  return o;
}

}  // namespace

Result<std::vector<RowOutcome>> PostgresUpserter::run() {
  Status s = SqliteUpserter::validateRequest(request_);
  if (!s.ok()) return s;
  Result<std::optional<TableInfo>> table = schema_.load(request_.table);
  if (!table.ok()) return table.status();
  if (!table->has_value()) {
    return Status::InvalidArgument("upsert into unknown table '" + request_.table +
                                   "' (ensureTable creates it)");
  }
  s = resolveColumns(**table);
  if (!s.ok()) return s;
  std::vector<RowOutcome> outcomes(request_.rows.size());
  if (request_.rows.empty()) return outcomes;

  std::vector<std::string> keyNames;
  for (std::size_t k : keyIndex_) keyNames.push_back(columns_[k]);
  const std::string index = PostgresSchema::pgIndexName(table_, keyNames);
  if (indexed_.count(index) == 0) {
    s = schema_.ensureIndex(**table, keyNames);
    if (!s.ok()) return s;
    indexed_.insert(index);
  }
  convertRows(outcomes);
  std::vector<std::size_t> valid;
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    if (texts_[i]) valid.push_back(i);
  }
  s = lookupKeys(valid);
  if (!s.ok()) return s;
  for (std::size_t i : valid) resolveRow(i, &outcomes[i]);
  s = writeRows(outcomes);
  if (!s.ok()) return s;
  if (faults_.ioErrorAtRow && *faults_.ioErrorAtRow < request_.rows.size()) {
    return Status::IoError("upsert into " + request_.table + " failed at row " +
                           std::to_string(*faults_.ioErrorAtRow) +
                           ": disk I/O error (injected for test)");
  }
  if (faults_.afterRow) {
    for (std::size_t i = 0; i < request_.rows.size(); ++i) faults_.afterRow(i);
  }
  return outcomes;
}

Status PostgresUpserter::resolveColumns(const TableInfo& table) {
  table_ = table.name;
  std::vector<std::string> missing;
  for (const std::string& name : request_.columns) {
    const ColumnSpec* column = table.find(name);
    if (column == nullptr) {
      missing.push_back(name);
    } else {
      columns_.push_back(column->name);
      types_.push_back(column->type);
    }
  }
  if (!missing.empty()) {
    return Status::InvalidArgument("table " + table.name + " has no column(s) " +
                                   joinNames(missing) + " (ensureTable adds columns)");
  }
  for (const std::string& key : request_.keyColumns) {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (equalsIgnoreCase(columns_[i], key)) keyIndex_.push_back(i);
    }
  }
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (std::find(keyIndex_.begin(), keyIndex_.end(), i) == keyIndex_.end()) {
      dataIndex_.push_back(i);
    }
    if (!request_.runColumn.empty() && equalsIgnoreCase(columns_[i], request_.runColumn)) {
      runIndex_ = static_cast<int>(i);
    }
    if (!request_.stampColumn.empty() && equalsIgnoreCase(columns_[i], request_.stampColumn)) {
      stampIndex_ = static_cast<int>(i);
    }
  }
  for (std::size_t d : dataIndex_) {
    if (static_cast<int>(d) != runIndex_ && static_cast<int>(d) != stampIndex_) {
      compared_.push_back(d);
    }
  }
  return Status::OK();
}

void PostgresUpserter::convertRows(std::vector<RowOutcome>& outcomes) {
  texts_.assign(request_.rows.size(), std::nullopt);
  for (std::size_t i = 0; i < request_.rows.size(); ++i) {
    const std::vector<Value>& row = request_.rows[i];
    std::vector<std::string> nullKeys;
    for (std::size_t k : keyIndex_) {
      if (isNull(row[k])) nullKeys.push_back(columns_[k]);
    }
    if (!nullKeys.empty()) {
      outcomes[i] =
          rejected(reason::kRequiredMissing,
                   (nullKeys.size() == 1 ? "upsert key column " : "upsert key columns ") +
                       joinNames(nullKeys) + (nullKeys.size() == 1 ? " is null" : " are null"));
      continue;
    }
    Texts texts(row.size());
    std::string why;
    bool fits = true;
    for (std::size_t c = 0; c < row.size() && fits; ++c) {
      fits = pgvalue::toText(row[c], types_[c], &texts[c], &why);
      if (!fits) {
        outcomes[i] = rejected(reason::kLoadFailed, "column " + columns_[c] + " (" +
                                                        columnTypeName(types_[c]) + "): " + why);
      }
    }
    if (fits) texts_[i] = std::move(texts);
  }
}

std::string PostgresUpserter::keyOf(std::size_t i) const {
  std::string key;
  for (std::size_t k : keyIndex_) {
    const std::string& t = *(*texts_[i])[k];
    key += std::to_string(t.size()) + ":" + t;
  }
  return key;
}

Status PostgresUpserter::lookupKeys(const std::vector<std::size_t>& valid) {
  keys_.clear();
  stage_.start(keyIndex_.size());
  Texts fields(keyIndex_.size());
  for (std::size_t i : valid) {
    if (!keys_.emplace(keyOf(i), KeyState{}).second) continue;  // the first row of a key asks
    for (std::size_t k = 0; k < keyIndex_.size(); ++k) fields[k] = (*texts_[i])[keyIndex_[k]];
    stage_.add(static_cast<std::int64_t>(i), fields);
  }
  Status s = stage_.load();
  if (!s.ok() || stage_.lines() == 0) return s;

  std::string sql = "SELECT s.i, m.g";
  std::string inner = "SELECT t." + quoteIdentifier(PostgresSchema::kGsid) + " AS g";
  if (runIndex_ >= 0) {
    sql += ", m.r, m.st";
    inner += ", t." + quoteIdentifier(columns_[runIndex_]) + "::text AS r, t." +
             quoteIdentifier(columns_[stampIndex_]) + "::text AS st";
  }
  inner += " FROM " + quoteIdentifier(table_) + " AS t WHERE ";
  for (std::size_t k = 0; k < keyIndex_.size(); ++k) {
    inner += (k > 0 ? " AND t." : "t.") + quoteIdentifier(columns_[keyIndex_[k]]) + " = s.c" +
             std::to_string(k) + "::" + pgvalue::castType(types_[keyIndex_[k]]);
  }
  inner += " LIMIT " + std::to_string(kMaxCandidates + 1);
  sql += " FROM " + PostgresStage::name(keyIndex_.size()) + " AS s CROSS JOIN LATERAL (" + inner +
         ") AS m";
  Result<PgResult> r = db_.query(sql);
  if (!r.ok()) return r.status();
  for (int row = 0; row < r->rows(); ++row) {
    KeyState& state = keys_[keyOf(static_cast<std::size_t>(r->int64(row, 0)))];
    if (state.gsids.empty() && runIndex_ >= 0 && !r->isNull(row, 2)) {
      state.run = r->int64(row, 2);
      state.stamp = r->optText(row, 3).value_or("");
    }
    state.gsids.push_back(r->text(row, 1));
  }
  return Status::OK();
}

void PostgresUpserter::resolveRow(std::size_t i, RowOutcome* outcome) {
  KeyState& state = keys_[keyOf(i)];
  const std::vector<Value>& row = request_.rows[i];
  auto write = [&](const std::string& gsid) {
    auto [it, added] = writeOf_.emplace(gsid, writes_.size());
    if (added) {
      writes_.emplace_back(gsid, i);
    } else {
      writes_[it->second].second = i;  // a later row of the same key: its values win
    }
    if (runIndex_ >= 0) {  // the written row now carries this row's tag and stamp
      const std::int64_t* run = std::get_if<std::int64_t>(&row[runIndex_]);
      state.run = run == nullptr ? std::nullopt : std::optional<std::int64_t>(*run);
      const std::string* stamp = std::get_if<std::string>(&row[stampIndex_]);
      state.stamp = stamp == nullptr ? std::string() : *stamp;
    }
  };
  if (state.gsids.empty()) {
    if (request_.updateOnly) {
      outcome->action = RowAction::kSkipped;
      outcome->reasonCode = reason::kNoMatchUpdateOnly;
      outcome->message = "no existing row matches the upsert key and the job is update-only";
      return;
    }
    state.gsids.push_back(newUuid());
    write(state.gsids[0]);
    outcome->action = RowAction::kCreated;
    outcome->gsid = state.gsids[0];
    return;
  }
  if (state.gsids.size() == 1) {
    if (runIndex_ >= 0 && state.run &&
        skipOlderDuplicate(row[runIndex_], row[stampIndex_], *state.run, state.stamp,
                           state.gsids[0], outcome)) {
      return;
    }
    write(state.gsids[0]);
    outcome->action = RowAction::kUpdated;
    outcome->gsid = state.gsids[0];
    return;
  }
  std::vector<std::string> gsids = state.gsids;
  std::sort(gsids.begin(), gsids.end());
  const bool more = gsids.size() > static_cast<std::size_t>(kMaxCandidates);
  if (more) gsids.resize(kMaxCandidates);
  std::string key;
  for (std::size_t k : keyIndex_) {
    key += std::string(key.empty() ? "" : ", ") + columns_[k] + " = '" + valueToText(row[k]) + "'";
  }
  *outcome = rejected(
      reason::kMultipleMatches,
      "upsert key (" + key + ") matches " +
          (more ? "more than " + std::to_string(kMaxCandidates) : std::to_string(gsids.size())) +
          " existing rows: " + joinNames(gsids));
  outcome->candidates = std::move(gsids);
}

std::string PostgresUpserter::insertSql(const std::string& from) const {
  std::string sql =
      "INSERT INTO " + quoteIdentifier(table_) + " AS t (" + quoteIdentifier(PostgresSchema::kGsid);
  std::string select = "SELECT s.c0";
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    sql += ", " + quoteIdentifier(columns_[c]);
    select += ", s.c" + std::to_string(c + 1) + "::" + pgvalue::castType(types_[c]);
  }
  sql += ") " + select + " FROM " + from + " ORDER BY s.i ON CONFLICT (" +
         quoteIdentifier(PostgresSchema::kGsid) + ") DO ";
  if (dataIndex_.empty()) return sql + "NOTHING";
  sql += "UPDATE SET ";
  for (std::size_t d = 0; d < dataIndex_.size(); ++d) {
    const std::string name = quoteIdentifier(columns_[dataIndex_[d]]);
    sql += (d > 0 ? ", " : "") + name + " = EXCLUDED." + name;
  }
  // Equal rows stay as they are, unless their run tag and stamp must be written.
  if (runIndex_ < 0 && !compared_.empty()) {
    sql +=
        " WHERE " + comparedRow("t", false) + " IS DISTINCT FROM " + comparedRow("EXCLUDED", false);
  }
  return sql;
}

std::string PostgresUpserter::comparedRow(const std::string& alias, bool staged) const {
  std::string row = "ROW(";
  for (std::size_t n = 0; n < compared_.size(); ++n) {
    const std::size_t c = compared_[n];
    row += n > 0 ? ", " : "";
    // In the stage, column c of a row is c<c + 1> (c0 is the gsid), as text.
    row += staged ? alias + ".c" + std::to_string(c + 1) + "::" + pgvalue::castType(types_[c])
                  : alias + "." + quoteIdentifier(columns_[c]);
  }
  return row + ")";
}

Status PostgresUpserter::markUnchanged(std::vector<RowOutcome>& outcomes,
                                       std::optional<std::size_t> only) {
  if (compared_.empty()) return Status::OK();  // only key columns: the match is the update
  bool updates = false;
  for (const auto& [gsid, i] : writes_) {
    if (!only || *only == i) updates = updates || outcomes[i].action == RowAction::kUpdated;
  }
  if (!updates) return Status::OK();
  std::string sql = "SELECT s.i FROM " + PostgresStage::name(columns_.size() + 1) + " AS s JOIN " +
                    quoteIdentifier(table_) + " AS t ON t." +
                    quoteIdentifier(PostgresSchema::kGsid) + " = s.c0 WHERE " +
                    comparedRow("t", false) + " IS NOT DISTINCT FROM " + comparedRow("s", true);
  Result<PgResult> r =
      only ? db_.query(sql + " AND s.i = $1", {std::to_string(*only)}) : db_.query(sql);
  if (!r.ok()) return r.status();
  for (int row = 0; row < r->rows(); ++row) {
    RowOutcome& outcome = outcomes[static_cast<std::size_t>(r->int64(row, 0))];
    if (outcome.action == RowAction::kUpdated) outcome.unchanged = true;
  }
  return Status::OK();
}

Status PostgresUpserter::writeRows(std::vector<RowOutcome>& outcomes) {
  if (writes_.empty()) return Status::OK();
  stage_.start(columns_.size() + 1);
  Texts fields;
  for (const auto& [gsid, i] : writes_) {
    fields.assign(1, gsid);
    fields.insert(fields.end(), texts_[i]->begin(), texts_[i]->end());
    stage_.add(static_cast<std::int64_t>(i), fields);
  }
  Status s = stage_.load();
  if (!s.ok()) return s;
  s = db_.begin();  // a savepoint: the slow path below needs the stage after a refused insert
  if (!s.ok()) return s;
  // Inside the savepoint: a value the server refuses (a date out of its range) fails the
  // comparison as it fails the insert, and the page takes the slow path below instead of failing.
  s = markUnchanged(outcomes);
  if (s.ok()) s = db_.exec(insertSql(PostgresStage::name(columns_.size() + 1) + " AS s"));
  if (s.ok()) return db_.commit();
  const bool data = db_.lastFailureIsData();
  db_.rollback();
  if (!data) {
    return Status::IoError("upsert into " + request_.table + " failed: " + s.message());
  }
  return writeOneByOne(outcomes);
}

Status PostgresUpserter::writeOneByOne(std::vector<RowOutcome>& outcomes) {
  const std::string stage = PostgresStage::name(columns_.size() + 1);
  for (const auto& [gsid, i] : writes_) {
    Status s = db_.begin();
    if (!s.ok()) return s;
    s = markUnchanged(outcomes, i);
    if (s.ok()) {
      s = db_.query(insertSql("(SELECT * FROM " + stage + " WHERE i = $1) AS s"),
                    {std::to_string(i)})
              .status();
    }
    if (s.ok()) {
      s = db_.commit();
      if (!s.ok()) return s;
      continue;
    }
    const bool data = db_.lastFailureIsData();
    db_.rollback();
    if (!data) return s;
    const std::string message = s.message();
    const auto colon = message.find(": ");
    outcomes[i] = rejected(reason::kLoadFailed,
                           colon == std::string::npos ? message : message.substr(colon + 2));
  }
  return Status::OK();
}

}  // namespace sfsync::store
