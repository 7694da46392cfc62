// query/plan/physical.cpp
// The planner: each algebra node becomes one or more operators (BGPs, paths and the split
// over threads are in bgp.cpp). Also explain's printing of the tree that was built.
#include "query/plan/physical.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "query/plan/planner.hpp"

namespace parley::query::plan {

namespace {

// that GRAPH ?g over it binds ?g through its patterns.
bool BindsGraph(const Node& n) {
  switch (n.op) {
    case Op::kBgp:
      return !n.triples.empty();
    case Op::kPath:
      return true;
    case Op::kJoin:
      return BindsGraph(*n.children[0]) || BindsGraph(*n.children[1]);
    case Op::kUnion:
      return BindsGraph(*n.children[0]) && BindsGraph(*n.children[1]);
    case Op::kLeftJoin:
    case Op::kMinus:
    case Op::kFilter:
    case Op::kExtend:
      return BindsGraph(*n.children[0]);
    default:
      return false;
  }
}

// Whether `n` holds a sub-select (grouping, ordering, slicing, distinct rows): those
// must see one named graph at a time, so GRAPH ?g runs them once per graph.
bool HasSubSelect(const Node& n) {
  if (n.op == Op::kGroup || n.op == Op::kSlice || n.op == Op::kDistinct || n.op == Op::kReduced ||
      n.op == Op::kOrderBy || n.op == Op::kProject) {
    return true;
  }
  return std::any_of(n.children.begin(), n.children.end(), [](const auto& c) { return HasSubSelect(*c); });
}

}  // namespace

std::string IriLabel(const std::string& iri) {
  static const auto prefixes = BuiltinPrefixes();
  for (const auto& [name, ns] : prefixes) {
    if (iri.size() <= ns.size() || iri.compare(0, ns.size(), ns) != 0) continue;
    const std::string local = iri.substr(ns.size());
    if (std::all_of(local.begin(), local.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; })) {
      return name + ":" + local;
    }
  }
  return "<" + iri + ">";
}

std::string TermLabel(const ast::PatternTerm& t) {
  if (t.is_var) return "?" + t.var;
  return t.term.kind == TermKind::kIri ? IriLabel(t.term.value) : ToNTriples(t.term);
}

std::string TripleLabel(const ast::TriplePattern& t) {
  return TermLabel(t.subject) + " " + (t.predicate_is_var ? "?" + t.predicate_var : IriLabel(t.path.iri)) + " " +
         TermLabel(t.object);
}

std::set<std::string> TripleVars(const ast::TriplePattern& t) {
  std::set<std::string> out;
  if (t.subject.is_var) out.insert(t.subject.var);
  if (t.predicate_is_var) out.insert(t.predicate_var);
  if (t.object.is_var) out.insert(t.object.var);
  return out;
}

