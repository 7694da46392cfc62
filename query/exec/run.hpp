// query/exec/run.hpp
// The operator pipeline's entry: algebra -> plan (query/plan/physical.hpp) -> operators.
#pragma once

#include <string>

#include "query/algebra/algebra.hpp"
#include "query/engine.hpp"

namespace parley::query::exec {

// Whether the operators run this query (the evaluator runs the rest for now).
bool RunsOnOperators(const algebra::Query& query, const ast::Query& syntax);

Status RunOnOperators(const algebra::Query& query, const QuadSource& source, const TermDictionary& dictionary,
                      const QueryOptions& options, ResultSink& sink);

Result<std::string> ExplainOperators(const algebra::Query& query, const QuadSource& source,
                                     const TermDictionary& dictionary, const QueryOptions& options, bool analyze);

}  // namespace parley::query::exec
