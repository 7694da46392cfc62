// query/plan/physical.cpp
// The planner. Each algebra node becomes one or more operators; a BGP becomes a chain
// of pattern joins in the order that keeps the estimated rows smallest at each step.
#include "query/plan/physical.hpp"


#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

namespace parley::query::plan {

using algebra::Node;
using algebra::Op;
using exec::ExecContext;
using exec::OperatorPtr;

namespace {

// The literal text a filter requires ?v to start with: STRSTARTS(?v, "text") or
// REGEX(?v, "^text") without flags, where "text" holds no regex operator.
struct RequiredPrefix {
  std::string var;
  std::string prefix;
};
std::optional<RequiredPrefix> PrefixOf(const ast::Expr& e) {
  using EOp = ast::Expr::Op;
  if (e.op != EOp::kCall || e.args.size() != 2) return std::nullopt;
  const ast::Expr& target = e.args[0];
  const ast::Expr& text = e.args[1];
  if (target.op != EOp::kTerm || !target.term.is_var) return std::nullopt;
  if (text.op != EOp::kTerm || text.term.is_var || text.term.term.kind != TermKind::kLiteral) return std::nullopt;
  if (!text.term.term.language.empty()) return std::nullopt;
  const std::string& value = text.term.term.value;
  if (e.name == "STRSTARTS") return RequiredPrefix{target.term.var, value};
  if (e.name != "REGEX" || value.size() < 2 || value[0] != '^') return std::nullopt;
  if (value.find('|') != std::string::npos) return std::nullopt;  // "^a|b" is not anchored
  std::string prefix;
  for (std::size_t i = 1; i < value.size(); ++i) {
    const char c = value[i];
    if (std::string_view(".[]()*+?{}\\^$").find(c) != std::string_view::npos) {
      // A quantifier makes the character before it optional.
      if ((c == '*' || c == '?' || c == '{') && !prefix.empty()) prefix.pop_back();
      break;
    }
    prefix.push_back(c);
  }
  if (prefix.empty()) return std::nullopt;
  return RequiredPrefix{target.term.var, prefix};
}

// Whether every solution of `n` comes from matching a pattern in the active graph, so
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

// An IRI as explain shows it: with one of the built-in prefixes when one fits.
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

}  // namespace

class Planner {
 public:
  Planner(ExecContext& ctx, const algebra::Query& query) : ctx_(ctx), query_(query) {}

