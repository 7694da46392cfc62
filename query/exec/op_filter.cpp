// query/exec/op_filter.cpp
// FILTER: the rows of each block for which every condition is true. The terms the
// conditions read are decoded for the whole block at once.
#include "query/exec/functions.hpp"
#include "query/exec/operator.hpp"
#include "query/exec/values.hpp"

namespace parley::query::exec {
namespace {

bool KeyComparisonHolds(ast::Expr::Op op, std::int64_t a, std::int64_t b) {
  switch (op) {
    case ast::Expr::Op::kLt: return a < b;
    case ast::Expr::Op::kLe: return a <= b;
    case ast::Expr::Op::kGt: return a > b;
    case ast::Expr::Op::kGe: return a >= b;
    case ast::Expr::Op::kEq: return a == b;
    default: return a != b;
  }
}

}  // namespace

FilterOp::FilterOp(ExecContext& ctx, OperatorPtr input, std::vector<const ast::Expr*> exprs, std::vector<int> read_slots,
                   const std::set<int>& not_literals)
    : Operator(ctx), input_(std::move(input)), exprs_(std::move(exprs)), read_slots_(std::move(read_slots)) {
  inputs.push_back(input_.get());
  for (const ast::Expr* e : exprs_) {
    regexes_.push_back(AsVariableRegex(*e));
    id_comparisons_.push_back(AsIdComparison(*e, not_literals));
    key_comparisons_.push_back(AsKeyComparison(*e));
    evaluates_ = evaluates_ || (!regexes_.back() && !id_comparisons_.back());
  }
}

// Equal ids are one term, and an IRI or a blank node equals no other term: so where one
// side is one of them, = and != need only the ids. (Two literals may be equal values
// under different ids, "1"^^xsd:integer and "01"^^xsd:integer; and a literal may not
// equal itself, NaN.)
std::optional<FilterOp::IdComparison> FilterOp::AsIdComparison(const ast::Expr& e, const std::set<int>& not_literals) {
  auto variable = [](const ast::Expr& a) { return a.op == ast::Expr::Op::kTerm && a.term.is_var && a.term.slot >= 0; };
  const bool same_term = e.op == ast::Expr::Op::kCall && e.name == "SAMETERM" && e.args.size() == 2;
  if (!same_term && e.op != ast::Expr::Op::kEq && e.op != ast::Expr::Op::kNe) return std::nullopt;
  const ast::Expr& x = e.args[0];
  const ast::Expr& y = e.args[1];
  IdComparison c;
  c.equal = e.op != ast::Expr::Op::kNe;
  if (variable(x) && variable(y)) {
    c.a = x.term.slot;
    c.b = y.term.slot;
    if (same_term || not_literals.count(c.a) || not_literals.count(c.b)) return c;
    return std::nullopt;
  }
  // A variable against an IRI.
  const ast::Expr& v = variable(x) ? x : y;
  const ast::Expr& k = variable(x) ? y : x;
  if (!variable(v) || k.op != ast::Expr::Op::kTerm || k.term.is_var) return std::nullopt;
  if (!same_term && k.term.term.kind != TermKind::kIri) return std::nullopt;
  if (same_term && k.term.term.kind == TermKind::kBlankNode) return std::nullopt;  // a query's blank node is a variable
  c.a = v.term.slot;
  c.constant = ctx_.table().Intern(k.term.term);
  return c;
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

std::optional<FilterOp::KeyComparison> FilterOp::AsKeyComparison(const ast::Expr& e) {
  const auto c = AsConstantComparison(e);
  if (!c || c->variable->slot < 0) return std::nullopt;
  const SortKey key = SortKeyOf(c->constant);
  if (key.kind == SortKey::Kind::kOther || key.kind == SortKey::Kind::kNone) return std::nullopt;
  return KeyComparison{c->variable->slot, c->op, key};
}

void FilterOp::Test(std::size_t condition) {
  if (const auto& c = id_comparisons_[condition]) {
    const auto& a = in_.columns[static_cast<std::size_t>(c->a)];
    for (std::size_t row = 0; row < in_.rows; ++row) {
      const TermId other = c->b >= 0 ? in_.at(static_cast<std::size_t>(c->b), row) : c->constant;
      if (keep_[row]) keep_[row] = a[row] != kUnbound && other != kUnbound && (a[row] == other) == c->equal;
    }
    return;
  }
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
  const auto& key = key_comparisons_[condition];
  for (std::size_t row = 0; row < in_.rows; ++row) {
    if (!keep_[row]) continue;
    if (key) {
      const TermId id = in_.at(static_cast<std::size_t>(key->slot), row);
      if (id == kUnbound) {
        keep_[row] = 0;
        continue;
      }
      if (const SortKey k = SortKeyOf(&ctx_.table().Get(id)); k.kind == key->constant.kind) {
        keep_[row] = KeyComparisonHolds(key->op, k.value, key->constant.value);
        continue;
      }
    }
    RowScope scope(ctx_, in_, row);
    keep_[row] = EvaluateBool(*exprs_[condition], scope, ctx_.functions()).value_or(false);
  }
}

// A condition at a time over the whole block, each on the rows the ones before kept.
bool FilterOp::Produce(Block* out) {
  while (out->rows == 0) {
    if (!input_->Next(&in_)) return false;
    if (evaluates_) PrefetchTerms(ctx_, in_, read_slots_);
    keep_.assign(in_.rows, 1);
    for (std::size_t c = 0; c < exprs_.size(); ++c) Test(c);
    for (std::size_t row = 0; row < in_.rows; ++row) {
      if (keep_[row]) out->AppendRow(in_, row);
    }
  }
  return true;
}

}  // namespace parley::query::exec
