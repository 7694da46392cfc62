// query/exec/op_base.cpp
// What all operators share: timing for explain --analyze, the budget check per block,
// an expression's view of a row; and the simplest operator, a fixed table.
#include <algorithm>
#include <chrono>

#include "query/exec/operator.hpp"

namespace parley::query::exec {

bool Operator::Next(Block* out) {
  if (!ctx_.Check()) return false;
  out->Reset(ctx_.width(), ctx_.block_rows());
  if (!profiling) {
    const bool more = Produce(out);
    rows_out += more ? out->rows : 0;
    return more;
  }
  const auto start = std::chrono::steady_clock::now();
  const bool more = Produce(out);
  nanos += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  rows_out += more ? out->rows : 0;
  return more;
}

std::optional<Term> RowScope::Value(const ast::PatternTerm& var) {
  if (var.slot < 0) return std::nullopt;
  const TermId id = block_.at(static_cast<std::size_t>(var.slot), row_);
  if (id == kUnbound) return std::nullopt;
  return ctx_.table().Get(id);
}

bool RowScope::Peek(const ast::PatternTerm& var, const Term** term) {
  const TermId id = var.slot < 0 ? kUnbound : block_.at(static_cast<std::size_t>(var.slot), row_);
  *term = id == kUnbound ? nullptr : &ctx_.table().Get(id);
  return true;
}

std::optional<bool> RowScope::Exists(const ast::Expr& e) {
  if (!ctx_.exists) return std::nullopt;
  return ctx_.exists(e, block_.Row(row_));
}

void PrefetchTerms(ExecContext& ctx, const Block& block, const std::vector<int>& slots) {
  std::vector<TermId> ids;
  ids.reserve(block.rows * slots.size());
  for (int slot : slots) {
    const auto& column = block.columns[static_cast<std::size_t>(slot)];
    ids.insert(ids.end(), column.begin(), column.begin() + static_cast<std::ptrdiff_t>(block.rows));
  }
  ctx.table().Prefetch(std::move(ids));
}

PerRowOp::PerRowOp(ExecContext& ctx, OperatorPtr input) : Operator(ctx), input_(std::move(input)) {
  inputs.push_back(input_.get());
}

bool PerRowOp::Produce(Block* out) {
  // A row may give many rows: a block can run a row over its capacity, and the next
  // row starts the next block.
  while (!out->full() && ctx_.ok()) {
    if (active_) {
      Continue(out);
      continue;
    }
    if (next_row_ >= in_.rows) {
      if (done_ || !input_->Next(&in_)) {
        done_ = true;
        break;
      }
      next_row_ = 0;
    }
    row_ = next_row_++;
    Start();
  }
  return out->rows > 0 && ctx_.ok();
}

TableOp::TableOp(ExecContext& ctx, std::vector<std::vector<TermId>> rows) : Operator(ctx), rows_(std::move(rows)) {}

bool TableOp::Produce(Block* out) {
  while (next_ < rows_.size() && !out->full()) out->AppendRow(rows_[next_++]);
  return out->rows > 0;
}

}  // namespace parley::query::exec
