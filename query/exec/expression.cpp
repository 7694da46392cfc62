// query/exec/expression.cpp
// Expression evaluation: the operator mapping of §17.3 over query/exec/values.hpp.
#include "query/exec/expression.hpp"

#include <algorithm>

#include "query/exec/values.hpp"

namespace parley::query::exec {
namespace {

using Op = ast::Expr::Op;

std::optional<Term> Call(const ast::Expr& e, ExprScope& scope, FunctionContext& fn) {
  if (e.name == "BOUND") {
    if (e.args.size() != 1 || e.args[0].op != Op::kTerm || !e.args[0].term.is_var) return std::nullopt;
    return BooleanTerm(scope.Value(e.args[0].term).has_value());
  }
  if (e.name == "IF") {
    if (e.args.size() != 3) return std::nullopt;
    auto c = EvaluateBool(e.args[0], scope, fn);
    if (!c) return std::nullopt;
    return Evaluate(e.args[*c ? 1 : 2], scope, fn);
  }
  if (e.name == "COALESCE") {
    for (const auto& a : e.args) {
      if (auto v = Evaluate(a, scope, fn)) return v;
    }
    return std::nullopt;
  }
  std::vector<std::optional<Term>> args;
  args.reserve(e.args.size());
  for (const auto& a : e.args) args.push_back(Evaluate(a, scope, fn));
  return CallFunction(e.name, args, fn);
}

// An operand's term: a constant's, or a variable's where it lies; else evaluated into
// `held`. nullptr for an error or an unbound variable. (Copying both terms, strings and
// all, was most of a date comparison's time.)
const Term* Operand(const ast::Expr& a, ExprScope& scope, FunctionContext& fn, std::optional<Term>* held) {
  if (a.op == Op::kTerm && !a.term.is_var) return &a.term.term;
  const Term* term = nullptr;
  if (a.op == Op::kTerm && scope.Peek(a.term, &term)) return term;
  *held = Evaluate(a, scope, fn);
  return *held ? &**held : nullptr;
}

// The truth of a logical operator or a comparison, with no boolean term made for it or
// its operands (a FILTER asks this of every row).
std::optional<bool> Decide(const ast::Expr& e, ExprScope& scope, FunctionContext& fn) {
  switch (e.op) {
    case Op::kOr:
    case Op::kAnd: {
      // Any operand equal to the deciding value decides; otherwise an error in any
      // operand is an error (SPARQL's logical-or and logical-and, §17.2).
      const bool decides = e.op == Op::kOr;
      bool error = false;
      for (const ast::Expr& operand : e.args) {
        auto v = EvaluateBool(operand, scope, fn);
        if (v && *v == decides) return decides;
        if (!v) error = true;
      }
      if (error) return std::nullopt;
      return !decides;
    }
    case Op::kNot: {
      auto v = EvaluateBool(e.args[0], scope, fn);
      if (!v) return std::nullopt;
      return !*v;
    }
    default: {  // a comparison, of the operands' terms where they lie when they can be
      std::optional<Term> held_l, held_r;
      const Term* l = Operand(e.args[0], scope, fn, &held_l);
      const Term* r = Operand(e.args[1], scope, fn, &held_r);
      if (!l || !r) return std::nullopt;
      if (e.op == Op::kEq || e.op == Op::kNe) {
        auto eq = ValueEquals(*l, *r);
        if (!eq) return std::nullopt;
        return e.op == Op::kEq ? *eq : !*eq;
      }
      auto c = ValueCompare(*l, *r);
      if (!c) return std::nullopt;
      return e.op == Op::kLt ? *c < 0 : e.op == Op::kGt ? *c > 0 : e.op == Op::kLe ? *c <= 0 : *c >= 0;
    }
  }
}

bool Decided(Op op) {
  constexpr Op kDecided[] = {Op::kOr, Op::kAnd, Op::kNot, Op::kEq, Op::kNe, Op::kLt, Op::kGt, Op::kLe, Op::kGe};
  return std::find(std::begin(kDecided), std::end(kDecided), op) != std::end(kDecided);
}

}  // namespace

std::optional<Term> Evaluate(const ast::Expr& e, ExprScope& scope, FunctionContext& fn) {
  switch (e.op) {
    case Op::kTerm:
      if (!e.term.is_var) return e.term.term;
      return scope.Value(e.term);
    case Op::kOr:
    case Op::kAnd:
    case Op::kNot:
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kGt:
    case Op::kLe:
    case Op::kGe: {
      const auto truth = Decide(e, scope, fn);
      if (!truth) return std::nullopt;
      return BooleanTerm(*truth);
    }
    case Op::kIn:
    case Op::kNotIn: {
      auto l = Evaluate(e.args[0], scope, fn);
      if (!l) return std::nullopt;
      bool error = false;
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        auto r = Evaluate(e.args[i], scope, fn);
        auto eq = r ? ValueEquals(*l, *r) : std::nullopt;
        if (eq && *eq) return BooleanTerm(e.op == Op::kIn);
        if (!eq) error = true;
      }
      if (error) return std::nullopt;
      return BooleanTerm(e.op == Op::kNotIn);
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv: {
      const char op = e.op == Op::kAdd ? '+' : e.op == Op::kSub ? '-' : e.op == Op::kMul ? '*' : '/';
      auto value = Evaluate(e.args[0], scope, fn);
      for (std::size_t i = 1; value && i < e.args.size(); ++i) {  // from the left
        auto r = Evaluate(e.args[i], scope, fn);
        if (!r) return std::nullopt;
        value = Arithmetic(op, *value, *r);
      }
      return value;
    }
    case Op::kNeg:
    case Op::kPlus: {
      auto v = Evaluate(e.args[0], scope, fn);
      if (!v) return std::nullopt;
      auto n = AsNumeric(*v);
      if (!n) return std::nullopt;
      if (n->kind == Numeric::Kind::kInteger) {  // exact, as integers have no bound
        return Arithmetic(e.op == Op::kNeg ? '-' : '+', IntegerTerm(0), *v);
      }
      if (e.op == Op::kNeg) n->value = -n->value;
      return NumericTerm(*n);
    }
    case Op::kExists:
    case Op::kNotExists: {
      auto found = scope.Exists(e);
      if (!found) return std::nullopt;
      return BooleanTerm(e.op == Op::kExists ? *found : !*found);
    }
    case Op::kAggregate:
      return std::nullopt;  // the algebra has replaced every aggregate by its variable
    case Op::kCall:
      return Call(e, scope, fn);
  }
  return std::nullopt;
}

std::optional<bool> EvaluateBool(const ast::Expr& e, ExprScope& scope, FunctionContext& fn) {
  if (Decided(e.op)) return Decide(e, scope, fn);
  auto v = Evaluate(e, scope, fn);
  if (!v) return std::nullopt;
  return EffectiveBoolean(*v);
}

std::optional<ConstantComparison> AsConstantComparison(const ast::Expr& e) {
  if (e.op != Op::kLt && e.op != Op::kLe && e.op != Op::kGt && e.op != Op::kGe && e.op != Op::kEq && e.op != Op::kNe) {
    return std::nullopt;
  }
  auto variable = [](const ast::Expr& a) { return a.op == Op::kTerm && a.term.is_var; };
  auto constant = [](const ast::Expr& a) { return a.op == Op::kTerm && !a.term.is_var; };
  if (variable(e.args[0]) && constant(e.args[1])) return ConstantComparison{&e.args[0].term, &e.args[1].term.term, e.op};
  if (!constant(e.args[0]) || !variable(e.args[1])) return std::nullopt;
  const Op op = e.op == Op::kLt ? Op::kGt : e.op == Op::kGt ? Op::kLt : e.op == Op::kLe ? Op::kGe : e.op == Op::kGe ? Op::kLe : e.op;
  return ConstantComparison{&e.args[1].term, &e.args[0].term.term, op};
}

bool IsVolatile(const ast::Expr& e) {
  static const char* const kVolatile[] = {"RAND", "NOW", "UUID", "STRUUID", "BNODE"};
  if (e.op == Op::kCall && std::find(std::begin(kVolatile), std::end(kVolatile), e.name) != std::end(kVolatile)) {
    return true;
  }
  return std::any_of(e.args.begin(), e.args.end(), [](const ast::Expr& a) { return IsVolatile(a); });
}

}  // namespace parley::query::exec
