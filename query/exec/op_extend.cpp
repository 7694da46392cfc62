// query/exec/op_extend.cpp
// BIND and select expressions: each row with one more variable bound to an expression's
// value (left unbound when the expression is an error).
#include <algorithm>

#include "query/exec/operator.hpp"

namespace parley::query::exec {

ExtendOp::ExtendOp(ExecContext& ctx, OperatorPtr input, int slot, const ast::Expr* expr, std::vector<int> read_slots)
    : Operator(ctx), input_(std::move(input)), slot_(slot), expr_(expr), read_slots_(std::move(read_slots)) {
  inputs.push_back(input_.get());
}

bool ExtendOp::Produce(Block* out) {
  if (!input_->Next(out)) return false;
  auto& column = out->columns[static_cast<std::size_t>(slot_)];
  // BIND(?x AS ?y), as a select expression renaming an aggregate does: a copy of the ids.
  if (expr_->op == ast::Expr::Op::kTerm && expr_->term.is_var && expr_->term.slot >= 0) {
    const auto& from = out->columns[static_cast<std::size_t>(expr_->term.slot)];
    std::copy_n(from.begin(), out->rows, column.begin());
    return true;
  }
  PrefetchTerms(ctx_, *out, read_slots_);
  for (std::size_t row = 0; row < out->rows; ++row) {
    RowScope scope(ctx_, *out, row);
    auto value = Evaluate(*expr_, scope, ctx_.functions());
    column[row] = value ? ctx_.table().Intern(*value) : kUnbound;
  }
  return true;
}

}  // namespace parley::query::exec