  // Gives every variable of the tree its slot before any operator is built, so that the
  // width of a row is known to all of them.
  void AssignSlots(const Node& n) {
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

  struct Built {
    OperatorPtr op;
    double rows = 1;
    std::set<std::string> bound;  // variables every row binds
  };

  Built Plan(const Node& n, std::optional<std::size_t> keep = std::nullopt) {
    switch (n.op) {
      case Op::kBgp:
      case Op::kPath:
      case Op::kFilter:
      case Op::kJoin:
        return PlanOver(Unit(), n);
      case Op::kTable:
        return Table(n);
      case Op::kLeftJoin: {
        // OPTIONAL { one pattern }: probed for each row, as a join of that pattern would be.
        const Node& right = *n.children[1];
        if (right.op == Op::kBgp && right.triples.size() == 1 && n.exprs.empty()) {
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
                  algebra::CertainVars(n)};
        return Label(std::move(out), "union");
      }
      case Op::kGraph:
        return Graph(Unit(), n);
      case Op::kExtend:
        return Extend(Plan(*n.children[0]), n);
      case Op::kGroup:
        return Group(n);
      case Op::kOrderBy: {
        Built in = Plan(*n.children[0]);
        std::vector<ast::Expr> exprs;
        for (const auto& o : n.order) {
          exprs.push_back(o.expr);
          NoteExists(o.expr);
        }
        in.op = std::make_unique<exec::OrderOp>(ctx_, std::move(in.op), n.order, ReadSlots(exprs), keep);
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
        return Label(std::move(in), "distinct");
      }
      case Op::kSlice: {
        std::optional<std::size_t> want;
        const Node* below = n.children[0].get();
        if (below->op == Op::kProject) below = below->children[0].get();
        if (n.limit && below->op == Op::kOrderBy) want = static_cast<std::size_t>(n.offset + *n.limit);
        Built in = Plan(*n.children[0], want);
        in.op = std::make_unique<exec::SliceOp>(ctx_, std::move(in.op), n.offset, n.limit);
        if (n.limit) in.rows = std::min<double>(in.rows, static_cast<double>(*n.limit));
        return Label(std::move(in), "slice offset " + std::to_string(n.offset) +
                                        (n.limit ? " limit " + std::to_string(*n.limit) : std::string()));
      }
    }
    return Unit();
  }

  // `n` joined to the rows of `in`. Patterns, paths and filters run over those rows
  // (a bind join: each row's values narrow the index scans), and so do the operands of a
  // join one after the other; anything else is planned on its own and hash-joined.
  Built PlanOver(Built in, const Node& n) {
    switch (n.op) {
      case Op::kBgp:
        return PlanBgp(std::move(in), n.triples, {});
      case Op::kPath:
        return JoinPath(std::move(in), n.triples[0]);
      case Op::kFilter:
        // A filter sees only its own group's variables: over the rows before it only
        // when its group binds all it reads anyway (or, in EXISTS, the row's values are
        // substituted into it).
        if (!substitute_ && !IsUnitOp(in) && !ReadsOnlyCertain(n.exprs, *n.children[0])) break;
        if (n.children[0]->op == Op::kBgp) return PlanBgp(std::move(in), n.children[0]->triples, Pointers(n.exprs));
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

  // EXISTS { pattern } for the values of one row: the pattern planned over that row.
  std::optional<bool> Exists(const ast::Expr& e, const std::vector<TermId>& row) {
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

 private:
  std::optional<bool> Run(const ast::Expr& e, const Node* pattern, const std::vector<TermId>& row) {
    std::set<std::string> bound;
    for (std::size_t slot = 0; slot < row.size(); ++slot) {
      if (row[slot] != exec::kUnbound) bound.insert(ctx_.name(slot));
    }
    Built in{std::make_unique<exec::TableOp>(ctx_, std::vector<std::vector<TermId>>{row}), 1, bound};
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

  static void MentionedVars(const Node& n, std::set<std::string>* out) {
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

  static bool IsBgp(const Node& n) { return n.op == Op::kBgp || (n.op == Op::kFilter && n.children[0]->op == Op::kBgp); }

  static bool ReadsOnlyCertain(const std::vector<ast::Expr>& exprs, const Node& n) {
    std::set<std::string> vars;
    bool exists = false;
    for (const auto& e : exprs) algebra::ExprVars(e, &vars, &exists);
    return !exists && Within(vars, algebra::CertainVars(n));
  }

  // Remembers the graph each EXISTS is evaluated in: the one active where it is met.
  void NoteExists(const ast::Expr& e) {
    if (e.pattern) exists_graphs_[e.pattern.get()] = {graph_, graph_slot_};
    for (const auto& a : e.args) NoteExists(a);
  }
  static bool IsUnitOp(const Built& b) { return b.op->label == "unit"; }

  static std::vector<const ast::Expr*> Pointers(const std::vector<ast::Expr>& exprs) {
    std::vector<const ast::Expr*> out;
    for (const auto& e : exprs) out.push_back(&e);
    return out;
  }

  void BindExpr(const ast::Expr& e) {
    if (e.op == ast::Expr::Op::kTerm && e.term.is_var) e.term.slot = ctx_.Slot(e.term.var);
    for (const auto& a : e.args) BindExpr(a);
    if (e.pattern) {
      if (const Node* pattern = query_.ExistsPattern(e.pattern.get())) AssignSlots(*pattern);
    }
  }

  // The slots an expression reads, for decoding their terms a block at a time.
  std::vector<int> ReadSlots(const std::vector<ast::Expr>& exprs) {
    std::set<std::string> vars;
    for (const auto& e : exprs) algebra::ExprVars(e, &vars);
    std::vector<int> out;
    for (const auto& v : vars) out.push_back(ctx_.Slot(v));
    return out;
  }
  std::vector<int> ReadSlots(const std::vector<const ast::Expr*>& exprs) {
    std::vector<ast::Expr> copies;
    for (const auto* e : exprs) copies.push_back(*e);
    return ReadSlots(copies);
  }

  Built Label(Built b, std::string label) {
    b.op->label = std::move(label);
    b.op->estimate = b.rows;
    return b;
  }

  Built Unit() {
    std::vector<std::vector<TermId>> rows(1, std::vector<TermId>(ctx_.width(), exec::kUnbound));
    Built unit{std::make_unique<exec::TableOp>(ctx_, std::move(rows)), 1, {}};
    return Label(std::move(unit), "unit");
  }

  Built Table(const Node& n) {
    std::vector<std::vector<TermId>> rows;
    for (const auto& values : n.table.rows) {
      std::vector<TermId> row(ctx_.width(), exec::kUnbound);
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i]) row[static_cast<std::size_t>(ctx_.Slot(n.table.vars[i]))] = ctx_.table().Intern(*values[i]);
      }
      rows.push_back(std::move(row));
    }
    const double count = static_cast<double>(rows.size());
    Built out{std::make_unique<exec::TableOp>(ctx_, std::move(rows)), count, algebra::CertainVars(n)};
    return Label(std::move(out), n.IsUnit() ? "unit" : "values (" + std::to_string(n.table.rows.size()) + " rows)");
  }

  // One column of ids as a table: the named graphs, or a filter's prefix candidates.
  Built Column(const std::string& var, const std::vector<TermId>& ids, std::string label) {
    std::vector<std::vector<TermId>> rows;
    for (TermId id : ids) {
      rows.emplace_back(ctx_.width(), exec::kUnbound);
      rows.back()[static_cast<std::size_t>(ctx_.Slot(var))] = id;
    }
    Built out{std::make_unique<exec::TableOp>(ctx_, std::move(rows)), static_cast<double>(ids.size()), {var}};
    return Label(std::move(out), std::move(label));
  }

  Built Filtered(Built in, std::vector<const ast::Expr*> exprs) {
    if (exprs.empty()) return in;
    for (const auto* e : exprs) NoteExists(*e);
    std::string label = "filter";
    for (const auto* e : exprs) label += " " + algebra::PrintExpr(*e);
    auto slots = ReadSlots(exprs);
    in.op = std::make_unique<exec::FilterOp>(ctx_, std::move(in.op), std::move(exprs), std::move(slots));
    in.rows = std::max(1.0, in.rows / 3);
    return Label(std::move(in), label);
  }

  Built Extend(Built in, const Node& n) {
    NoteExists(n.exprs[0]);
    in.op = std::make_unique<exec::ExtendOp>(ctx_, std::move(in.op), ctx_.Slot(n.var), &n.exprs[0], ReadSlots(n.exprs));
    return Label(std::move(in), "extend ?" + n.var + " := " + algebra::PrintExpr(n.exprs[0]));
  }

  // GRAPH g { P } over the rows of `in`: P's patterns match in graph g.
  Built Graph(Built in, const Node& n) {
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
                          {n.graph.var}},
                    "union");
      }
      if (!all.op) all = Column(n.graph.var, {}, "no named graphs");
      out = IsUnitOp(in) ? std::move(all) : HashJoin(std::move(in), std::move(all), algebra::PossibleVars(n), exec::JoinKind::kInner, {});
    }
    graph_ = outer_graph;
    graph_slot_ = outer_slot;
    return out;
  }

