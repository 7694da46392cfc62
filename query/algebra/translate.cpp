// query/algebra/translate.cpp
// From the syntax tree to the algebra, following SPARQL 1.1 §18.2: group graph
// patterns (§18.2.2), then grouping and aggregates, HAVING, trailing VALUES, select
// expressions and the solution modifiers (§18.2.4, §18.2.5).
#include <algorithm>
#include <functional>
#include <map>

#include "query/algebra/algebra.hpp"

namespace parley::query::algebra {

NodePtr Node::Make(Op op) {
  auto node = std::make_unique<Node>();
  node->op = op;
  return node;
}

NodePtr Node::Unit() {
  auto node = Make(Op::kTable);
  node->table.rows.emplace_back();
  return node;
}

NodePtr Node::Wrap(Op op, NodePtr child) {
  auto node = Make(op);
  node->children.push_back(std::move(child));
  return node;
}

NodePtr Node::Pair(Op op, NodePtr left, NodePtr right) {
  auto node = Make(op);
  node->children.push_back(std::move(left));
  node->children.push_back(std::move(right));
  return node;
}

const Node* Query::ExistsPattern(const ast::GroupPattern* pattern) const {
  for (const auto& [syntax, node] : exists) {
    if (syntax == pattern) return node.get();
  }
  return nullptr;
}

namespace {

using Kind = ast::Element::Kind;
using PathOp = ast::Path::Op;

// Join, with the spec's simplification: Join(Z, A) = Join(A, Z) = A.
NodePtr JoinOf(NodePtr left, NodePtr right) {
  if (left->IsUnit()) return right;
  if (right->IsUnit()) return left;
  return Node::Pair(Op::kJoin, std::move(left), std::move(right));
}

class Translator {
 public:
  NodePtr Group(const ast::GroupPattern& group) {
    std::vector<ast::Expr> filters;
    NodePtr g = Unfiltered(group, &filters);
    if (filters.empty()) return g;
    auto filter = Node::Wrap(Op::kFilter, std::move(g));
    filter->exprs = std::move(filters);
    return filter;
  }

  // A group without its own filters, which go to `filters` (a nested group's stay in it).
  NodePtr Unfiltered(const ast::GroupPattern& group, std::vector<ast::Expr>* filters) {
    NodePtr g = Node::Unit();
    for (const ast::Element& e : group.elements) {
      switch (e.kind) {
        case Kind::kTriples:
          g = JoinOf(std::move(g), Triples(e.triples));
          break;
        case Kind::kGroup:
          g = JoinOf(std::move(g), Group(e.groups[0]));
          break;
        case Kind::kOptional: {
          // OPTIONAL { P FILTER(F) } is LeftJoin(G, P, F): F sees both sides.
          auto left_join = Node::Make(Op::kLeftJoin);
          NodePtr right = Unfiltered(e.groups[0], &left_join->exprs);
          left_join->children.push_back(std::move(g));
          left_join->children.push_back(std::move(right));
          g = std::move(left_join);
          break;
        }
        case Kind::kMinus:
          g = Node::Pair(Op::kMinus, std::move(g), Group(e.groups[0]));
          break;
        case Kind::kUnion: {
          NodePtr u = Group(e.groups[0]);
          for (std::size_t i = 1; i < e.groups.size(); ++i) u = Node::Pair(Op::kUnion, std::move(u), Group(e.groups[i]));
          g = JoinOf(std::move(g), std::move(u));
          break;
        }
        case Kind::kGraph: {
          auto graph = Node::Wrap(Op::kGraph, Group(e.groups[0]));
          graph->graph = e.graph;
          g = JoinOf(std::move(g), std::move(graph));
          break;
        }
        case Kind::kFilter:
          filters->push_back(e.expr);
          break;
        case Kind::kBind: {
          auto extend = Node::Wrap(Op::kExtend, std::move(g));
          extend->var = e.var;
          extend->exprs.push_back(e.expr);
          g = std::move(extend);
          break;
        }
        case Kind::kValues: {
          auto table = Node::Make(Op::kTable);
          table->table = e.values;
          g = JoinOf(std::move(g), std::move(table));
          break;
        }
        case Kind::kSubSelect:
          g = JoinOf(std::move(g), SubSelect(*e.subquery));
          break;
      }
    }
    return g;
  }