bool Within(const std::set<std::string>& a, const std::set<std::string>& b) {
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

void Planner::AssignSlots(const Node& n) {
  for (const auto& t : n.triples) {
    for (const auto& v : TripleVars(t)) ctx_.Slot(v);
  }
  for (const auto& e : n.exprs) BindExpr(e);
  for (const auto& a : n.aggregates) {
    ctx_.Slot(a.var);
    BindExpr(a.call);
  }
  for (const auto& o : n.order) BindExpr(o.expr);
  if (!n.var.empty()) ctx_.Slot(n.var);
  if (n.op == Op::kGraph && n.graph.is_var) {
    ctx_.Slot(n.graph.var);
    if (algebra::PossibleVars(*n.children[0]).count(n.graph.var)) {
      graph_slots_[&n] = ctx_.Slot(".graph" + std::to_string(graph_slots_.size()));
    }
  }
  for (const auto& v : n.table.vars) ctx_.Slot(v);
  for (const auto& k : n.keys) ctx_.Slot(k);
  for (const auto& v : n.vars) ctx_.Slot(v);
  for (const auto& c : n.children) AssignSlots(*c);
}

Planner::Built Planner::Plan(const Node& n, std::optional<std::size_t> keep) {
  switch (n.op) {
    case Op::kJoin:
      // Over a large scan, on each thread for its part of it.
      if (Splittable(n)) {
        if (auto parallel = Parallel(n)) return std::move(*parallel);
      }
      return PlanOver(Unit(), n);
    case Op::kBgp:
    case Op::kPath:
    case Op::kFilter:
      return PlanOver(Unit(), n);
    case Op::kTable:
      return Table(n);
    case Op::kLeftJoin: {
      // OPTIONAL { one pattern }: joined to each row, as a pattern of the BGP would be;
      // over a large scan, on each thread for its part of it.
      const Node& right = *n.children[1];
      if (IsPatternOptional(n)) {
        if (Splittable(n)) {
          if (auto parallel = Parallel(n)) return std::move(*parallel);
        }
        Built left = Plan(*n.children[0]);
        const double matches = Estimate(right.triples[0], left.bound);
        return JoinPattern(std::move(left), right.triples[0], matches, true);
      }
      return HashJoin(Plan(*n.children[0]), Plan(*n.children[1]), n, exec::JoinKind::kLeft);
    }
    case Op::kMinus:
      return HashJoin(Plan(*n.children[0]), Plan(*n.children[1]), n, exec::JoinKind::kMinus);
    case Op::kUnion: {
      Built left = Plan(*n.children[0]), right = Plan(*n.children[1]);
      Built out{std::make_unique<exec::UnionOp>(ctx_, std::move(left.op), std::move(right.op)), left.rows + right.rows,
                algebra::CertainVars(n), {}};
      return Label(std::move(out), "union");
    }
    case Op::kGraph:
      return Graph(Unit(), n);
    case Op::kExtend:
      return Extend(Plan(*n.children[0]), n);
    case Op::kGroup:
      return Group(n);
    case Op::kOrderBy: {
      // A top-k over a large scan: each thread keeps the best rows of its part, and the
      // exchange hands them on part by part, as the scan would, so that of rows with equal
      // keys the same come first whatever the threads.
      std::optional<Built> parts;
      if (keep && Splittable(*n.children[0])) parts = Parallel(n, keep);
      Built in = parts ? std::move(*parts) : Plan(*n.children[0]);
      std::vector<ast::Expr> exprs;
      for (const auto& o : n.order) {
        exprs.push_back(o.expr);
        NoteExists(o.expr);
      }
      in.op = std::make_unique<exec::OrderOp>(ctx_, std::move(in.op), n.order, ReadSlots(exprs), keep);
      in.sorted_by.clear();
      if (keep) in.rows = std::min<double>(in.rows, static_cast<double>(*keep));
      std::string label = keep ? "top " + std::to_string(*keep) + " by" : "order by";
      for (const auto& o : n.order) label += " " + (o.descending ? "desc " : std::string()) + algebra::PrintExpr(o.expr);
      return Label(std::move(in), label);
    }
    case Op::kProject:
    case Op::kReduced:
      return Plan(*n.children[0], keep);
    case Op::kDistinct: {
      Built in = Plan(*n.children[0]);
      std::vector<int> slots;
      const Node* below = n.children[0].get();
      if (below->op == Op::kProject) {
        for (const auto& v : below->vars) slots.push_back(ctx_.Slot(v));
      } else {
        for (const auto& v : algebra::PossibleVars(*below)) slots.push_back(ctx_.Slot(v));
      }
      in.op = std::make_unique<exec::DistinctOp>(ctx_, std::move(in.op), std::move(slots));
      in.sorted_by.clear();
      return Label(std::move(in), "distinct");
    }
    case Op::kSlice: {
      std::optional<std::size_t> want;
      const Node* below = n.children[0].get();
      if (below->op == Op::kProject) below = below->children[0].get();
      if (n.limit && below->op == Op::kOrderBy) want = static_cast<std::size_t>(n.offset + *n.limit);
      const auto goal = row_goal_;
      if (n.limit) row_goal_ = RowsToStream(*n.children[0], static_cast<double>(n.offset + *n.limit));
      Built in = Plan(*n.children[0], want);
      row_goal_ = goal;
      in.op = std::make_unique<exec::SliceOp>(ctx_, std::move(in.op), n.offset, n.limit);
      if (n.limit) in.rows = std::min<double>(in.rows, static_cast<double>(*n.limit));
      return Label(std::move(in), "slice offset " + std::to_string(n.offset) +
                                      (n.limit ? " limit " + std::to_string(*n.limit) : std::string()));
    }
  }
  return Unit();
}

std::optional<double> Planner::RowsToStream(const Node& n, double wanted) {
  switch (n.op) {
    case Op::kBgp:
    case Op::kPath:
      return wanted;
    case Op::kProject:
    case Op::kExtend:
      return RowsToStream(*n.children[0], wanted);
    case Op::kFilter:
      return RowsToStream(*n.children[0], 3 * wanted);  // a filter is taken to keep a third, as in Filtered
    case Op::kLeftJoin: {
      const Node& right = *n.children[1];
      if (right.op != Op::kBgp || right.triples.size() != 1 || !n.exprs.empty()) return std::nullopt;
      return RowsToStream(*n.children[0], wanted);  // planned as a pattern join (see Plan)
    }
    default:
      return std::nullopt;
  }
}

Planner::Built Planner::PlanOver(Built in, const Node& n) {
  switch (n.op) {
    case Op::kBgp:
      return PlanBgp(std::move(in), n);
    case Op::kPath:
      return JoinPath(std::move(in), n.triples[0]);
    case Op::kFilter:
      // A filter sees only its own group's variables: over the rows before it only
      // when its group binds all it reads anyway (or, in EXISTS, the row's values are
      // substituted into it).
      if (!substitute_ && !IsUnitOp(in) && !ReadsOnlyCertain(n.exprs, *n.children[0])) break;
      if (n.children[0]->op == Op::kBgp) return PlanBgp(std::move(in), n);
      return Filtered(PlanOver(std::move(in), *n.children[0]), Pointers(n.exprs));
    case Op::kJoin: {
      // Operands one after the other, each over the rows of the one before; a path
      // after the other operand, when its ends are bound.
      const Node* first = n.children[0].get();
      const Node* second = n.children[1].get();
      if (first->op == Op::kPath && second->op != Op::kPath) std::swap(first, second);
      Built left = PlanOver(std::move(in), *first);
      return PlanOver(std::move(left), *second);
    }
    case Op::kExtend:
      if (!substitute_ && !IsUnitOp(in)) break;
      return Extend(PlanOver(std::move(in), *n.children[0]), n);
    case Op::kGraph:
      return Graph(std::move(in), n);
    default:
      break;
  }
  if (IsUnitOp(in)) return Plan(n);
  return HashJoin(std::move(in), Plan(n), algebra::PossibleVars(n), exec::JoinKind::kInner, {});
}

std::optional<bool> Planner::Exists(const ast::Expr& e, const std::vector<TermId>& row) {
  const Node* pattern = query_.ExistsPattern(e.pattern.get());
  if (pattern == nullptr) return std::nullopt;
  // Rows that agree on the variables the pattern mentions get the same answer.
  auto& slots = exists_slots_[pattern];
  if (slots.empty()) {
    std::set<std::string> vars;
    MentionedVars(*pattern, &vars);
    slots.push_back(-1);  // computed (and a pattern of no variables has one answer)
    for (const auto& v : vars) slots.push_back(ctx_.Slot(v));
  }
  std::vector<TermId> key = {reinterpret_cast<std::uintptr_t>(pattern)};
  for (std::size_t i = 1; i < slots.size(); ++i) key.push_back(row[static_cast<std::size_t>(slots[i])]);
  if (auto known = exists_answers_.find(key); known != exists_answers_.end()) return known->second;
  auto answer = Run(e, pattern, row);
  if (answer) exists_answers_.emplace(std::move(key), *answer);
  return answer;
}

std::optional<bool> Planner::Run(const ast::Expr& e, const Node* pattern, const std::vector<TermId>& row) {
  std::set<std::string> bound;
  for (std::size_t slot = 0; slot < row.size(); ++slot) {
    if (row[slot] != exec::kUnbound) bound.insert(ctx_.name(slot));
  }
  Built in{std::make_unique<exec::TableOp>(ctx_, std::vector<std::vector<TermId>>{row}), 1, bound, {}};
  // In the graph the EXISTS was met in, with the row's values substituted.
  const auto saved = std::make_tuple(graph_, graph_slot_, substitute_);
  std::tie(graph_, graph_slot_) = exists_graphs_[e.pattern.get()];
  substitute_ = true;
  Built plan = PlanOver(std::move(in), *pattern);
  std::tie(graph_, graph_slot_, substitute_) = saved;
  exec::Block block;
  const bool any = plan.op->Next(&block);
  if (!ctx_.ok()) return std::nullopt;
  return any;
}

void Planner::MentionedVars(const Node& n, std::set<std::string>* out) {
  for (const auto& t : n.triples) {
    for (const auto& v : TripleVars(t)) out->insert(v);
  }
  for (const auto& e : n.exprs) algebra::ExprVars(e, out);
  for (const auto& a : n.aggregates) algebra::ExprVars(a.call, out);
  for (const auto& o : n.order) algebra::ExprVars(o.expr, out);
  if (n.graph.is_var) out->insert(n.graph.var);
  if (!n.var.empty()) out->insert(n.var);
  out->insert(n.table.vars.begin(), n.table.vars.end());
  for (const auto& c : n.children) MentionedVars(*c, out);
}

bool Planner::ReadsOnlyCertain(const std::vector<ast::Expr>& exprs, const Node& n) {
  std::set<std::string> vars;
  bool exists = false;
  for (const auto& e : exprs) algebra::ExprVars(e, &vars, &exists);
  return !exists && Within(vars, algebra::CertainVars(n));
}

void Planner::NoteExists(const ast::Expr& e) {
  if (e.pattern) exists_graphs_[e.pattern.get()] = {graph_, graph_slot_};
  for (const auto& a : e.args) NoteExists(a);
}

std::vector<const ast::Expr*> Planner::Pointers(const std::vector<ast::Expr>& exprs) {
  std::vector<const ast::Expr*> out;
  for (const auto& e : exprs) out.push_back(&e);
  return out;
}

void Planner::BindExpr(const ast::Expr& e) {
  if (e.op == ast::Expr::Op::kTerm && e.term.is_var) e.term.slot = ctx_.Slot(e.term.var);
  for (const auto& a : e.args) BindExpr(a);
  if (e.pattern) {
    if (const Node* pattern = query_.ExistsPattern(e.pattern.get())) AssignSlots(*pattern);
  }
}

std::vector<int> Planner::ReadSlots(const std::vector<ast::Expr>& exprs) {
  std::set<std::string> vars;
  for (const auto& e : exprs) algebra::ExprVars(e, &vars);
  std::vector<int> out;
  for (const auto& v : vars) out.push_back(ctx_.Slot(v));
  return out;
}

std::vector<int> Planner::ReadSlots(const std::vector<const ast::Expr*>& exprs) {
  std::vector<ast::Expr> copies;
  for (const auto* e : exprs) copies.push_back(*e);
  return ReadSlots(copies);
}

Planner::Built Planner::Label(Built b, std::string label) {
  b.op->label = std::move(label);
  b.op->estimate = b.rows;
  return b;
}

Planner::Built Planner::Unit() {
  std::vector<std::vector<TermId>> rows(1, std::vector<TermId>(ctx_.width(), exec::kUnbound));
  Built unit{std::make_unique<exec::TableOp>(ctx_, std::move(rows)), 1, {}, {}};
  return Label(std::move(unit), "unit");
}

Planner::Built Planner::Table(const Node& n) {
  std::vector<std::vector<TermId>> rows;
  for (const auto& values : n.table.rows) {
    std::vector<TermId> row(ctx_.width(), exec::kUnbound);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i]) row[static_cast<std::size_t>(ctx_.Slot(n.table.vars[i]))] = ctx_.table().Intern(*values[i]);
    }
    rows.push_back(std::move(row));
  }
  const double count = static_cast<double>(rows.size());
  Built out{std::make_unique<exec::TableOp>(ctx_, std::move(rows)), count, algebra::CertainVars(n), {}};
  return Label(std::move(out), n.IsUnit() ? "unit" : "values (" + std::to_string(n.table.rows.size()) + " rows)");
}