  std::string IdLabel(TermId id) {
    const Term& t = ctx_.table().Get(id);
    return t.kind == TermKind::kIri ? IriLabel(t.value) : ToNTriples(t);
  }

  Built HashJoin(Built left, Built right, const Node& n, exec::JoinKind kind) {
    const auto right_vars = algebra::PossibleVars(*n.children[1]);
    return HashJoin(std::move(left), std::move(right), right_vars, kind, Pointers(n.exprs), algebra::PossibleVars(*n.children[0]));
  }

  // `left_vars`: the variables the left rows may bind (all slots when not given).
  Built HashJoin(Built left, Built right, const std::set<std::string>& right_vars, exec::JoinKind kind,
                 std::vector<const ast::Expr*> exprs, std::optional<std::set<std::string>> left_vars = std::nullopt) {
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
    return Label(Built{std::move(op), std::max(1.0, rows), bound}, label);
  }

  Built Group(const Node& n) {
    Built in = Plan(*n.children[0]);
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
    // Counts over a large BGP: each thread groups its part of the scan.
    const Node& input = *n.children[0];
    if (IsBgp(input) && exec::GroupOp::CountsOnly(calls)) {
      const auto& triples = input.op == Op::kBgp ? input.triples : input.children[0]->triples;
      auto split = Split(triples, input.op == Op::kBgp ? std::vector<const ast::Expr*>{} : Pointers(input.exprs));
      if (!split.workers.empty()) {
        const std::size_t threads = split.workers.size();
        in.op = std::make_unique<exec::GroupOp>(ctx_, std::move(split.workers), std::move(keys), std::move(aggregates),
                                                std::move(split.stop));
        in.rows = n.keys.empty() ? 1 : std::max(1.0, std::sqrt(in.rows));
        in.bound = algebra::CertainVars(n);
        return Label(std::move(in), label + " (" + std::to_string(threads) + " threads, each a part of the scan; the first shown)");
      }
    }
    in.op = std::make_unique<exec::GroupOp>(ctx_, std::move(in.op), std::move(keys), std::move(aggregates),
                                            ReadSlots(arguments));
    in.rows = n.keys.empty() ? 1 : std::max(1.0, std::sqrt(in.rows));
    in.bound = algebra::CertainVars(n);
    return Label(std::move(in), label);
  }

