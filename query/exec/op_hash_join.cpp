// query/exec/op_hash_join.cpp
// Join, LeftJoin and Minus of two whole inputs: the right is read once into a hash table
// on the variables both sides always bind, and each left row finds its partners there.
#include "query/exec/operator.hpp"

namespace parley::query::exec {

HashJoinOp::HashJoinOp(ExecContext& ctx, OperatorPtr left, OperatorPtr right, std::vector<int> key_slots,
                       std::vector<int> shared_slots, JoinKind kind, std::vector<const ast::Expr*> exprs,
                       std::vector<int> read_slots)
    : Operator(ctx),
      left_(std::move(left)),
      right_(std::move(right)),
      key_slots_(std::move(key_slots)),
      shared_slots_(std::move(shared_slots)),
      kind_(kind),
      exprs_(std::move(exprs)),
      read_slots_(std::move(read_slots)) {
  inputs = {left_.get(), right_.get()};
}

namespace {

std::uint64_t KeyOf(const Block& block, std::size_t row, const std::vector<int>& slots) {
  std::uint64_t h = 0x51ED27;
  for (int slot : slots) h = (h ^ block.at(static_cast<std::size_t>(slot), row)) * 0x9E3779B97F4A7C15ULL;
  return h;
}

}  // namespace

bool HashJoinOp::Build() {
  right_rows_.Reset(ctx_.width());
  Block in;
  while (right_->Next(&in)) {
    for (std::size_t row = 0; row < in.rows; ++row) right_rows_.AppendRow(in, row);
  }
  if (!ctx_.ok()) return false;
  for (std::size_t row = 0; row < right_rows_.rows; ++row) index_.emplace(KeyOf(right_rows_, row, key_slots_), row);
  built_ = true;
  return true;
}

bool HashJoinOp::Produce(Block* out) {
  if (!built_ && !Build()) return false;
  while (!out->full()) {
    if (left_row_ >= left_block_.rows) {
      if (left_done_ || !left_->Next(&left_block_)) {
        left_done_ = true;
        break;
      }
      left_row_ = 0;
    }
    const std::size_t row = left_row_++;
    bool joined = false;
    auto try_pair = [&](std::size_t r) {
      bool share = false;
      for (int slot : shared_slots_) {
        const TermId l = left_block_.at(static_cast<std::size_t>(slot), row), v = right_rows_.at(static_cast<std::size_t>(slot), r);
        if (l != kUnbound && v != kUnbound && l != v) return;
        share = share || (l != kUnbound && v != kUnbound);
      }
      if (kind_ == JoinKind::kMinus) {
        joined = joined || share;
        return;
      }
      for (std::size_t c = 0; c < out->columns.size(); ++c) {
        const TermId l = left_block_.columns[c][row];
        out->columns[c].push_back(l != kUnbound ? l : right_rows_.columns[c][r]);
      }
      ++out->rows;
      if (!exprs_.empty()) {  // LeftJoin's condition, on the joined row
        const std::size_t at = out->rows - 1;
        RowScope scope(ctx_, *out, at);
        bool keep = true;
        for (const ast::Expr* e : exprs_) keep = keep && EvaluateBool(*e, scope, ctx_.functions()).value_or(false);
        if (!keep) {
          for (auto& column : out->columns) column.pop_back();
          --out->rows;
          return;
        }
      }
      joined = true;
    };
    if (key_slots_.empty()) {
      for (std::size_t r = 0; r < right_rows_.rows && !(joined && kind_ == JoinKind::kMinus); ++r) try_pair(r);
    } else {
      auto range = index_.equal_range(KeyOf(left_block_, row, key_slots_));
      for (auto it = range.first; it != range.second; ++it) try_pair(it->second);
    }
    if (kind_ != JoinKind::kInner && !joined) out->AppendRow(left_block_, row);
  }
  return out->rows > 0 && ctx_.ok();
}

}  // namespace parley::query::exec