Planner::Built Planner::Column(const std::string& var, const std::vector<TermId>& ids, std::string label) {
  std::vector<std::vector<TermId>> rows;
  for (TermId id : ids) {
    rows.emplace_back(ctx_.width(), exec::kUnbound);
    rows.back()[static_cast<std::size_t>(ctx_.Slot(var))] = id;
  }
  Built out{std::make_unique<exec::TableOp>(ctx_, std::move(rows)), static_cast<double>(ids.size()), {var}, {}};
  return Label(std::move(out), std::move(label));
}

Planner::Built Planner::Filtered(Built in, std::vector<const ast::Expr*> exprs, const std::set<int>& not_literals) {
  if (exprs.empty()) return in;
  for (const auto* e : exprs) NoteExists(*e);
  std::string label = "filter";
  for (const auto* e : exprs) label += " " + algebra::PrintExpr(*e);
  auto slots = ReadSlots(exprs);
  in.op = std::make_unique<exec::FilterOp>(ctx_, std::move(in.op), std::move(exprs), std::move(slots), not_literals);
  in.rows = std::max(1.0, in.rows / 3);
  return Label(std::move(in), label);
}

Planner::Built Planner::Extend(Built in, const Node& n) {
  NoteExists(n.exprs[0]);
  in.op = std::make_unique<exec::ExtendOp>(ctx_, std::move(in.op), ctx_.Slot(n.var), &n.exprs[0], ReadSlots(n.exprs));
  return Label(std::move(in), "extend ?" + n.var + " := " + algebra::PrintExpr(n.exprs[0]));
}