  // ---- BGPs and paths

  exec::PatternSlots SlotsOf(const ast::TriplePattern& t) {
    exec::PatternSlots s;
    auto position = [&](const ast::PatternTerm& term, int* slot, TermId* constant) {
      if (term.is_var) {
        *slot = ctx_.Slot(term.var);
      } else {
        *constant = ctx_.table().Intern(term.term);
      }
    };
    position(t.subject, &s.s, &s.cs);
    if (t.predicate_is_var) {
      s.p = ctx_.Slot(t.predicate_var);
    } else if (t.path.IsLink()) {
      s.cp = ctx_.table().Intern(Term::Iri(t.path.iri));
    }
    position(t.object, &s.o, &s.co);
    s.g = graph_slot_;
    s.graph = graph_;
    return s;
  }

  // Expected matches of `t` given the variables in `bound`, from the predicate's counts.
  double Estimate(const ast::TriplePattern& t, const std::set<std::string>& bound) { return Estimate(t, SlotsOf(t), bound); }
  double Estimate(const ast::TriplePattern& t, const exec::PatternSlots& s, const std::set<std::string>& bound) {
    if (((s.cs | s.cp | s.co) & exec::kLocalBit) != 0) return 0;  // a term the store lacks
    const bool sb = !t.subject.is_var || bound.count(t.subject.var);
    const bool ob = !t.object.is_var || bound.count(t.object.var);
    if (t.predicate_is_var) {
      if (sb && ob) return 1;
      return sb || ob ? 20 : 1e9;
    }
    const PredicateStats* stats = ctx_.Stats(s.cp);
    if (stats == nullptr || stats->quads == 0) return ctx_.options().inference ? 1 : 0;
    const double quads = static_cast<double>(stats->quads);
    const double subjects = std::max<double>(1, static_cast<double>(stats->distinct_subjects));
    const double objects = std::max<double>(1, static_cast<double>(stats->distinct_objects));
    // A constant end: its matches are counted (up to kCountCap), since one actor or topic
    // can have a thousand times the average; a variable end the rows bind then keeps the
    // share of them that one of its values has.
    constexpr std::uint64_t kCountCap = 100000;
    if ((!t.subject.is_var || !t.object.is_var) && s.g < 0) {
      double exact = static_cast<double>(ctx_.CountMatches(s.cs, s.cp, s.co, s.graph, kCountCap));
      if (exact >= static_cast<double>(kCountCap)) exact = std::max(exact, quads / (t.subject.is_var ? objects : subjects));
      if (!t.subject.is_var && !t.object.is_var) return exact;
      if (!t.subject.is_var) return ob ? exact / objects : exact;
      return sb ? exact / subjects : exact;
    }
    if (sb && ob) return 1;
    if (sb) return quads / subjects;
    if (ob) return quads / objects;
    return quads;
  }