  NodePtr WholeQuery(const ast::Query& q, std::vector<std::string>* columns) {
    NodePtr p = q.has_where ? Group(q.where) : Node::Unit();
    const bool grouped = !q.group_by.empty() || std::any_of(q.projection.begin(), q.projection.end(), [](const auto& c) {
                           return c.expr && HasAggregate(*c.expr);
                         }) || !q.having.empty() ||
                         std::any_of(q.order_by.begin(), q.order_by.end(), [](const auto& o) { return HasAggregate(o.expr); });
    std::vector<Aggregate> aggregates;
    auto lift = [&](ast::Expr e) {
      LiftAggregates(e, &aggregates);
      return e;
    };
    std::vector<ast::Expr> having;
    std::vector<ast::Projection> projection = q.projection;
    std::vector<ast::OrderCondition> order = q.order_by;
    if (grouped) {
      auto group = Node::Make(Op::kGroup);
      for (const ast::GroupCondition& c : q.group_by) {
        const bool plain = c.expr.op == ast::Expr::Op::kTerm && c.expr.term.is_var && c.var.empty();
        if (plain) {
          group->keys.push_back(c.expr.term.var);
          continue;
        }
        const std::string var = c.var.empty() ? ".key" + std::to_string(++keys_) : c.var;
        auto extend = Node::Wrap(Op::kExtend, std::move(p));
        extend->var = var;
        extend->exprs.push_back(c.expr);
        p = std::move(extend);
        group->keys.push_back(var);
      }
      for (auto& c : projection) {
        if (c.expr) c.expr = lift(*c.expr);
      }
      for (const auto& h : q.having) having.push_back(lift(h));
      for (auto& o : order) o.expr = lift(o.expr);
      group->aggregates = std::move(aggregates);
      group->children.push_back(std::move(p));
      p = std::move(group);
      if (!having.empty()) {
        auto filter = Node::Wrap(Op::kFilter, std::move(p));
        filter->exprs = std::move(having);
        p = std::move(filter);
      }
    }
    if (q.values) {
      auto table = Node::Make(Op::kTable);
      table->table = *q.values;
      p = JoinOf(std::move(p), std::move(table));
    }
    for (const auto& c : projection) {
      if (!c.expr) continue;
      auto extend = Node::Wrap(Op::kExtend, std::move(p));
      extend->var = c.var;
      extend->exprs.push_back(*c.expr);
      p = std::move(extend);
    }
    if (!order.empty()) {
      auto order_by = Node::Wrap(Op::kOrderBy, std::move(p));
      order_by->order = std::move(order);
      p = std::move(order_by);
    }
    *columns = Columns(q, grouped);
    if (q.form == ast::Query::Form::kSelect) {
      auto project = Node::Wrap(Op::kProject, std::move(p));
      project->vars = *columns;
      p = std::move(project);
    }
    if (q.distinct) p = Node::Wrap(Op::kDistinct, std::move(p));
    if (q.reduced) p = Node::Wrap(Op::kReduced, std::move(p));
    if (q.limit || q.offset) {
      auto slice = Node::Wrap(Op::kSlice, std::move(p));
      slice->offset = q.offset.value_or(0);
      slice->limit = q.limit;
      p = std::move(slice);
    }
    return p;
  }

 private:
  // A block of triples: plain patterns into one BGP; a path, as §18.2.2.4 says: an
  // inverted link is the reversed triple, a sequence a chain through fresh variables,
  // and any other path a Path node.
  NodePtr Triples(const std::vector<ast::TriplePattern>& triples) {
    auto bgp = Node::Make(Op::kBgp);
    NodePtr g = Node::Unit();
    for (const ast::TriplePattern& t : triples) AddTriple(t, bgp.get(), &g);
    return bgp->triples.empty() ? std::move(g) : JoinOf(std::move(bgp), std::move(g));
  }

