// query/algebra/algebra.hpp
// The SPARQL algebra (SPARQL 1.1 §18): what a query means, as a tree of operators,
// translated from the syntax tree once (translate.cpp) and rewritten (rewrite.cpp)
// before the planner (query/plan/) chooses how to run it. Boost-free, store-free.
//
// Expressions stay ast::Expr. Aggregates are taken out of them during translation: a
// Group node holds each aggregate once, bound to an internal variable (".agg0", ...),
// and the expressions above it read that variable, as §18.2.4.1 prescribes.
//
// Variables form one namespace per query: a sub-select's variables that it does not
// project are renamed (".s1.x") so that they can never meet the outer query's.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "query/ast.hpp"

namespace parley::query::algebra {

enum class Op : std::uint8_t {
  kBgp,        // triples: plain triple patterns (a variable or IRI predicate)
  kPath,       // triples[0]: one triple pattern whose predicate is a property path
  kTable,      // table: VALUES rows; no variables and one row is the unit table Z
  kJoin,       // children[0] ⋈ children[1]
  kLeftJoin,   // children[0] ⟕ children[1], keeping a pair only where `exprs` (a conjunction) hold
  kFilter,     // children[0], the rows where every one of `exprs` is true
  kUnion,      // children[0] ∪ children[1]
  kMinus,      // children[0] less the rows compatible with one of children[1] sharing a variable
  kGraph,      // children[0] evaluated in the graph `graph` (an IRI, or a variable over named graphs)
  kExtend,     // children[0] with `var` bound to exprs[0] (left unbound on error)
  kGroup,      // children[0] grouped on `keys`, with `aggregates` computed per group
  kOrderBy,    // children[0] sorted by `order`
  kProject,    // children[0] with only `vars`
  kDistinct,   // children[0] without duplicate rows
  kReduced,    // children[0], duplicates may be dropped
  kSlice,      // children[0] from `offset`, at most `limit` rows
};

// One aggregate of a Group: `var` is bound to `call` (an ast::Expr of kind kAggregate).
struct Aggregate {
  std::string var;
  ast::Expr call;
};

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node {
  Op op = Op::kTable;
  std::vector<NodePtr> children;
  std::vector<ast::TriplePattern> triples;        // kBgp, kPath
  std::vector<ast::Expr> exprs;                   // kFilter, kLeftJoin: conjuncts; kExtend: one
  std::string var;                                // kExtend
  ast::PatternTerm graph;                         // kGraph
  ast::ValuesBlock table;                         // kTable
  std::vector<std::string> keys;                  // kGroup: variables (an expression key gets an Extend below)
  std::vector<Aggregate> aggregates;              // kGroup
  std::vector<ast::OrderCondition> order;         // kOrderBy
  std::vector<std::string> vars;                  // kProject
  std::uint64_t offset = 0;                       // kSlice
  std::optional<std::uint64_t> limit;             // kSlice

  static NodePtr Make(Op op);
  static NodePtr Unit();  // Z: one solution binding nothing
  static NodePtr Wrap(Op op, NodePtr child);
  static NodePtr Pair(Op op, NodePtr left, NodePtr right);
  bool IsUnit() const { return op == Op::kTable && table.vars.empty() && table.rows.size() == 1; }
  bool IsEmpty() const { return op == Op::kTable && table.rows.empty(); }
};

// A whole query in algebra: the pattern with its modifiers as one tree, and what the
// query form needs around it.
struct Query {
  ast::Query::Form form = ast::Query::Form::kSelect;
  NodePtr root;
  std::vector<std::string> vars;  // the answer's columns, in order (SELECT; DESCRIBE's variables)
  // EXISTS patterns met in expressions, translated once; an ast::Expr's pattern pointer finds its
  // own here.
  std::vector<std::pair<const ast::GroupPattern*, NodePtr>> exists;
  const Node* ExistsPattern(const ast::GroupPattern* pattern) const;
};

// Translates a parsed query (§18.2). The query must outlive the result: EXISTS
// patterns are found by their syntax tree's address.
Query Translate(const ast::Query& query);

// Translates one group graph pattern (§18.2.2), as the rest of the translation does;
// for tests and for EXISTS.
NodePtr TranslateGroup(const ast::GroupPattern& group);

// The rewrites that change no answer and make a better plan possible: conjunctions split,
// filters pushed down to the operand that binds their variables (through joins, the left
// of a LeftJoin, Extend and Union), constant expressions folded, Join with Z removed, and
// joined BGPs merged into one, so that the planner sees all of a BGP at once.
void Rewrite(Query& query);
NodePtr Rewrite(NodePtr node);

// The variables every solution of `node` binds, and those some solution may bind.
std::set<std::string> CertainVars(const Node& node);
std::set<std::string> PossibleVars(const Node& node);
// The variables an expression mentions (EXISTS patterns included), and whether it holds EXISTS.
void ExprVars(const ast::Expr& e, std::set<std::string>* out, bool* has_exists = nullptr);

// The tree in the spec's notation, one operator a line, indented by depth: for tests and
// for `explain --algebra`.
std::string Print(const Node& node);
std::string PrintExpr(const ast::Expr& e);
std::string PrintPath(const ast::Path& path);

}  // namespace parley::query::algebra