  static bool Connected(const ast::TriplePattern& t, const std::set<std::string>& bound) {
    for (const auto& v : TripleVars(t)) {
      if (bound.count(v)) return true;
    }
    return false;
  }

  // A filter that requires an object of the BGP to start with a literal prefix, when
  // nothing is bound yet: the dictionary's strings with that prefix (when there are few)
  // become the first rows, instead of a scan of every candidate's string. The filter
  // still runs.
  Built PrefixStart(Built in, const std::vector<ast::TriplePattern>& triples, const std::vector<const ast::Expr*>& filters) {
    constexpr std::size_t kMaxCandidates = 4096;
    if (!IsUnitOp(in)) return in;
    for (const ast::Expr* f : filters) {
      auto required = PrefixOf(*f);
      if (!required) continue;
      const bool is_object = std::any_of(triples.begin(), triples.end(), [&](const auto& t) {
        return t.object.is_var && t.object.var == required->var;
      });
      std::vector<TermId> ids;
      if (!is_object || !ctx_.table().dictionary().StringLiteralsWithPrefix(required->prefix, kMaxCandidates, &ids)) continue;
      return Column(required->var, ids, "strings starting \"" + required->prefix + "\" for ?" + required->var);
    }
    return in;
  }

  // A BGP with its filters, from the unit row, split over the threads when its first scan
  // is large: each worker plans the same joins over its own chunk of that scan. Empty
  // when it is not worth it (one thread, a small scan) or not possible (EXISTS, which
  // plans on the query's own context; a prefix start, which replaces the scan).
  struct SplitPlan {
    std::vector<exec::Worker> workers;
    std::shared_ptr<std::atomic<bool>> stop;  // tells them to stop early
  };
  SplitPlan Split(const std::vector<ast::TriplePattern>& triples, const std::vector<const ast::Expr*>& filters) {
    const unsigned threads = ctx_.options().threads;
    if (threads <= 1 || substitute_ || triples.empty()) return {};
    for (const ast::Expr* f : filters) {
      std::set<std::string> vars;
      bool exists = false;
      algebra::ExprVars(*f, &vars, &exists);
      if (exists || PrefixOf(*f)) return {};
    }
    // The first scan, as PlanBgpSerial chooses it.
    std::vector<exec::PatternSlots> slots;
    for (const auto& t : triples) slots.push_back(SlotsOf(t));
    const std::size_t start = FirstPattern(triples, slots, {}, 1);
    const double first = Estimate(triples[start], slots[start], {});
    if (first < static_cast<double>(ctx_.options().parallel_min_rows)) return {};
    const auto chunk = static_cast<std::uint64_t>(std::ceil(first / threads));
    SplitPlan split{{}, std::make_shared<std::atomic<bool>>(false)};
    auto tables = std::make_shared<std::map<const ast::TriplePattern*, std::shared_ptr<exec::PatternTable>>>();
    for (unsigned w = 0; w < threads; ++w) {
      exec::Worker worker{std::make_unique<ExecContext>(ctx_, split.stop.get()), nullptr};
      Planner planner(*worker.ctx, query_);
      planner.graph_ = graph_;
      planner.graph_slot_ = graph_slot_;
      planner.shared_tables_ = tables;
      planner.chunk_ = exec::Chunk{w * chunk, w + 1 < threads ? std::optional<std::uint64_t>(chunk) : std::nullopt};
      worker.root = planner.PlanBgp(planner.Unit(), triples, filters).op;
      split.workers.push_back(std::move(worker));
    }
    return split;
  }

