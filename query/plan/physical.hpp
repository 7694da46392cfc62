// query/plan/physical.hpp
// The cost-based planner: from a query's algebra to the tree of operators that runs it
// (query/exec/operator.hpp), using the store's statistics. It decides the join order of
// each BGP, how each pattern meets the rows before it (index probes or a hash table of
// its matches), where each filter runs, and where a top-k replaces a full sort.
#pragma once

#include <string>
#include <vector>

#include "query/algebra/algebra.hpp"
#include "query/exec/operator.hpp"

namespace parley::query::plan {

// Whether the operators cover everything the query uses. The evaluator (query/exec/
// evaluator.hpp) still runs the rest — property paths, GRAPH, MINUS, EXISTS, FROM,
// CONSTRUCT and DESCRIBE — until they move here.
bool Supported(const algebra::Query& query, const ast::Query& syntax);

struct PhysicalPlan {
  exec::OperatorPtr root;
  std::vector<int> output_slots;  // per answer column
};

// REQUIRES: Supported(query). Assigns the query's variables their slots in `ctx`.
PhysicalPlan BuildPlan(const algebra::Query& query, exec::ExecContext& ctx);

// The operator tree as explain prints it: one operator a line with its estimated rows
// and, after a run with profiling on, its actual rows and time.
std::string DescribePlan(const exec::Operator& root, bool analyzed);
void EnableProfiling(exec::Operator& root);

}  // namespace parley::query::plan