Planner::Built Planner::Graph(Built in, const Node& n) {
  const exec::GraphRef outer_graph = graph_;
  const int outer_slot = graph_slot_;
  const Node& pattern = *n.children[0];
  Built out;
  if (!n.graph.is_var) {
    const TermId g = ctx_.table().Intern(n.graph.term);
    graph_ = exec::GraphRef::Named(g);
    graph_slot_ = -1;
    out = PlanOver(std::move(in), pattern);
    // A solution that no pattern made exists only if the graph does.
    const auto& named = ctx_.NamedGraphs();
    if (!BindsGraph(pattern) && !std::binary_search(named.begin(), named.end(), g)) {
      out = HashJoin(std::move(out), Column(".none", {}, "no graph " + IdLabel(g)), {}, exec::JoinKind::kInner, {});
    }
  } else if (!HasSubSelect(pattern)) {
    // The patterns bind the graph they match in to ?g's slot; when the pattern uses ?g
    // itself, to a slot of its own, which must then agree with ?g (§18.6: the pattern's
    // solutions in graph g joined with ?g = g).
    const auto hidden = graph_slots_.find(&n);
    graph_slot_ = hidden != graph_slots_.end() ? hidden->second : ctx_.Slot(n.graph.var);
    const std::string graph_var = ctx_.name(static_cast<std::size_t>(graph_slot_));
    out = PlanOver(std::move(in), pattern);
    // A solution that no pattern made still ranges over every named graph.
    if (!BindsGraph(pattern)) {
      out = HashJoin(std::move(out), Column(graph_var, ctx_.NamedGraphs(), "named graphs ?" + graph_var), {graph_var},
                     exec::JoinKind::kInner, {});
    }
    if (hidden != graph_slots_.end()) {
      out.op = std::make_unique<exec::UnifyOp>(ctx_, std::move(out.op), ctx_.Slot(n.graph.var), graph_slot_);
      out = Label(std::move(out), "?" + n.graph.var + " = ?" + graph_var);
    }
    out.bound.insert(n.graph.var);
  } else {
    // A sub-select sees one graph at a time: planned once per named graph.
    graph_slot_ = -1;
    Built all;
    for (TermId g : ctx_.NamedGraphs()) {
      graph_ = exec::GraphRef::Named(g);
      Built one = PlanOver(Column(n.graph.var, {g}, "graph ?" + n.graph.var + " = " + IdLabel(g)), pattern);
      if (!all.op) {
        all = std::move(one);
        continue;
      }
      all = Label(Built{std::make_unique<exec::UnionOp>(ctx_, std::move(all.op), std::move(one.op)), all.rows + one.rows,
                        {n.graph.var}, {}},
                  "union");
    }
    if (!all.op) all = Column(n.graph.var, {}, "no named graphs");
    out = IsUnitOp(in) ? std::move(all) : HashJoin(std::move(in), std::move(all), algebra::PossibleVars(n), exec::JoinKind::kInner, {});
  }
  graph_ = outer_graph;
  graph_slot_ = outer_slot;
  return out;
}

