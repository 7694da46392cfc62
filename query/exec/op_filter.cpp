// query/exec/op_filter.cpp
// FILTER: the rows of each block for which every condition is true. The terms the
// conditions read are decoded for the whole block at once.
#include "query/exec/functions.hpp"
#include "query/exec/operator.hpp"
#include "query/exec/values.hpp"

namespace parley::query::exec {

FilterOp::FilterOp(ExecContext& ctx, OperatorPtr input, std::vector<const ast::Expr*> exprs, std::vector<int> read_slots)
    : Operator(ctx), input_(std::move(input)), exprs_(std::move(exprs)), read_slots_(std::move(read_slots)) {
  inputs.push_back(input_.get());
  for (const ast::Expr* e : exprs_) regexes_.push_back(AsVariableRegex(*e));
}

std::optional<FilterOp::VariableRegex> FilterOp::AsVariableRegex(const ast::Expr& e) {
  if (e.op != ast::Expr::Op::kCall || e.name != "REGEX" || e.args.size() < 2 || e.args.size() > 3) return std::nullopt;
  auto constant_string = [](const ast::Expr& a) {
    return a.op == ast::Expr::Op::kTerm && !a.term.is_var && IsStringLiteral(a.term.term);
  };
  const ast::Expr& text = e.args[0];
  if (text.op != ast::Expr::Op::kTerm || !text.term.is_var || text.term.slot < 0) return std::nullopt;
  if (!constant_string(e.args[1]) || (e.args.size() == 3 && !constant_string(e.args[2]))) return std::nullopt;
  return VariableRegex{text.term.slot, e.args[1].term.term.value,
                       e.args.size() == 3 ? e.args[2].term.term.value : std::string()};
}

bool FilterOp::Holds(std::size_t condition, std::size_t row) {
  if (const auto& regex = regexes_[condition]) {
    const TermId id = in_.at(static_cast<std::size_t>(regex->slot), row);
    return id != kUnbound && RegexTest(ctx_.table().Get(id), regex->pattern, regex->flags).value_or(false);
  }
  RowScope scope(ctx_, in_, row);
  return EvaluateBool(*exprs_[condition], scope, ctx_.functions()).value_or(false);
}

bool FilterOp::Produce(Block* out) {
  while (out->rows == 0) {
    if (!input_->Next(&in_)) return false;
    PrefetchTerms(ctx_, in_, read_slots_);
    for (std::size_t row = 0; row < in_.rows; ++row) {
      bool keep = true;
      for (std::size_t c = 0; c < exprs_.size() && keep; ++c) keep = Holds(c, row);
      if (keep) out->AppendRow(in_, row);
    }
  }
  return true;
}

}  // namespace parley::query::exec
