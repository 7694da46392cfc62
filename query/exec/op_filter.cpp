// query/exec/op_filter.cpp
// FILTER: the rows of each block for which every condition is true. The terms the
// conditions read are decoded for the whole block at once.
#include "query/exec/operator.hpp"

namespace parley::query::exec {

FilterOp::FilterOp(ExecContext& ctx, OperatorPtr input, std::vector<const ast::Expr*> exprs, std::vector<int> read_slots)
    : Operator(ctx), input_(std::move(input)), exprs_(std::move(exprs)), read_slots_(std::move(read_slots)) {
  inputs.push_back(input_.get());
}

bool FilterOp::Produce(Block* out) {
  while (out->rows == 0) {
    if (!input_->Next(&in_)) return false;
    PrefetchTerms(ctx_, in_, read_slots_);
    for (std::size_t row = 0; row < in_.rows; ++row) {
      RowScope scope(ctx_, in_, row);
      bool keep = true;
      for (const ast::Expr* e : exprs_) {
        keep = EvaluateBool(*e, scope, ctx_.functions()).value_or(false);
        if (!keep) break;
      }
      if (keep) out->AppendRow(in_, row);
    }
  }
  return true;
}

}  // namespace parley::query::exec