std::string Planner::IdLabel(TermId id) {
  const Term& t = ctx_.table().Get(id);
  return t.kind == TermKind::kIri ? IriLabel(t.value) : ToNTriples(t);
}

Planner::Built Planner::HashJoin(Built left, Built right, const Node& n, exec::JoinKind kind) {
  const auto right_vars = algebra::PossibleVars(*n.children[1]);
  return HashJoin(std::move(left), std::move(right), right_vars, kind, Pointers(n.exprs), algebra::PossibleVars(*n.children[0]));
}

Planner::Built Planner::HashJoin(Built left, Built right, const std::set<std::string>& right_vars, exec::JoinKind kind,
                 std::vector<const ast::Expr*> exprs, std::optional<std::set<std::string>> left_vars) {
  std::vector<int> keys, shared;
  std::string key_names;
  for (const auto& v : right_vars) {
    if (left_vars && !left_vars->count(v)) continue;
    shared.push_back(ctx_.Slot(v));
    if (left.bound.count(v) && right.bound.count(v)) {
      keys.push_back(ctx_.Slot(v));
      key_names += " ?" + v;
    }
  }
  double rows = left.rows * right.rows / 10;
  if (kind == exec::JoinKind::kLeft) rows = std::max(left.rows, rows);
  if (kind == exec::JoinKind::kMinus) rows = left.rows;
  std::set<std::string> bound = left.bound;
  if (kind == exec::JoinKind::kInner) bound.insert(right.bound.begin(), right.bound.end());
  std::string label = kind == exec::JoinKind::kInner ? "join" : kind == exec::JoinKind::kLeft ? "left join" : "minus";
  label += " (hash on" + (key_names.empty() ? std::string(" nothing") : key_names) + ")";
  for (const auto* e : exprs) {
    label += " " + algebra::PrintExpr(*e);
    NoteExists(*e);
  }
  auto read = ReadSlots(exprs);
  auto op = std::make_unique<exec::HashJoinOp>(ctx_, std::move(left.op), std::move(right.op), std::move(keys),
                                               std::move(shared), kind, std::move(exprs), std::move(read));
  return Label(Built{std::move(op), std::max(1.0, rows), bound, {}}, label);
}

