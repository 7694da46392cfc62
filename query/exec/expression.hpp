// query/exec/expression.hpp
// SPARQL expressions (§17) on terms: the operators, the functional forms (BOUND, IF,
// COALESCE, EXISTS) and the built-in functions of functions.cpp. What an expression
// reads comes through an ExprScope, so the same evaluator serves a row of an operator's
// block and the planner's constant folding (a scope with no variables).
#pragma once

#include <optional>

#include "query/ast.hpp"
#include "query/exec/functions.hpp"

namespace parley::query::exec {

class ExprScope {
 public:
  virtual ~ExprScope() = default;
  // The variable's value; nullopt when it is unbound.
  virtual std::optional<Term> Value(const ast::PatternTerm& var) = 0;
  // The variable's value where it lies, without a copy: *term is set (nullptr when
  // unbound) and true returned, or false when this scope cannot (then ask Value).
  virtual bool Peek(const ast::PatternTerm& var, const Term** term) {
    (void)var;
    (void)term;
    return false;
  }
  // Whether EXISTS { e.pattern } has a solution with this scope's values substituted;
  // nullopt when it cannot be told (an error).
  virtual std::optional<bool> Exists(const ast::Expr& e) = 0;
};

// nullopt is SPARQL's error.
std::optional<Term> Evaluate(const ast::Expr& e, ExprScope& scope, FunctionContext& fn);
// The effective boolean value (§17.2.2) of Evaluate.
std::optional<bool> EvaluateBool(const ast::Expr& e, ExprScope& scope, FunctionContext& fn);

// Whether the expression's value can differ between two calls with the same variables:
// RAND, NOW (fixed per query, but not known before it runs), UUID, STRUUID, BNODE.
bool IsVolatile(const ast::Expr& e);

// A comparison (<, <=, >, >=, =, !=) of a variable with a constant, either way round,
// read with the variable on the left: `5 < ?v` is `?v > 5`.
struct ConstantComparison {
  const ast::PatternTerm* variable;
  const Term* constant;
  ast::Expr::Op op;
};
std::optional<ConstantComparison> AsConstantComparison(const ast::Expr& e);

}  // namespace parley::query::exec
