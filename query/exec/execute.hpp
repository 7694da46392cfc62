// query/exec/execute.hpp
// The executing end of the pipeline (query/engine.cpp parses and validates first):
// runs a parsed query over a QuadSource, and prints the plan it runs.
#pragma once

#include <string>

#include "query/ast.hpp"
#include "query/engine.hpp"

namespace parley::query {

// Runs `query`; its answer goes to `sink` as it is found.
Status Execute(const ast::Query& query, const QuadSource& source, const TermDictionary& dictionary,
               const QueryOptions& options, ResultSink& sink);

// The plan that Execute runs, as an indented tree; with `analyze` the query runs too and
// each operator shows its rows and time.
Result<std::string> ExplainPlan(const ast::Query& query, const QuadSource& source, const TermDictionary& dictionary,
                                const QueryOptions& options, bool analyze);

}  // namespace parley::query
