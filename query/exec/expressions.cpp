// query/exec/expressions.cpp
// FILTER and BIND expressions on terms, with the built-in functions of
// query/exec/functions.cpp.
#include "query/exec/evaluator.hpp"

namespace parley::query::exec {

std::optional<Term> Evaluator::Eval(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx,
                                    const std::vector<Binding>* group) {
  switch (e.op) {
    case Op::kTerm: {
      if (!e.term.is_var) return e.term.term;
      const std::size_t slot = SlotOf(f, e.term);
      if (slot >= b.size() || b[slot] == kUnbound) return std::nullopt;
      return table_.Get(b[slot]);
    }
    case Op::kOr:
    case Op::kAnd: {
      // Any operand equal to the deciding value decides; otherwise an error in any
      // operand is an error (SPARQL's logical-or and logical-and, §17.2).
      const bool decides = e.op == Op::kOr;
      bool error = false;
      for (const ast::Expr& operand : e.args) {
        auto v = EvalBool(f, operand, b, ctx, group);
        if (v && *v == decides) return exec::BooleanTerm(decides);
        if (!v) error = true;
      }
      if (error) return std::nullopt;
      return exec::BooleanTerm(!decides);
    }
    case Op::kNot: {
      auto v = EvalBool(f, e.args[0], b, ctx, group);
      if (!v) return std::nullopt;
      return exec::BooleanTerm(!*v);
    }
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kGt:
    case Op::kLe:
    case Op::kGe: {
      auto l = Eval(f, e.args[0], b, ctx, group), r = Eval(f, e.args[1], b, ctx, group);
      if (!l || !r) return std::nullopt;
      if (e.op == Op::kEq || e.op == Op::kNe) {
        auto eq = exec::ValueEquals(*l, *r);
        if (!eq) return std::nullopt;
        return exec::BooleanTerm(e.op == Op::kEq ? *eq : !*eq);
      }
      auto c = exec::ValueCompare(*l, *r);
      if (!c) return std::nullopt;
      bool v = e.op == Op::kLt ? *c < 0 : e.op == Op::kGt ? *c > 0 : e.op == Op::kLe ? *c <= 0 : *c >= 0;
      return exec::BooleanTerm(v);
    }
    case Op::kIn:
    case Op::kNotIn: {
      auto l = Eval(f, e.args[0], b, ctx, group);
      if (!l) return std::nullopt;
      bool error = false;
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        auto r = Eval(f, e.args[i], b, ctx, group);
        auto eq = r ? exec::ValueEquals(*l, *r) : std::nullopt;
        if (eq && *eq) return exec::BooleanTerm(e.op == Op::kIn);
        if (!eq) error = true;
      }
      if (error) return std::nullopt;
      return exec::BooleanTerm(e.op == Op::kNotIn);
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv: {
      const char op = e.op == Op::kAdd ? '+' : e.op == Op::kSub ? '-' : e.op == Op::kMul ? '*' : '/';
      auto value = Eval(f, e.args[0], b, ctx, group);
      for (std::size_t i = 1; value && i < e.args.size(); ++i) {  // from the left
        auto r = Eval(f, e.args[i], b, ctx, group);
        if (!r) return std::nullopt;
        value = exec::Arithmetic(op, *value, *r);
      }
      return value;
    }
    case Op::kNeg:
    case Op::kPlus: {
      auto v = Eval(f, e.args[0], b, ctx, group);
      if (!v) return std::nullopt;
      auto n = exec::AsNumeric(*v);
      if (!n) return std::nullopt;
      if (n->kind == exec::Numeric::Kind::kInteger) {  // exact, as integers have no bound
        return exec::Arithmetic(e.op == Op::kNeg ? '-' : '+', exec::IntegerTerm(0), *v);
      }
      if (e.op == Op::kNeg) n->value = -n->value;
      return exec::NumericTerm(*n);
    }
    case Op::kExists:
    case Op::kNotExists: {
      bool found = false;
      Binding copy = b;
      copy.resize(std::max(copy.size(), f.slots.size() + 8), kUnbound);
      EvalGroup(f, *e.pattern, ctx, copy, [&](Binding&) {
        found = true;
        return false;
      });
      return exec::BooleanTerm(e.op == Op::kExists ? found : !found);
    }
    case Op::kAggregate: {
      if (agg_values_ == nullptr) return std::nullopt;
      for (const auto& [aggregate, value] : *agg_values_) {
        if (aggregate == &e) return value;
      }
      return std::nullopt;
    }
    case Op::kCall:
      return Call(f, e, b, ctx, group);
  }
  return std::nullopt;
}

std::optional<bool> Evaluator::EvalBool(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx,
                                        const std::vector<Binding>* group) {
  auto v = Eval(f, e, b, ctx, group);
  if (!v) return std::nullopt;
  return exec::EffectiveBoolean(*v);
}

std::optional<Term> Evaluator::Call(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx,
                                    const std::vector<Binding>* group) {
  if (e.name == "BOUND") {
    if (e.args.size() != 1 || e.args[0].op != Op::kTerm || !e.args[0].term.is_var) return std::nullopt;
    int slot = f.Find(e.args[0].term.var);
    return exec::BooleanTerm(slot >= 0 && b[static_cast<std::size_t>(slot)] != kUnbound);
  }
  if (e.name == "IF") {
    if (e.args.size() != 3) return std::nullopt;
    auto c = EvalBool(f, e.args[0], b, ctx, group);
    if (!c) return std::nullopt;
    return Eval(f, e.args[*c ? 1 : 2], b, ctx, group);
  }
  if (e.name == "COALESCE") {
    for (const auto& a : e.args) {
      if (auto v = Eval(f, a, b, ctx, group)) return v;
    }
    return std::nullopt;
  }
  std::vector<std::optional<Term>> args;
  for (const auto& a : e.args) args.push_back(Eval(f, a, b, ctx, group));
  return exec::CallFunction(e.name, args, fn_);
}

}  // namespace parley::query::exec