  void AddTriple(const ast::TriplePattern& t, Node* bgp, NodePtr* others) {
    if (t.predicate_is_var || t.path.IsLink()) {
      bgp->triples.push_back(t);
      return;
    }
    if (t.path.op == PathOp::kInverse && t.path.children[0].IsLink()) {
      ast::TriplePattern reversed = t;
      reversed.subject = t.object;
      reversed.object = t.subject;
      reversed.path = t.path.children[0];
      bgp->triples.push_back(std::move(reversed));
      return;
    }
    if (t.path.op == PathOp::kSequence) {
      ast::PatternTerm from = t.subject;
      for (std::size_t i = 0; i < t.path.children.size(); ++i) {
        const bool last = i + 1 == t.path.children.size();
        ast::TriplePattern step;
        step.subject = from;
        step.path = t.path.children[i];
        step.object = last ? t.object : ast::PatternTerm::Var("_:.path" + std::to_string(++fresh_));
        AddTriple(step, bgp, others);
        from = step.object;
      }
      return;
    }
    auto path = Node::Make(Op::kPath);
    path->triples.push_back(t);
    *others = JoinOf(std::move(*others), std::move(path));
  }

  static bool HasAggregate(const ast::Expr& e) {
    if (e.op == ast::Expr::Op::kAggregate) return true;
    return std::any_of(e.args.begin(), e.args.end(), [](const ast::Expr& a) { return HasAggregate(a); });
  }

  // Replaces each aggregate in `e` with the variable that will hold its value.
  void LiftAggregates(ast::Expr& e, std::vector<Aggregate>* aggregates) {
    if (e.op == ast::Expr::Op::kAggregate) {
      std::string var = ".agg" + std::to_string(aggregates->size());
      aggregates->push_back(Aggregate{var, e});
      e = ast::Expr{};
      e.term = ast::PatternTerm::Var(std::move(var));
      return;
    }
    for (auto& a : e.args) LiftAggregates(a, aggregates);
  }

