// query/plan/physical.cpp
// The planner. Each algebra node becomes one or more operators; a BGP becomes a chain
// of pattern joins in the order that keeps the estimated rows smallest at each step.
#include "query/plan/physical.hpp"

#include "query/plan/planner.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

namespace parley::query::plan {

using algebra::Node;
using algebra::Op;
using exec::ExecContext;
using exec::OperatorPtr;

namespace {

bool ExprSupported(const ast::Expr& e) {
  if (e.pattern) return false;  // EXISTS: still the evaluator's
  return std::all_of(e.args.begin(), e.args.end(), ExprSupported);
}

// `limited`: a LIMIT is right above, so an ORDER BY here keeps only the top rows. A full
// sort still belongs to the evaluator, which spills sorted runs to disk.
bool NodeSupported(const Node& n, bool limited = false) {
  if (n.op == Op::kPath || n.op == Op::kGraph || n.op == Op::kMinus) return false;
  if (n.op == Op::kOrderBy && !limited) return false;
  if (n.op == Op::kSlice && n.limit) return NodeSupported(*n.children[0], true);
  if (n.op == Op::kProject && limited) return NodeSupported(*n.children[0], true);
  if (!std::all_of(n.exprs.begin(), n.exprs.end(), ExprSupported)) return false;
  // A filter that requires a literal prefix narrows the evaluator's scan through the
  // dictionary's sorted strings, which the operators do not do yet.
  if (n.op == Op::kFilter && std::any_of(n.exprs.begin(), n.exprs.end(), [](const ast::Expr& e) { return PrefixOf(e).has_value(); })) {
    return false;
  }
  for (const auto& a : n.aggregates) {
    if (!ExprSupported(a.call)) return false;
  }
  for (const auto& o : n.order) {
    if (!ExprSupported(o.expr)) return false;
  }
  return std::all_of(n.children.begin(), n.children.end(), [](const auto& c) { return NodeSupported(*c); });
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

class Planner {
 public:
  explicit Planner(ExecContext& ctx) : ctx_(ctx) {}

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
        return PlanBgp(Unit(), n.triples, {});
      case Op::kFilter:
        if (n.children[0]->op == Op::kBgp) return PlanBgp(Unit(), n.children[0]->triples, Pointers(n.exprs));
        return Filtered(Plan(*n.children[0]), Pointers(n.exprs));
      case Op::kTable:
        return Table(n);
      case Op::kJoin:
        return Join(n);
      case Op::kLeftJoin:
        return HashJoin(Plan(*n.children[0]), Plan(*n.children[1]), n, true);
      case Op::kUnion: {
        Built left = Plan(*n.children[0]), right = Plan(*n.children[1]);
        Built out{std::make_unique<exec::UnionOp>(ctx_, std::move(left.op), std::move(right.op)), left.rows + right.rows,
                  algebra::CertainVars(n)};
        return Label(std::move(out), "union");
      }
      case Op::kExtend: {
        Built in = Plan(*n.children[0]);
        in.op = std::make_unique<exec::ExtendOp>(ctx_, std::move(in.op), ctx_.Slot(n.var), &n.exprs[0], ReadSlots(n.exprs));
        return Label(std::move(in), "extend ?" + n.var + " := " + algebra::PrintExpr(n.exprs[0]));
      }
      case Op::kGroup:
        return Group(n);
      case Op::kOrderBy: {
        Built in = Plan(*n.children[0]);
        std::vector<ast::Expr> exprs;
        for (const auto& o : n.order) exprs.push_back(o.expr);
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
      default:
        break;
    }
    return Unit();  // not reached: Supported() refused the rest
  }

 private:
  static std::vector<const ast::Expr*> Pointers(const std::vector<ast::Expr>& exprs) {
    std::vector<const ast::Expr*> out;
    for (const auto& e : exprs) out.push_back(&e);
    return out;
  }

  void BindExpr(const ast::Expr& e) {
    if (e.op == ast::Expr::Op::kTerm && e.term.is_var) e.term.slot = ctx_.Slot(e.term.var);
    for (const auto& a : e.args) BindExpr(a);
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

  Built Filtered(Built in, std::vector<const ast::Expr*> exprs) {
    if (exprs.empty()) return in;
    std::string label = "filter";
    for (const auto* e : exprs) label += " " + algebra::PrintExpr(*e);
    auto slots = ReadSlots(exprs);
    in.op = std::make_unique<exec::FilterOp>(ctx_, std::move(in.op), std::move(exprs), std::move(slots));
    in.rows = std::max(1.0, in.rows / 3);
    return Label(std::move(in), label);
  }

  // A BGP, or a filtered one whose filters read only its own variables: its patterns can
  // run over the rows of whatever it is joined with.
  static const Node* BindableBgp(const Node& n, std::vector<const ast::Expr*>* filters) {
    if (n.op == Op::kBgp) return &n;
    if (n.op != Op::kFilter || n.children[0]->op != Op::kBgp) return nullptr;
    std::set<std::string> vars;
    for (const auto& e : n.exprs) algebra::ExprVars(e, &vars);
    if (!Within(vars, algebra::CertainVars(*n.children[0]))) return nullptr;
    *filters = Pointers(n.exprs);
    return n.children[0].get();
  }

  Built Join(const Node& n) {
    for (int side = 1; side >= 0; --side) {
      std::vector<const ast::Expr*> filters;
      if (const Node* bgp = BindableBgp(*n.children[static_cast<std::size_t>(side)], &filters)) {
        return PlanBgp(Plan(*n.children[static_cast<std::size_t>(1 - side)]), bgp->triples, std::move(filters));
      }
    }
    return HashJoin(Plan(*n.children[0]), Plan(*n.children[1]), n, false);
  }

  Built HashJoin(Built left, Built right, const Node& n, bool optional) {
    const auto left_vars = algebra::PossibleVars(*n.children[0]), right_vars = algebra::PossibleVars(*n.children[1]);
    std::vector<int> keys, shared;
    std::string key_names;
    for (const auto& v : left_vars) {
      if (!right_vars.count(v)) continue;
      shared.push_back(ctx_.Slot(v));
      if (left.bound.count(v) && right.bound.count(v)) {
        keys.push_back(ctx_.Slot(v));
        key_names += " ?" + v;
      }
    }
    const double rows = optional ? std::max(left.rows, left.rows * right.rows / 10) : left.rows * right.rows / 10;
    std::set<std::string> bound = left.bound;
    if (!optional) bound.insert(right.bound.begin(), right.bound.end());
    auto op = std::make_unique<exec::HashJoinOp>(ctx_, std::move(left.op), std::move(right.op), std::move(keys),
                                                 std::move(shared), optional, Pointers(n.exprs), ReadSlots(n.exprs));
    std::string label = std::string(optional ? "left join" : "join") + " (hash on" + (key_names.empty() ? " nothing" : key_names) + ")";
    for (const auto& e : n.exprs) label += " " + algebra::PrintExpr(e);
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
      for (const auto& arg : a.call.args) arguments.push_back(arg);
    }
    std::string label = "group by";
    for (const auto& k : n.keys) label += " ?" + k;
    for (const auto& a : n.aggregates) label += ", ?" + a.var + " := " + algebra::PrintExpr(a.call);
    in.op = std::make_unique<exec::GroupOp>(ctx_, std::move(in.op), std::move(keys), std::move(aggregates),
                                            ReadSlots(arguments));
    in.rows = n.keys.empty() ? 1 : std::max(1.0, std::sqrt(in.rows));
    in.bound = algebra::CertainVars(n);
    return Label(std::move(in), label);
  }

  // ---- BGPs

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
    } else {
      s.cp = ctx_.table().Intern(Term::Iri(t.path.iri));
    }
    position(t.object, &s.o, &s.co);
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

