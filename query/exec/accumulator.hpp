// query/exec/accumulator.hpp
// One aggregate's running state for one group (§18.5's set functions), for the group
// operator's aggregates that are not counts of ids.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "query/ast.hpp"
#include "query/exec/values.hpp"
#include "store/quad.hpp"

namespace parley::query::exec {

struct Accumulator {
  long long count = 0;
  std::optional<Term> value;  // running sum, best so far, or the sample
  SortKey key;                // MIN and MAX: the best value's
  bool error = false, first = true;
  std::string concat;
  std::set<std::string> seen;               // DISTINCT values
  std::set<std::vector<TermId>> seen_rows;  // COUNT(DISTINCT *)
};

// Adds one row's value of the aggregate's argument (nullopt: unbound or an error).
void Accumulate(const ast::Expr& aggregate, std::optional<Term> value, Accumulator* acc);

// MIN (`min`) or MAX: keeps `value` when it comes before (after) the best so far.
void AccumulateBest(bool min, const Term& value, Accumulator* acc);

// The aggregate's value for the group; nullopt for an error.
std::optional<Term> FinishAggregate(const ast::Expr& aggregate, const Accumulator& acc);

}  // namespace parley::query::exec
