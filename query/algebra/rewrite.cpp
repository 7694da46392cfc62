// query/algebra/rewrite.cpp
// Variable sets of algebra nodes, and the rewrites that keep every answer the same:
// each rule below says why it is sound.
#include <algorithm>
#include <functional>
#include <iterator>

#include "query/algebra/algebra.hpp"
#include "query/algebra/fold.hpp"

namespace parley::query::algebra {

void ExprVars(const ast::Expr& e, std::set<std::string>* out, bool* has_exists) {
  if (e.op == ast::Expr::Op::kTerm && e.term.is_var) out->insert(e.term.var);
  for (const auto& a : e.args) ExprVars(a, out, has_exists);
  if (e.pattern) {
    if (has_exists != nullptr) *has_exists = true;
    // The pattern's variables: an outer value substituted into it changes its answer.
    std::set<std::string> inner = PossibleVars(*TranslateGroup(*e.pattern));
    out->insert(inner.begin(), inner.end());
  }
}

namespace {

void TripleVarsInto(const ast::TriplePattern& t, std::set<std::string>* out) {
  if (t.subject.is_var) out->insert(t.subject.var);
  if (t.predicate_is_var) out->insert(t.predicate_var);
  if (t.object.is_var) out->insert(t.object.var);
}

std::set<std::string> Intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

std::set<std::string> VarsOf(const Node& node, bool certain) {
  std::set<std::string> out;
  switch (node.op) {
    case Op::kBgp:
    case Op::kPath:
      for (const auto& t : node.triples) TripleVarsInto(t, &out);
      return out;
    case Op::kTable:
      for (std::size_t c = 0; c < node.table.vars.size(); ++c) {
        const bool always = std::all_of(node.table.rows.begin(), node.table.rows.end(),
                                        [&](const auto& row) { return row[c].has_value(); });
        if (!certain || always) out.insert(node.table.vars[c]);
      }
      return out;
    case Op::kJoin:
      out = VarsOf(*node.children[0], certain);
      for (const auto& v : VarsOf(*node.children[1], certain)) out.insert(v);
      return out;
    case Op::kLeftJoin:
      out = VarsOf(*node.children[0], certain);
      if (!certain) {
        for (const auto& v : VarsOf(*node.children[1], false)) out.insert(v);
      }
      return out;
    case Op::kUnion: {
      auto left = VarsOf(*node.children[0], certain), right = VarsOf(*node.children[1], certain);
      if (certain) return Intersect(left, right);
      left.insert(right.begin(), right.end());
      return left;
    }
    case Op::kGraph:
      out = VarsOf(*node.children[0], certain);
      if (node.graph.is_var) out.insert(node.graph.var);
      return out;
    case Op::kExtend:
      out = VarsOf(*node.children[0], certain);
      if (!certain) out.insert(node.var);  // an error leaves it unbound
      return out;
    case Op::kGroup:
      out.insert(node.keys.begin(), node.keys.end());
      if (certain) out = Intersect(out, VarsOf(*node.children[0], true));
      if (!certain) {
        for (const auto& a : node.aggregates) out.insert(a.var);
      }
      return out;
    case Op::kProject: {
      const std::set<std::string> projected(node.vars.begin(), node.vars.end());
      return Intersect(VarsOf(*node.children[0], certain), projected);
    }
    case Op::kFilter:
    case Op::kMinus:
    case Op::kOrderBy:
    case Op::kDistinct:
    case Op::kReduced:
    case Op::kSlice:
      return VarsOf(*node.children[0], certain);
  }
  return out;
}

bool IsSubset(const std::set<std::string>& a, const std::set<std::string>& b) {
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

struct ExprInfo {
  std::set<std::string> vars;
  bool exists = false;
};
ExprInfo InfoOf(const std::vector<ast::Expr>& exprs) {
  ExprInfo info;
  for (const auto& e : exprs) ExprVars(e, &info.vars, &info.exists);
  return info;
}

// FILTER(a && b) keeps exactly the rows FILTER(a) FILTER(b) keeps: both need every
// conjunct true, and an error in one is a rejection either way.
void SplitConjunctions(std::vector<ast::Expr>* exprs) {
  std::vector<ast::Expr> out;
  std::function<void(ast::Expr&&)> add = [&](ast::Expr&& e) {
    if (e.op == ast::Expr::Op::kAnd) {
      for (auto& a : e.args) add(std::move(a));
    } else {
      out.push_back(std::move(e));
    }
  };
  for (auto& e : *exprs) add(std::move(e));
  *exprs = std::move(out);
}

NodePtr FilterOver(std::vector<ast::Expr> exprs, NodePtr child);

// Pushes one filter into `node` as far as its variables allow; returns the new node.
NodePtr PushFilter(ast::Expr expr, NodePtr node) {
  ExprInfo info;
  ExprVars(expr, &info.vars, &info.exists);
  auto certain = [&](const Node& n) { return IsSubset(info.vars, CertainVars(n)); };
  switch (node->op) {
    case Op::kJoin:
      // Every row of A ⋈ B is a row of A joined with one of B: where A binds all of the
      // filter's variables, the filter reads the same values in either.
      for (auto& child : node->children) {
        if (!info.exists && certain(*child)) {
          child = PushFilter(std::move(expr), std::move(child));
          return node;
        }
      }
      break;
    case Op::kLeftJoin:
      // Rows of A ⟕ B keep A's values; where A binds the filter's variables, filtering A first
      // removes the same rows.
      if (!info.exists && certain(*node->children[0])) {
        node->children[0] = PushFilter(std::move(expr), std::move(node->children[0]));
        return node;
      }
      break;
    case Op::kMinus:
      // MINUS removes rows of A and changes none: filtering before or after is the same.
      node->children[0] = PushFilter(std::move(expr), std::move(node->children[0]));
      return node;
    case Op::kUnion:
      // A filter of a union is the union of the filtered branches.
      node->children[0] = PushFilter(expr, std::move(node->children[0]));
      node->children[1] = PushFilter(std::move(expr), std::move(node->children[1]));
      return node;
    case Op::kExtend:
      // Below an Extend the filter sees the same row, less the variable the Extend binds.
      if (!info.vars.count(node->var)) {
        node->children[0] = PushFilter(std::move(expr), std::move(node->children[0]));
        return node;
      }
      break;
    case Op::kFilter:
      node->exprs.push_back(std::move(expr));
      return node;
    default:
      break;
  }
  std::vector<ast::Expr> one;
  one.push_back(std::move(expr));
  auto filter = Node::Wrap(Op::kFilter, std::move(node));
  filter->exprs = std::move(one);
  return filter;
}

NodePtr FilterOver(std::vector<ast::Expr> exprs, NodePtr child) {
  for (auto& e : exprs) child = PushFilter(std::move(e), std::move(child));
  return child;
}

// A BGP, alone or under filters that it binds every variable of: such a filter can move
// over a join with it (the reverse of pushing down), so BGPs joined around it merge.
bool IsFilteredBgp(const Node& n) {
  if (n.op == Op::kBgp) return true;
  if (n.op != Op::kFilter || n.children[0]->op != Op::kBgp) return false;
  const ExprInfo info = InfoOf(n.exprs);
  return !info.exists && IsSubset(info.vars, CertainVars(*n.children[0]));
}

void CollectJoinOperands(NodePtr node, std::vector<NodePtr>* out) {
  if (node->op != Op::kJoin) {
    out->push_back(std::move(node));
    return;
  }
  for (auto& child : node->children) CollectJoinOperands(std::move(child), out);
}

// Join is associative and commutative over multisets of solutions: a tree of joins is
// one n-way join, and all of its BGP operands are one BGP, whose join order the planner
// then chooses as a whole.
NodePtr MergeJoin(NodePtr node) {
  std::vector<NodePtr> operands;
  CollectJoinOperands(std::move(node), &operands);
  auto bgp = Node::Make(Op::kBgp);
  std::vector<ast::Expr> filters;
  std::vector<NodePtr> rest;
  for (auto& operand : operands) {
    if (!IsFilteredBgp(*operand)) {
      rest.push_back(std::move(operand));
      continue;
    }
    Node* b = operand.get();
    if (b->op == Op::kFilter) {
      for (auto& e : b->exprs) filters.push_back(std::move(e));
      b = b->children[0].get();
    }
    for (auto& t : b->triples) bgp->triples.push_back(std::move(t));
  }
  NodePtr out;
  if (!bgp->triples.empty()) {
    out = std::move(bgp);
    if (!filters.empty()) {
      auto filter = Node::Wrap(Op::kFilter, std::move(out));
      filter->exprs = std::move(filters);
      out = std::move(filter);
    }
  }
  for (auto& r : rest) {
    if (r->IsUnit()) continue;
    out = out ? Node::Pair(Op::kJoin, std::move(out), std::move(r)) : std::move(r);
  }
  return out ? std::move(out) : Node::Unit();
}

// A BGP is a set of triple patterns (§18.1.6): a pattern written twice matches with the
// same solutions as once, so the repeats go before the planner orders the rest.
void DropRepeatedTriples(Node* bgp) {
  auto key = [](const ast::TriplePattern& t) {
    auto term = [](const ast::PatternTerm& p) { return p.is_var ? "?" + p.var : ToNTriples(p.term); };
    return term(t.subject) + " " + (t.predicate_is_var ? "?" + t.predicate_var : "<" + t.path.iri + ">") + " " +
           term(t.object);
  };
  std::set<std::string> seen;
  std::vector<ast::TriplePattern> kept;
  for (auto& t : bgp->triples) {
    if (seen.insert(key(t)).second) kept.push_back(std::move(t));
  }
  bgp->triples = std::move(kept);
}

}  // namespace

std::set<std::string> CertainVars(const Node& node) { return VarsOf(node, true); }
std::set<std::string> PossibleVars(const Node& node) { return VarsOf(node, false); }

NodePtr Rewrite(NodePtr node) {
  for (auto& child : node->children) child = Rewrite(std::move(child));
  for (auto& e : node->exprs) FoldConstants(e);
  for (auto& o : node->order) FoldConstants(o.expr);
  switch (node->op) {
    case Op::kBgp:
      DropRepeatedTriples(node.get());
      return node;
    case Op::kJoin: {
      NodePtr merged = MergeJoin(std::move(node));
      Node* bgp = merged->op == Op::kFilter ? merged->children[0].get() : merged.get();
      if (bgp->op == Op::kBgp) DropRepeatedTriples(bgp);
      return merged;
    }
    case Op::kFilter: {
      SplitConjunctions(&node->exprs);
      std::vector<ast::Expr> kept;
      for (auto& e : node->exprs) {
        switch (ConstantTruth(e)) {
          case Truth::kTrue:
            continue;  // keeps every row
          case Truth::kFalse: {
            auto empty = Node::Make(Op::kTable);  // keeps none
            empty->table.vars = {};
            return empty;
          }
          case Truth::kUnknown:
            kept.push_back(std::move(e));
        }
      }
      return FilterOver(std::move(kept), std::move(node->children[0]));
    }
    case Op::kLeftJoin:
      SplitConjunctions(&node->exprs);
      return node;
    default:
      return node;
  }
}

}  // namespace parley::query::algebra