  Built PlanBgp(Built in, const std::vector<ast::TriplePattern>& triples, std::vector<const ast::Expr*> filters) {
    // Joins or filters over a large scan: split over the threads. (A bare scan is not:
    // its cost is the reading, which each thread would do anyway.)
    if (IsUnitOp(in) && !chunk_ && (triples.size() > 1 || !filters.empty())) {
      auto split = Split(triples, filters);
      if (!split.workers.empty()) {
        Built serial = PlanBgpSerial(std::move(in), triples, filters);  // for its estimate and bound variables
        const std::size_t threads = split.workers.size();
        serial.op = std::make_unique<exec::ExchangeOp>(ctx_, std::move(split.workers), std::move(split.stop));
        return Label(std::move(serial), "parallel (" + std::to_string(threads) + " threads, each a part of the scan; the first shown)");
      }
    }
    return PlanBgpSerial(std::move(in), triples, std::move(filters));
  }

  Built PlanBgpSerial(Built in, const std::vector<ast::TriplePattern>& triples, std::vector<const ast::Expr*> filters) {
    in = PrefixStart(std::move(in), triples, filters);
    std::vector<bool> used(triples.size(), false), placed(filters.size(), false);
    std::vector<std::set<std::string>> filter_vars(filters.size());
    for (std::size_t f = 0; f < filters.size(); ++f) algebra::ExprVars(*filters[f], &filter_vars[f]);
    auto place_filters = [&](Built b, bool all) {
      std::vector<const ast::Expr*> now;
      for (std::size_t f = 0; f < filters.size(); ++f) {
        if (!placed[f] && (all || Within(filter_vars[f], b.bound))) {
          placed[f] = true;
          now.push_back(filters[f]);
        }
      }
      return Filtered(std::move(b), std::move(now));
    };
    in = place_filters(std::move(in), false);
    // Each pattern's expected rows and whether it shares a variable with the rows so
    // far, kept up to date as variables get bound (only the patterns of a newly bound
    // variable change), so that a BGP of thousands of patterns plans in n² compares.
    const std::size_t n = triples.size();
    std::vector<exec::PatternSlots> slots;
    std::vector<double> rows(n);
    std::vector<char> connected(n);
    std::map<std::string, std::vector<std::size_t>> by_var;
    for (std::size_t i = 0; i < n; ++i) {
      slots.push_back(SlotsOf(triples[i]));
      rows[i] = Estimate(triples[i], slots[i], in.bound);
      connected[i] = in.bound.empty() || Connected(triples[i], in.bound);
      for (const auto& v : TripleVars(triples[i])) by_var[v].push_back(i);
    }
    for (std::size_t step = 0; step < n; ++step) {
      // The cheapest next pattern, preferring those that share a variable with the rows.
      std::size_t best = step == 0 ? FirstPattern(triples, slots, in.bound, in.rows) : n;
      for (std::size_t i = 0; step > 0 && i < n; ++i) {
        if (used[i]) continue;
        if (best == n || (connected[i] && !connected[best]) || (connected[i] == connected[best] && rows[i] < rows[best])) {
          best = i;
        }
      }
      used[best] = true;
      const bool nothing_bound = in.bound.empty();
      std::vector<std::string> fresh;
      for (const auto& v : TripleVars(triples[best])) {
        if (!in.bound.count(v)) fresh.push_back(v);
      }
      in = JoinPattern(std::move(in), triples[best], rows[best]);
      in = place_filters(std::move(in), false);
      for (std::size_t i = 0; nothing_bound && i < n; ++i) connected[i] = Connected(triples[i], in.bound);
      for (const auto& v : fresh) {
        for (std::size_t i : by_var[v]) {
          if (used[i]) continue;
          rows[i] = Estimate(triples[i], slots[i], in.bound);
          connected[i] = true;
        }
      }
    }
    return place_filters(std::move(in), true);
  }

