// query/plan/planner.hpp
// The plan of a group graph pattern, decided once from the syntax tree and the store's
// statistics: the order its elements run in, where each filter runs, whether a nested
// group runs once per input row (correlated) or once on its own (materialised), and the
// join order of each basic graph pattern given which variables are bound on entry.
//
// The evaluator executes these plans and `explain` prints them, so what `explain`
// shows is what runs. Nothing here reads the store; statistics come in through
// PredicateFacts.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "query/ast.hpp"

namespace parley::query::plan {

// The variables a set of triple patterns mentions.
std::set<std::string> TripleVars(const std::vector<ast::TriplePattern>& triples);

// The variables an expression mentions, and whether it holds EXISTS / NOT EXISTS.
void ExprVarNames(const ast::Expr& e, std::set<std::string>* out, bool* has_exists);

// Whether a group can run with an outer solution pushed into it: it holds only triples
// and filters, and (unless `filters_may_see_outside`, as in OPTIONAL's LeftJoin) no
// filter mentions a variable its triples do not bind, so pushing cannot change what a
// filter sees.
bool Correlatable(const ast::GroupPattern& g, bool filters_may_see_outside);

// Whether a group's triples hold a property path other than a plain predicate.
bool HasPaths(const ast::GroupPattern& g);

// A BGP of at most this many patterns is joined as one; a longer one a slice of this
// many at a time (each pattern is a level of the evaluator's recursion).
inline constexpr std::size_t kJoinedPatterns = 64;

// The steps of a group: its non-filter elements in order, triple blocks that only
// filters separate joined into one BGP (a filter's scope is the whole group, so this
// changes no answer and lets the BGP's join order span them), and for each filter the
// step where it runs. A filter runs as soon as the triples and BINDs before it have
// bound every variable it mentions: inside a BGP's join when that BGP binds the last
// of them, otherwise before the next step. One with EXISTS waits for the whole group.
struct GroupPlan {
  std::vector<const ast::Element*> steps;
  std::vector<std::vector<const ast::Expr*>> filters_before;  // steps.size() + 1 entries
  std::vector<std::vector<const ast::Expr*>> inside;          // per step: filters in its BGP's join
  std::vector<std::unique_ptr<ast::Element>> joined;          // the BGPs made from adjacent ones
};
GroupPlan PlanGroup(const ast::GroupPattern& g, bool skip_filters);

// The literal text a filter requires ?v to start with: STRSTARTS(?v, "text") or
// REGEX(?v, "^text") without flags, where "text" holds no regex operator.
struct RequiredPrefix {
  std::string var;
  std::string prefix;
};
std::optional<RequiredPrefix> PrefixOf(const ast::Expr& filter);

// For a group of triple patterns and filters only: the filter whose required prefix
// binds an object variable of the triples, if any. The evaluator then binds that
// variable to the dictionary's strings with the prefix instead of scanning.
std::optional<RequiredPrefix> PrefixCandidate(const GroupPlan& plan, const std::set<std::string>& bound);

// Where each of `filters` runs in a BGP joined in `order`: the number of patterns
// after which all of its variables are bound (0: before the first), given `bound` on
// entry.
std::vector<std::size_t> FilterPositions(const std::vector<ast::TriplePattern>& triples,
                                         const std::vector<struct OrderedPattern>& order,
                                         const std::vector<const ast::Expr*>& filters, const std::set<std::string>& bound);

// What the store says of a pattern's predicate: a constant predicate it has (with its
// counts), one it does not have (nothing matches), or no constant predicate.
struct PredicateFacts {
  enum class Kind : std::uint8_t { kCounted, kAbsent, kUnknown };
  Kind kind = Kind::kUnknown;
  double quads = 0, subjects = 1, objects = 1;
};
using FactsOf = std::function<PredicateFacts(const ast::TriplePattern&)>;

// Expected matches of one pattern when the variables in `bound` are bound.
double EstimateRows(const ast::TriplePattern& t, const std::set<std::string>& bound, const PredicateFacts& facts);

// The join order of triples[first, last): at each step the pattern with the fewest
// expected rows given what the steps before it bind. Index nested loops run it in
// this order.
struct OrderedPattern {
  std::size_t index;  // into the BGP's triples
  double estimate;
};
std::vector<OrderedPattern> OrderPatterns(const std::vector<ast::TriplePattern>& triples, std::size_t first,
                                          std::size_t last, std::set<std::string> bound, const FactsOf& facts);

// The variables every solution of a step binds, added to `bound` (explain follows the
// bindings forward this way; the evaluator reads them off each solution).
void AddCertainVars(const ast::Element& e, std::set<std::string>* bound);

}  // namespace parley::query::plan
