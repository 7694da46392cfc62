// query/algebra/fold.hpp
// Constant folding: a part of an expression that reads no variable has one value for
// every row, so it is computed once, before the query runs.
#pragma once

#include "query/ast.hpp"

namespace parley::query::algebra {

// Replaces each constant sub-expression of `e` by its value. A sub-expression whose
// value is an error, or that can differ between calls (RAND, NOW, BNODE, UUID,
// STRUUID) or depends on the query's base (IRI), is left as it is.
void FoldConstants(ast::Expr& e);

// What a filter condition is known to be before any row is seen.
enum class Truth : std::uint8_t { kTrue, kFalse, kUnknown };
Truth ConstantTruth(const ast::Expr& e);

}  // namespace parley::query::algebra