Planner::Built Planner::Group(const Node& n) {
  const Node& input = *n.children[0];
  // A BGP right under a group of one key is best read in order of it (OrderCost).
  const bool one_key_over_bgp = n.keys.size() == 1 && IsBgp(input);
  const std::string outer_key = std::exchange(group_key_, one_key_over_bgp ? n.keys[0] : "");
  const double outer_cost = std::exchange(group_lookup_cost_, one_key_over_bgp ? GroupLookupCost(input, n.keys[0]) : 0);
  auto restore = [&] {  // the key is for this group's own input only
    group_key_ = outer_key;
    group_lookup_cost_ = outer_cost;
  };
  Built in = Plan(input);
  // The rows come in order of the one key (COUNT(DISTINCT) then keeps one group's ids).
  auto in_order_of_key = [&](const std::string& sorted_by) { return n.keys.size() == 1 && sorted_by == n.keys[0]; };
  auto order_label = [&](bool in_order) { return in_order ? " (rows in order of ?" + n.keys[0] + ")" : std::string(); };
  const bool keys_in_order = in_order_of_key(in.sorted_by);
  in.sorted_by.clear();  // groups come in no order of ids
  std::vector<int> keys;
  for (const auto& k : n.keys) keys.push_back(ctx_.Slot(k));
  std::vector<std::pair<int, const ast::Expr*>> aggregates;
  std::vector<ast::Expr> arguments;
  for (const auto& a : n.aggregates) {
    aggregates.emplace_back(ctx_.Slot(a.var), &a.call);
    NoteExists(a.call);
    // COUNT of a variable counts ids: its terms need no decoding.
    const bool counts_ids = a.call.name == "COUNT" && a.call.args.size() == 1 &&
                            a.call.args[0].op == ast::Expr::Op::kTerm && a.call.args[0].term.is_var;
    if (!counts_ids) arguments.insert(arguments.end(), a.call.args.begin(), a.call.args.end());
  }
  std::string label = "group by";
  for (const auto& k : n.keys) label += " ?" + k;
  for (const auto& a : n.aggregates) label += ", ?" + a.var + " := " + algebra::PrintExpr(a.call);
  std::vector<const ast::Expr*> calls;
  for (const auto& a : n.aggregates) calls.push_back(&a.call);
  // What the group reads: COUNT without the rows (CountJoinedRows) needs none of the
  // last join's own variables.
  const bool counts_only = exec::GroupOp::CountsOnly(calls);
  std::vector<int> read = keys;
  for (const auto& a : n.aggregates) {
    if (!a.call.args.empty() && a.call.args[0].op == ast::Expr::Op::kTerm && a.call.args[0].term.is_var) {
      read.push_back(ctx_.Slot(a.call.args[0].term.var));
    }
  }
  // Counts over a large BGP: each thread groups its part of the scan.
  if (Splittable(input) && counts_only && !chunk_) {
    auto split = Split(input);
    restore();
    if (!split.workers.empty()) {
      const std::size_t threads = split.workers.size();
      for (auto& worker : split.workers) CountJoinedRows(*worker.root, read);
      auto group = std::make_unique<exec::GroupOp>(ctx_, std::move(split.workers), std::move(keys), std::move(aggregates),
                                                   std::move(split.stop));
      const bool parts_in_order = in_order_of_key(split.sorted_by);
      if (parts_in_order) group->KeysComeInOrder();
      in.op = std::move(group);
      in.rows = n.keys.empty() ? 1 : std::max(1.0, std::sqrt(in.rows));
      in.bound = algebra::CertainVars(n);
      return Label(std::move(in), label + order_label(parts_in_order) + " (" + std::to_string(threads) +
                                      " threads, each a part of the scan; the first shown)");
    }
  }
  restore();
  if (counts_only) CountJoinedRows(*in.op, read);
  auto group = std::make_unique<exec::GroupOp>(ctx_, std::move(in.op), std::move(keys), std::move(aggregates),
                                               ReadSlots(arguments));
  if (keys_in_order) group->KeysComeInOrder();
  in.op = std::move(group);
  in.rows = n.keys.empty() ? 1 : std::max(1.0, std::sqrt(in.rows));
  in.bound = algebra::CertainVars(n);
  return Label(std::move(in), label + order_label(keys_in_order));
}