  // The answer's columns: the projection, or for SELECT * the pattern's variables in the
  // order they first appear.
  static std::vector<std::string> Columns(const ast::Query& q, bool grouped) {
    std::vector<std::string> out;
    if (!q.select_all) {
      for (const auto& c : q.projection) out.push_back(c.var);
      return out;
    }
    if (grouped) return out;
    std::function<void(const ast::GroupPattern&)> walk;
    auto add = [&](const std::string& name) {
      if (!name.starts_with("_:") && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    };
    auto add_term = [&](const ast::PatternTerm& t) {
      if (t.is_var) add(t.var);
    };
    walk = [&](const ast::GroupPattern& g) {
      for (const auto& e : g.elements) {
        switch (e.kind) {
          case Kind::kTriples:
            for (const auto& t : e.triples) {
              add_term(t.subject);
              if (t.predicate_is_var) add(t.predicate_var);
              add_term(t.object);
            }
            break;
          case Kind::kGraph:
            add_term(e.graph);
            walk(e.groups[0]);
            break;
          case Kind::kMinus:
            break;  // MINUS binds nothing in the answer
          case Kind::kGroup:
          case Kind::kOptional:
          case Kind::kUnion:
            for (const auto& sub : e.groups) walk(sub);
            break;
          case Kind::kBind:
            add(e.var);
            break;
          case Kind::kValues:
            for (const auto& v : e.values.vars) add(v);
            break;
          case Kind::kSubSelect: {
            for (const auto& v : SubSelectVars(*e.subquery)) add(v);
            break;
          }
          case Kind::kFilter:
            break;
        }
      }
    };
    walk(q.where);
    if (q.values) {
      for (const auto& v : q.values->vars) add(v);
    }
    return out;
  }

  static std::vector<std::string> SubSelectVars(const ast::Query& q) {
    const bool grouped = !q.group_by.empty();
    return Columns(q, grouped);
  }

  // A sub-select is a query of its own whose projected variables are all the outer
  // query sees: every other variable in it gets a name of its own.
  NodePtr SubSelect(const ast::Query& q) {
    std::vector<std::string> columns;
    NodePtr node = WholeQuery(q, &columns);
    const std::string prefix = ".s" + std::to_string(++subselects_) + ".";
    const std::set<std::string> visible(columns.begin(), columns.end());
    Rename(*node, [&](const std::string& name) { return visible.count(name) ? name : prefix + name; });
    return node;
  }

  using Renamer = std::function<std::string(const std::string&)>;

  static void RenameTerm(ast::PatternTerm& t, const Renamer& rename) {
    if (t.is_var) t.var = rename(t.var);
  }

  static void RenameTriple(ast::TriplePattern& t, const Renamer& rename) {
    RenameTerm(t.subject, rename);
    if (t.predicate_is_var) t.predicate_var = rename(t.predicate_var);
    RenameTerm(t.object, rename);
  }

  static void RenameExpr(ast::Expr& e, const Renamer& rename) {
    RenameTerm(e.term, rename);
    for (auto& a : e.args) RenameExpr(a, rename);
    if (e.pattern) {
      auto copy = std::make_shared<ast::GroupPattern>(*e.pattern);
      RenameGroup(*copy, rename);
      e.pattern = std::move(copy);
    }
  }

  static void RenameGroup(ast::GroupPattern& g, const Renamer& rename) {
    for (auto& e : g.elements) {
      for (auto& t : e.triples) RenameTriple(t, rename);
      for (auto& sub : e.groups) RenameGroup(sub, rename);
      RenameTerm(e.graph, rename);
      RenameExpr(e.expr, rename);
      if (!e.var.empty()) e.var = rename(e.var);
      for (auto& v : e.values.vars) v = rename(v);
      if (e.subquery) {
        auto copy = std::make_shared<ast::Query>(*e.subquery);
        for (auto& c : copy->projection) {
          c.var = rename(c.var);
          if (c.expr) RenameExpr(*c.expr, rename);
        }
        RenameGroup(copy->where, rename);
        e.subquery = std::move(copy);
      }
    }
  }

  static void Rename(Node& n, const Renamer& rename) {
    for (auto& child : n.children) Rename(*child, rename);
    for (auto& t : n.triples) RenameTriple(t, rename);
    for (auto& e : n.exprs) RenameExpr(e, rename);
    if (!n.var.empty()) n.var = rename(n.var);
    RenameTerm(n.graph, rename);
    for (auto& v : n.table.vars) v = rename(v);
    for (auto& k : n.keys) k = rename(k);
    for (auto& a : n.aggregates) {
      a.var = rename(a.var);
      RenameExpr(a.call, rename);
    }
    for (auto& o : n.order) RenameExpr(o.expr, rename);
    for (auto& v : n.vars) v = rename(v);
  }

  int fresh_ = 0, keys_ = 0, subselects_ = 0;
};

// Every EXISTS pattern in the tree's expressions, translated (and theirs, in turn).
void TranslateExists(const Node& node, Query* out, Translator& translator);

void TranslateExistsIn(const ast::Expr& e, Query* out, Translator& translator) {
  for (const auto& a : e.args) TranslateExistsIn(a, out, translator);
  if (!e.pattern || out->ExistsPattern(e.pattern.get()) != nullptr) return;
  NodePtr node = Rewrite(translator.Group(*e.pattern));
  const Node* raw = node.get();
  out->exists.emplace_back(e.pattern.get(), std::move(node));
  TranslateExists(*raw, out, translator);
}

void TranslateExists(const Node& node, Query* out, Translator& translator) {
  for (const auto& e : node.exprs) TranslateExistsIn(e, out, translator);
  for (const auto& a : node.aggregates) TranslateExistsIn(a.call, out, translator);
  for (const auto& o : node.order) TranslateExistsIn(o.expr, out, translator);
  for (const auto& child : node.children) TranslateExists(*child, out, translator);
}

}  // namespace

NodePtr TranslateGroup(const ast::GroupPattern& group) {
  Translator translator;
  return translator.Group(group);
}

Query Translate(const ast::Query& query) {
  Translator translator;
  Query out;
  out.form = query.form;
  out.root = translator.WholeQuery(query, &out.vars);
  if (query.form == ast::Query::Form::kDescribe) {
    out.vars.clear();
    for (const auto& t : query.describe) {
      if (t.is_var) out.vars.push_back(t.var);
    }
  }
  Rewrite(out);
  TranslateExists(*out.root, &out, translator);
  return out;
}

void Rewrite(Query& query) { query.root = Rewrite(std::move(query.root)); }

}  // namespace parley::query::algebra
