// query/algebra/fold.cpp
#include "query/algebra/fold.hpp"

#include <algorithm>

#include "query/exec/expression.hpp"
#include "query/exec/values.hpp"

namespace parley::query::algebra {
namespace {

using Op = ast::Expr::Op;

// A scope with no variables: folding only ever evaluates expressions that read none.
class NoVariables final : public exec::ExprScope {
 public:
  std::optional<Term> Value(const ast::PatternTerm&) override { return std::nullopt; }
  std::optional<bool> Exists(const ast::Expr&) override { return std::nullopt; }
};

bool IsConstantTerm(const ast::Expr& e) { return e.op == Op::kTerm && !e.term.is_var; }

bool Foldable(const ast::Expr& e) {
  if (e.op == Op::kTerm || e.op == Op::kExists || e.op == Op::kNotExists || e.op == Op::kAggregate) return false;
  if (e.op == Op::kCall && (e.name == "IRI" || e.name == "URI" || e.name == "BOUND")) return false;
  if (exec::IsVolatile(e)) return false;
  return std::all_of(e.args.begin(), e.args.end(), IsConstantTerm);
}

}  // namespace

void FoldConstants(ast::Expr& e) {
  for (auto& a : e.args) FoldConstants(a);
  if (!Foldable(e)) return;
  NoVariables scope;
  exec::FunctionContext fn;
  auto value = exec::Evaluate(e, scope, fn);
  if (!value) return;  // the error is raised where the row is, as before
  ast::Expr folded;
  folded.term = ast::PatternTerm::Of(std::move(*value));
  e = std::move(folded);
}

Truth ConstantTruth(const ast::Expr& e) {
  if (!IsConstantTerm(e)) return Truth::kUnknown;
  auto truth = exec::EffectiveBoolean(e.term.term);
  if (!truth) return Truth::kFalse;  // an error rejects every row
  return *truth ? Truth::kTrue : Truth::kFalse;
}

}  // namespace parley::query::algebra