void Planner::CountJoinedRows(exec::Operator& op, const std::vector<int>& read) {
  auto* join = dynamic_cast<exec::TableJoinOp*>(&op);
  if (join != nullptr && join->CountInstead(read)) op.label += " (counted: each row once, weighted by its matches)";
}

namespace {

void Describe(const exec::Operator& op, int depth, bool analyzed, std::string* out) {
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, "   (est %.0f rows)", op.estimate < 0 ? 0 : op.estimate);
  *out += std::string(static_cast<std::size_t>(depth) * 2, ' ') + op.label + numbers;
  if (analyzed) {
    std::snprintf(numbers, sizeof numbers, "   rows %llu, %.3f ms", static_cast<unsigned long long>(op.rows_out),
                  op.nanos / 1e6);
    *out += numbers;
  }
  *out += "\n";
  for (const exec::Operator* input : op.inputs) {
    if (input->label == "unit") continue;  // the one empty row a BGP starts from
    Describe(*input, depth + 1, analyzed, out);
  }
}

}  // namespace

namespace {
// Operators a node's plan has at most: one per triple pattern and one per node.
std::size_t CountNodes(const Node& n) {
  std::size_t count = 1 + n.triples.size();
  for (const auto& c : n.children) count += CountNodes(*c);
  return count;
}
}  // namespace