  // Costs, in units of one row read in index order.
  static constexpr double kRowsPerSeek = 8;  // an index probe
  static constexpr double kTableRowCost = 2;  // a row read into a join table (read, sort, index)
  static constexpr double kMaxTableRows = 4e6;

  // Whether `t` meets `rows` rows binding `bound` through a table of its matches: when it
  // has one end the rows bind and reading all its matches once costs less than probing.
  bool UsesTable(const ast::TriplePattern& t, const exec::PatternSlots& slots, const std::set<std::string>& bound,
                 double rows) {
    const bool s_bound = t.subject.is_var && bound.count(t.subject.var);
    const bool o_bound = t.object.is_var && bound.count(t.object.var);
    const bool p_free = !t.predicate_is_var || !bound.count(t.predicate_var);
    const bool one_variable = t.subject.is_var && t.object.is_var && t.subject.var == t.object.var;
    if (s_bound == o_bound || !p_free || one_variable || slots.g >= 0 || rows <= 64) return false;
    const double table_rows = Estimate(t, slots, {});
    return table_rows <= kMaxTableRows && table_rows < rows * kRowsPerSeek;
  }

  // The cost of joining the BGP to `rows` rows binding `bound`, starting from pattern
  // `start` and going on as PlanBgpSerial does (the next connected pattern of fewest
  // rows), each pattern probed or read into a table as JoinPattern would.
  double OrderCost(std::size_t start, const std::vector<ast::TriplePattern>& triples,
                   const std::vector<exec::PatternSlots>& slots, std::set<std::string> bound, double rows) {
    std::vector<bool> used(triples.size(), false);
    double cost = 0;
    for (std::size_t step = 0, next = start; step < triples.size(); ++step) {
      if (step > 0) {
        next = triples.size();
        double next_rows = 0;
        bool next_connected = false;
        for (std::size_t i = 0; i < triples.size(); ++i) {
          if (used[i]) continue;
          const bool connected = bound.empty() || Connected(triples[i], bound);
          const double r = Estimate(triples[i], slots[i], bound);
          if (next == triples.size() || (connected && !next_connected) || (connected == next_connected && r < next_rows)) {
            next = i;
            next_rows = r;
            next_connected = connected;
          }
        }
      }
      used[next] = true;
      const double matches = Estimate(triples[next], slots[next], bound);
      if (bound.empty() && rows <= 1) {
        cost += matches;  // the first scan
      } else if (UsesTable(triples[next], slots[next], bound, rows)) {
        cost += Estimate(triples[next], slots[next], {}) * kTableRowCost + rows;
      } else {
        cost += rows * kRowsPerSeek;
      }
      rows *= matches;
      cost += rows;
      for (const auto& v : TripleVars(triples[next])) bound.insert(v);
    }
    return cost;
  }

  // The pattern a BGP starts from: for a few patterns, the start of the cheapest order
  // (OrderCost); for many, the one of fewest rows among those the rows connect to.
  std::size_t FirstPattern(const std::vector<ast::TriplePattern>& triples, const std::vector<exec::PatternSlots>& slots,
                           const std::set<std::string>& bound, double rows) {
    constexpr std::size_t kCostedPatterns = 12;
    std::size_t best = triples.size();
    double best_cost = 0;
    bool best_connected = false;
    for (std::size_t i = 0; i < triples.size(); ++i) {
      const bool connected = bound.empty() || Connected(triples[i], bound);
      const double cost = triples.size() <= kCostedPatterns ? OrderCost(i, triples, slots, bound, rows)
                                                            : Estimate(triples[i], slots[i], bound);
      if (best == triples.size() || (connected && !best_connected) || (connected == best_connected && cost < best_cost)) {
        best = i;
        best_cost = cost;
        best_connected = connected;
      }
    }
    return best;
  }

