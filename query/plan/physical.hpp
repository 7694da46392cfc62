// query/plan/physical.hpp
// The cost-based planner: from a query's algebra to the tree of operators that runs it
// (query/exec/operator.hpp), using the store's statistics. It decides the join order of
// each BGP, how each pattern meets the rows before it (index probes or a hash table of
// its matches), where each filter runs, which graph each pattern matches in, and where
// a top-k replaces a full sort. It is the one place that decides join order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/algebra/algebra.hpp"
#include "query/exec/operator.hpp"

namespace parley::query::plan {

class Planner;

struct PhysicalPlan {
  exec::OperatorPtr root;
  std::vector<int> output_slots;  // per answer column
  // Plans EXISTS patterns while the query runs, for each row's values.
  std::shared_ptr<Planner> planner;
};

// Assigns the query's variables their slots in `ctx` and sets its dataset (FROM, FROM
// NAMED); `syntax` is the query `query` was translated from.
PhysicalPlan BuildPlan(const algebra::Query& query, const ast::Query& syntax, exec::ExecContext& ctx);

// The operator tree as explain prints it: one operator a line with its estimated rows
// and, after a run with profiling on, its actual rows and time.
std::string DescribePlan(const exec::Operator& root, bool analyzed);
void EnableProfiling(exec::Operator& root);

}  // namespace parley::query::plan
