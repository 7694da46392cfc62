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
  for (const ast::Expr* e : exprs_) {
    regexes_.push_back(AsVariableRegex(*e));
    only_regexes_ = only_regexes_ && regexes_.back().has_value();
  }
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

void FilterOp::Test(std::size_t condition) {
  if (const auto& regex = regexes_[condition]) {
    const auto& ids = in_.columns[static_cast<std::size_t>(regex->slot)];
    column_.assign(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(in_.rows));
    const std::vector<const Term*>& terms = ctx_.table().Decode(column_);
    for (std::size_t row = 0; row < in_.rows; ++row) {
      TermTable::PrefetchTermAhead(terms, row);
      if (keep_[row]) keep_[row] = terms[row] != nullptr && RegexTest(*terms[row], regex->pattern, regex->flags).value_or(false);
    }
    return;
  }
  for (std::size_t row = 0; row < in_.rows; ++row) {
    if (!keep_[row]) continue;
    RowScope scope(ctx_, in_, row);
    keep_[row] = EvaluateBool(*exprs_[condition], scope, ctx_.functions()).value_or(false);
  }
}

// A condition at a time over the whole block, each on the rows the ones before kept.
bool FilterOp::Produce(Block* out) {
  while (out->rows == 0) {
    if (!input_->Next(&in_)) return false;
    if (!only_regexes_) PrefetchTerms(ctx_, in_, read_slots_);
    keep_.assign(in_.rows, 1);
    for (std::size_t c = 0; c < exprs_.size(); ++c) Test(c);
    for (std::size_t row = 0; row < in_.rows; ++row) {
      if (keep_[row]) out->AppendRow(in_, row);
    }
  }
  return true;
}

}  // namespace parley::query::exec