  // Joins one pattern to the rows: by probing the index once per row, or, when reading
  // all of the pattern's matches once costs less than the probes would (a seek costs
  // about as much as reading kRowsPerSeek rows in order), through a table of them.
  Built JoinPattern(Built in, const ast::TriplePattern& t, double matches_per_row, bool optional = false) {
    const exec::PatternSlots slots = SlotsOf(t);
    const bool s_bound = t.subject.is_var && in.bound.count(t.subject.var);
    const bool o_bound = t.object.is_var && in.bound.count(t.object.var);
    const bool p_free = !t.predicate_is_var || !in.bound.count(t.predicate_var);
    exec::PatternMethod method = exec::PatternMethod::kProbe;
    int key_slot = -1;
    if (UsesTable(t, slots, in.bound, in.rows)) {
      method = exec::PatternMethod::kHash;
      key_slot = s_bound ? slots.s : slots.o;
    }
    const bool first = IsUnitOp(in);
    // The threads of a split plan share one table of each pattern's matches.
    std::shared_ptr<exec::PatternTable> table;
    if (method == exec::PatternMethod::kHash) {
      table = shared_tables_ ? (*shared_tables_)[&t] : nullptr;
      if (!table) table = std::make_shared<exec::PatternTable>();
      if (shared_tables_) (*shared_tables_)[&t] = table;
    }
    auto op = std::make_unique<exec::PatternJoinOp>(ctx_, std::move(in.op), slots, method, key_slot, optional, table);
    if (first && chunk_) op->Restrict(*chunk_);
    in.op = std::move(op);
    in.rows = optional ? std::max(in.rows, in.rows * matches_per_row) : std::max(in.rows * matches_per_row, 0.0);
    if (!optional) {
      for (const auto& v : TripleVars(t)) in.bound.insert(v);
      if (graph_slot_ >= 0) in.bound.insert(ctx_.name(static_cast<std::size_t>(graph_slot_)));
    }
    std::string how = method == exec::PatternMethod::kHash ? "hash join" : first ? "scan" : "index join";
    if (optional) how = "optional " + how;
    return Label(std::move(in), how + " " + TripleLabel(t) + GraphLabel());
  }

  Built JoinPath(Built in, const ast::TriplePattern& t) {
    const bool s_bound = !t.subject.is_var || in.bound.count(t.subject.var);
    const bool o_bound = !t.object.is_var || in.bound.count(t.object.var);
    in.op = std::make_unique<exec::PathOp>(ctx_, std::move(in.op), t, SlotsOf(t));
    in.rows *= s_bound || o_bound ? 50 : 1e6;
    for (const auto& v : TripleVars(t)) in.bound.insert(v);
    if (graph_slot_ >= 0) in.bound.insert(ctx_.name(static_cast<std::size_t>(graph_slot_)));
    return Label(std::move(in), "path " + TermLabel(t.subject) + " " + algebra::PrintPath(t.path) + " " +
                                    TermLabel(t.object) + GraphLabel());
  }

  std::string GraphLabel() {
    if (graph_slot_ >= 0) return " in graph ?" + ctx_.name(static_cast<std::size_t>(graph_slot_));
    if (graph_.kind == exec::GraphRef::Kind::kNamed) return " in graph " + IdLabel(graph_.id);
    return "";
  }

  ExecContext& ctx_;
  const algebra::Query& query_;
  bool substitute_ = false;  // planning an EXISTS pattern for one row's values
  std::map<const Node*, std::vector<int>> exists_slots_;
  std::map<std::vector<TermId>, bool> exists_answers_;
  std::map<const ast::GroupPattern*, std::pair<exec::GraphRef, int>> exists_graphs_;
  // GRAPH ?g over a pattern that uses ?g itself: the slot its patterns bind the graph to.
  std::map<const Node*, int> graph_slots_;
  // A worker's planner: the part of the first scan its plan reads, and the tables of
  // pattern matches its workers share.
  std::optional<exec::Chunk> chunk_;
  std::shared_ptr<std::map<const ast::TriplePattern*, std::shared_ptr<exec::PatternTable>>> shared_tables_;
  // The active graph of the patterns being planned: GRAPH's variable slot, or a graph.
  exec::GraphRef graph_;
  int graph_slot_ = -1;
};

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