PhysicalPlan BuildPlan(const algebra::Query& query, const ast::Query& syntax, ExecContext& ctx) {
  PhysicalPlan plan;
  plan.planner = std::make_shared<Planner>(ctx, query);
  for (const auto& v : query.vars) plan.output_slots.push_back(ctx.Slot(v));
  ctx.SetDataset(syntax.from, syntax.from_named);
  plan.planner->AssignSlots(*query.root);
  // Each operator holds a block of the query's width: with very many variables and
  // patterns, blocks get fewer rows, and beyond that (2,000 patterns over 2,000
  // variables, say) the query is refused.
  constexpr std::size_t kCells = std::size_t{8} << 20, kMaxCells = std::size_t{4} << 20;
  const std::size_t cells = ctx.width() * (CountNodes(*query.root) + 1);
  if (cells > kMaxCells) {
    ctx.Fail(Status::InvalidArgument("query too large: " + std::to_string(ctx.width()) + " variables over " +
                                     std::to_string(CountNodes(*query.root)) + " patterns and operators"));
    plan.root = std::make_unique<exec::TableOp>(ctx, std::vector<std::vector<TermId>>{});
    return plan;
  }
  ctx.set_block_rows(std::clamp<std::size_t>(kCells / std::max<std::size_t>(cells, 1), 1, exec::kBlockRows));
  std::weak_ptr<Planner> planner = plan.planner;
  ctx.exists = [planner](const ast::Expr& e, const std::vector<TermId>& row) -> std::optional<bool> {
    auto p = planner.lock();
    return p ? p->Exists(e, row) : std::nullopt;
  };
  plan.root = plan.planner->Plan(*query.root).op;
  return plan;
}

std::string DescribePlan(const exec::Operator& root, bool analyzed) {
  std::string out;
  Describe(root, 0, analyzed, &out);
  return out;
}

void EnableProfiling(exec::Operator& root) {
  root.profiling = true;
  for (exec::Operator* input : root.inputs) EnableProfiling(*input);
}

}  // namespace parley::query::plan
