// query/ast.hpp
// The syntax tree of a SPARQL 1.1 query, as the parser builds it. Boost-free: the
// algebra (algebra.hpp) and everything after it see only these types. IRIs here are
// already resolved (prefixes expanded, relative IRIs resolved against the base).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/term.hpp"

namespace parley::query::ast {

// A variable or an RDF term in a pattern. Blank nodes in patterns act as variables
// that cannot be projected; the parser names them "_:label".
struct PatternTerm {
  bool is_var = false;
  std::string var;  // without '?' or '$'
  Term term;
  mutable int slot = -1;  // the variable's slot in its query's rows, set by the planner
  static PatternTerm Var(std::string name) { return PatternTerm{true, std::move(name), {}}; }
  static PatternTerm Of(Term t) { return PatternTerm{false, {}, std::move(t)}; }
};

// A property path. A plain predicate is a kLink.
struct Path {
  enum class Op : std::uint8_t { kLink, kInverse, kSequence, kAlternative, kZeroOrMore, kOneOrMore, kZeroOrOne, kNegated };
  Op op = Op::kLink;
  std::string iri;             // kLink
  std::vector<Path> children;  // kInverse etc: one; kSequence/kAlternative: two or more
  // kNegated: the excluded predicates, each forward or inverse (^iri).
  std::vector<std::pair<bool, std::string>> negated;
  bool IsLink() const { return op == Op::kLink; }
};

struct GroupPattern;
struct Query;

struct Expr {
  enum class Op : std::uint8_t {
    kTerm,      // term
    kOr, kAnd, kNot,
    kEq, kNe, kLt, kGt, kLe, kGe,
    kIn, kNotIn,  // args[0] IN (args[1..])
    kAdd, kSub, kMul, kDiv, kNeg, kPlus,
    kCall,      // name: a built-in (upper case) or a function IRI
    kExists, kNotExists,
    kAggregate, // name: COUNT, SUM, MIN, MAX, AVG, SAMPLE, GROUP_CONCAT; args empty for COUNT(*)
  };
  Op op = Op::kTerm;
  PatternTerm term;
  std::string name;
  // The operands. &&, ||, +, -, * and / chains are one node with every operand, folded
  // from the left ("a - b - c" is one kSub of three), so that a long chain is not a
  // deep tree.
  std::vector<Expr> args;
  std::uint32_t height = 1;   // levels of expression in this one; the parser bounds it
  bool distinct = false;      // aggregates
  std::string separator = " ";  // GROUP_CONCAT
  std::shared_ptr<GroupPattern> pattern;  // EXISTS
};

struct TriplePattern {
  PatternTerm subject;
  Path path;  // a kLink path for a plain predicate; is_var_predicate for ?p
  bool predicate_is_var = false;
  std::string predicate_var;
  PatternTerm object;
};

struct ValuesBlock {
  std::vector<std::string> vars;
  std::vector<std::vector<std::optional<Term>>> rows;  // nullopt = UNDEF
};

struct Element {
  enum class Kind : std::uint8_t { kTriples, kGroup, kOptional, kMinus, kUnion, kGraph, kFilter, kBind, kValues, kSubSelect };
  Kind kind = Kind::kTriples;
  std::vector<TriplePattern> triples;          // kTriples
  std::vector<GroupPattern> groups;            // kGroup/kOptional/kMinus/kGraph: one; kUnion: two or more
  PatternTerm graph;                           // kGraph
  Expr expr;                                   // kFilter, kBind
  std::string var;                             // kBind
  ValuesBlock values;                          // kValues
  std::shared_ptr<Query> subquery;             // kSubSelect
};

struct GroupPattern {
  std::vector<Element> elements;
};

struct Projection {
  std::string var;
  std::optional<Expr> expr;  // (expr AS ?var)
};

struct OrderCondition {
  Expr expr;
  bool descending = false;
};

struct GroupCondition {
  Expr expr;
  std::string var;  // (expr AS ?var); "" when none
};

struct Query {
  enum class Form : std::uint8_t { kSelect, kAsk, kConstruct, kDescribe };
  Form form = Form::kSelect;
  bool distinct = false, reduced = false;
  bool select_all = false;          // SELECT * / DESCRIBE *
  std::vector<Projection> projection;
  std::vector<TriplePattern> construct_template;
  std::vector<PatternTerm> describe;
  std::vector<std::string> from, from_named;
  GroupPattern where;
  bool has_where = true;            // DESCRIBE <x> may have none
  std::vector<GroupCondition> group_by;
  std::vector<Expr> having;
  std::vector<OrderCondition> order_by;
  std::optional<std::uint64_t> limit, offset;
  std::optional<ValuesBlock> values;  // trailing VALUES
};

// ---- SPARQL 1.1 Update

// One quad of an INSERT/DELETE template or of INSERT/DELETE DATA. Blank nodes are
// variables named "_:label", as in patterns.
struct QuadTemplate {
  std::optional<PatternTerm> graph;  // unset: the default graph (or WITH's graph)
  PatternTerm subject, predicate, object;
};

// The graph an operation names: GRAPH <iri>, DEFAULT, NAMED (every named graph) or ALL.
struct GraphTarget {
  enum class Kind : std::uint8_t { kDefault, kGraph, kNamed, kAll };
  Kind kind = Kind::kDefault;
  std::string iri;  // kGraph
};

struct UpdateOperation {
  enum class Kind : std::uint8_t {
    kInsertData, kDeleteData, kDeleteWhere, kModify, kLoad, kClear, kDrop, kCreate, kAdd, kMove, kCopy
  };
  Kind kind = Kind::kInsertData;
  bool silent = false;
  std::vector<QuadTemplate> delete_quads, insert_quads;  // DATA, DELETE WHERE and Modify
  std::optional<std::string> with;                       // Modify: WITH <iri>
  std::vector<std::string> using_graphs, using_named;    // Modify: USING, USING NAMED
  GroupPattern where;                                    // Modify
  std::string document;                                  // LOAD: the IRI read
  GraphTarget from;                                      // ADD, MOVE, COPY
  GraphTarget target;                                    // LOAD INTO, CLEAR, DROP, CREATE, ADD/MOVE/COPY TO
  bool has_target = false;                               // LOAD without INTO loads the default graph
};

// A request: operations separated by ';', run in order as one transaction.
struct Update {
  std::vector<UpdateOperation> operations;
};

}  // namespace parley::query::ast