  Built PlanBgp(Built in, const std::vector<ast::TriplePattern>& triples, std::vector<const ast::Expr*> filters) {
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
    std::vector<exec::PatternSlots> slots;
    for (const auto& t : triples) slots.push_back(SlotsOf(t));
    for (std::size_t step = 0; step < triples.size(); ++step) {
      // The cheapest next pattern, preferring those that share a variable with the rows.
      std::size_t best = triples.size();
      double best_rows = 0;
      bool best_connected = false;
      for (std::size_t i = 0; i < triples.size(); ++i) {
        if (used[i]) continue;
        const bool connected = in.bound.empty() || Connected(triples[i], in.bound);
        const double rows = Estimate(triples[i], slots[i], in.bound);
        if (best == triples.size() || (connected && !best_connected) || (connected == best_connected && rows < best_rows)) {
          best = i;
          best_rows = rows;
          best_connected = connected;
        }
      }
      used[best] = true;
      in = JoinPattern(std::move(in), triples[best], best_rows);
      in = place_filters(std::move(in), false);
    }
    return place_filters(std::move(in), true);
  }

  // Joins one pattern to the rows: by probing the index once per row, or, when reading
  // all of the pattern's matches once costs less than the probes would (a seek costs
  // about as much as reading kRowsPerSeek rows in order), through a table of them.
  Built JoinPattern(Built in, const ast::TriplePattern& t, double matches_per_row) {
    constexpr double kRowsPerSeek = 8, kMaxTableRows = 4e6;
    const exec::PatternSlots slots = SlotsOf(t);
    const bool s_bound = t.subject.is_var && in.bound.count(t.subject.var);
    const bool o_bound = t.object.is_var && in.bound.count(t.object.var);
    const bool p_free = !t.predicate_is_var || !in.bound.count(t.predicate_var);
    exec::PatternMethod method = exec::PatternMethod::kProbe;
    int key_slot = -1;
    if (s_bound != o_bound && p_free && t.subject.is_var && t.object.is_var && t.subject.var != t.object.var) {
      const double table_rows = Estimate(t, {});
      if (table_rows <= kMaxTableRows && table_rows < in.rows * kRowsPerSeek && in.rows > 64) {
        method = exec::PatternMethod::kHash;
        key_slot = s_bound ? slots.s : slots.o;
      }
    }
    const bool first = in.bound.empty() && in.rows <= 1;
    in.op = std::make_unique<exec::PatternJoinOp>(ctx_, std::move(in.op), slots, method, key_slot);
    in.rows = std::max(in.rows * matches_per_row, 0.0);
    for (const auto& v : TripleVars(t)) in.bound.insert(v);
    const std::string how = method == exec::PatternMethod::kHash ? "hash join" : first ? "scan" : "index join";
    return Label(std::move(in), how + " " + TripleLabel(t));
  }

  ExecContext& ctx_;
};

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

bool Supported(const algebra::Query& query, const ast::Query& syntax) {
  if (query.form != ast::Query::Form::kSelect && query.form != ast::Query::Form::kAsk) return false;
  if (!syntax.from.empty() || !syntax.from_named.empty()) return false;
  return NodeSupported(*query.root);
}

PhysicalPlan BuildPlan(const algebra::Query& query, ExecContext& ctx) {
  Planner planner(ctx);
  PhysicalPlan plan;
  for (const auto& v : query.vars) plan.output_slots.push_back(ctx.Slot(v));
  planner.AssignSlots(*query.root);
  plan.root = planner.Plan(*query.root).op;
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
