// query/exec/explain.cpp
// explain and explain --analyze: the plan the evaluator runs, printed from the same
// planner calls and caches, with each operator's rows and time when analysed.
#include "query/exec/evaluator.hpp"
#include "query/exec/run.hpp"
#include "query/exec/execute.hpp"

namespace parley::query::exec {

BgpPlan Evaluator::PlanOf(const std::vector<ast::TriplePattern>& triples, const std::vector<const ast::Expr*>& filters,
                          const std::set<std::string>& bound) {
  if (triples.size() <= kSlicePatterns) return PlanFor(triples, 0, triples.size(), filters, bound);
  BgpPlan whole;
  std::set<std::string> now = bound;
  for (std::size_t first = 0; first < triples.size(); first += kSlicePatterns) {
    const std::size_t last = std::min(first + kSlicePatterns, triples.size());
    const std::vector<ast::TriplePattern> slice(triples.begin() + static_cast<std::ptrdiff_t>(first),
                                                triples.begin() + static_cast<std::ptrdiff_t>(last));
    std::set<std::string> entry;
    for (const auto& v : TripleVars(slice)) {
      if (now.count(v)) entry.insert(v);
    }
    const auto& part = PlanFor(triples, first, last, kNoFilters, entry);
    whole.order.insert(whole.order.end(), part.order.begin(), part.order.end());
    auto vars = TripleVars(slice);
    now.insert(vars.begin(), vars.end());
  }
  whole.filters_after.resize(whole.order.size() + 1);
  return whole;
}

namespace {
// ---------------------------------------------------------------- explain

std::string Short(const std::string& iri) {
  for (const auto& [prefix, ns] : BuiltinPrefixes()) {
    if (iri.size() > ns.size() && iri.compare(0, ns.size(), ns) == 0 &&
        iri.find_first_of("/#", ns.size()) == std::string::npos) {
      return prefix + ":" + iri.substr(ns.size());
    }
  }
  return "<" + iri + ">";
}

std::string TermText(const ast::PatternTerm& t) {
  if (t.is_var) return t.var.rfind("_:", 0) == 0 ? (t.var.rfind("_:_anon", 0) == 0 ? "[]" : t.var) : "?" + t.var;
  if (t.term.kind == TermKind::kIri) return Short(t.term.value);
  return ToNTriples(t.term);
}

std::string PathText(const ast::Path& p) {
  using POp = ast::Path::Op;
  auto join = [&](const char* sep) {
    std::string out;
    for (const auto& c : p.children) out += (out.empty() ? "" : sep) + PathText(c);
    return "(" + out + ")";
  };
  switch (p.op) {
    case POp::kLink:
      return Short(p.iri);
    case POp::kInverse:
      return "^" + PathText(p.children[0]);
    case POp::kSequence:
      return join("/");
    case POp::kAlternative:
      return join("|");
    case POp::kZeroOrMore:
      return PathText(p.children[0]) + "*";
    case POp::kOneOrMore:
      return PathText(p.children[0]) + "+";
    case POp::kZeroOrOne:
      return PathText(p.children[0]) + "?";
    case POp::kNegated:
      return "!(...)";
  }
  return "?";
}

std::string ExprText(const ast::Expr& e) {
  static const std::map<Op, const char*> kInfix = {{Op::kOr, "||"}, {Op::kAnd, "&&"}, {Op::kEq, "="},  {Op::kNe, "!="},
                                                   {Op::kLt, "<"},  {Op::kGt, ">"},   {Op::kLe, "<="}, {Op::kGe, ">="},
                                                   {Op::kAdd, "+"}, {Op::kSub, "-"},  {Op::kMul, "*"}, {Op::kDiv, "/"}};
  if (e.op == Op::kTerm) return TermText(e.term);
  if (auto it = kInfix.find(e.op); it != kInfix.end()) {
    std::string out = ExprText(e.args[0]);
    for (std::size_t i = 1; i < e.args.size(); ++i) out += std::string(" ") + it->second + " " + ExprText(e.args[i]);
    return "(" + out + ")";
  }
  if (e.op == Op::kNot) return "!" + ExprText(e.args[0]);
  if (e.op == Op::kNeg) return "-" + ExprText(e.args[0]);
  if (e.op == Op::kExists || e.op == Op::kNotExists) return e.op == Op::kExists ? "EXISTS {...}" : "NOT EXISTS {...}";
  std::string args;
  for (const auto& a : e.args) args += (args.empty() ? "" : ", ") + ExprText(a);
  if (e.op == Op::kIn || e.op == Op::kNotIn) return "(" + args + ")" + (e.op == Op::kIn ? " IN" : " NOT IN");
  if (e.op == Op::kAggregate)
    return e.name + "(" + std::string(e.distinct ? "DISTINCT " : "") + (args.empty() ? "*" : args) + ")";
  return (e.name.find(':') != std::string::npos ? Short(e.name) : e.name) + "(" + args + ")";
}

// Prints the plan the evaluator executes: the group plans and join orders come from the
// same planner calls (and caches) that the evaluator runs, and under --analyze each
// BGP's order is the one it ran with, per set of variables bound on entry.
class Explainer {
 public:
  Explainer(Evaluator& evaluator, const Profile* profile) : evaluator_(evaluator), profile_(profile) {}

  std::string Query(const ast::Query& q, int depth = 0) {
    if (q.limit || q.offset)
      Line(depth++,
           "Slice" + (q.offset ? " offset " + std::to_string(*q.offset) : std::string()) +
               (q.limit ? " limit " + std::to_string(*q.limit) : std::string()),
           nullptr);
    if (q.distinct || q.reduced) Line(depth++, q.distinct ? "Distinct" : "Reduced", nullptr);
    std::string head = q.form == ast::Query::Form::kSelect      ? "Project"
                       : q.form == ast::Query::Form::kAsk       ? "Ask"
                       : q.form == ast::Query::Form::kConstruct ? "Construct"
                                                                : "Describe";
    if (q.select_all) head += " *";
    for (const auto& p : q.projection) head += p.expr ? " (" + ExprText(*p.expr) + " AS ?" + p.var + ")" : " ?" + p.var;
    Line(depth++, head, nullptr);
    if (!q.order_by.empty()) {
      std::string order = "OrderBy";
      for (const auto& o : q.order_by)
        order += std::string(" ") + (o.descending ? "DESC(" : "") + ExprText(o.expr) + (o.descending ? ")" : "");
      if (q.limit) order += "   (top " + std::to_string(*q.limit + q.offset.value_or(0)) + " kept in a heap)";
      Line(depth++, order, nullptr);
    }
    if (!q.group_by.empty() || !q.having.empty()) {
      std::string group = "Group";
      for (const auto& g : q.group_by) group += " " + ExprText(g.expr);
      for (const auto& h : q.having) group += " HAVING " + ExprText(h);
      Line(depth++, group + "   (hash table on term ids)", nullptr);
    }
    Group(q.where, false, depth, {});
    return out_;
  }

 private:
  void Line(int depth, const std::string& text, const void* node, double estimate = -1) {
    std::string line = std::string(static_cast<std::size_t>(depth) * 2, ' ') + text;
    if (estimate >= 0) line += "   est " + FormatNumber(estimate);
    if (profile_ != nullptr && node != nullptr) {
      auto it = profile_->ops.find(node);
      const OpStats stats = it == profile_->ops.end() ? OpStats{} : it->second;
      line += "   rows " + std::to_string(stats.rows) + ", " + FormatNumber(stats.nanos / 1e6) + " ms";
      if (stats.table_rows > 0)
        line += ", then joined through a table of " + std::to_string(stats.table_rows) + " rows";
    }
    out_ += line + "\n";
  }

  static std::string FormatNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f" : "%.3g", v);
    return buf;
  }

  static std::string Names(const std::set<std::string>& vars) {
    std::string out;
    for (const auto& v : vars) out += (out.empty() ? "?" : " ?") + v;
    return out.empty() ? "nothing" : out;
  }

  // A group's steps in run order, each filter where it runs; `bound` holds the variables
  // bound on entry (none for a group that runs on its own).
  void Group(const ast::GroupPattern& g, bool skip_filters, int depth, std::set<std::string> bound) {
    const plan::GroupPlan& plan = evaluator_.GroupPlanFor(g, skip_filters);
    if (auto candidate = plan::PrefixCandidate(plan, bound)) {
      std::string line =
          "Candidates ?" + candidate->var + " := the dictionary's strings starting with \"" + candidate->prefix + "\"";
      if (profile_ != nullptr) {
        auto it = profile_->prefix_candidates.find(&plan);
        if (it != profile_->prefix_candidates.end()) line += "   " + std::to_string(it->second) + " candidates";
      }
      Line(depth, line, nullptr);
      bound.insert(candidate->var);
    }
    for (std::size_t i = 0; i <= plan.steps.size(); ++i) {
      for (const ast::Expr* filter : plan.filters_before[i]) Line(depth, "Filter " + ExprText(*filter), nullptr);
      if (i == plan.steps.size()) break;
      if (plan.steps[i]->kind == Kind::kTriples) {
        Bgp(*plan.steps[i], plan.inside[i], depth, bound);
      } else {
        Step(*plan.steps[i], depth, bound);
      }
      plan::AddCertainVars(*plan.steps[i], &bound);
    }
  }

  void Step(const ast::Element& e, int depth, const std::set<std::string>& bound) {
    switch (e.kind) {
      case Kind::kTriples:
        Bgp(e, kNoFilters, depth, bound);
        break;
      case Kind::kBind:
        Line(depth, "Extend ?" + e.var + " := " + ExprText(e.expr), &e);
        break;
      case Kind::kValues:
        Line(depth, "Values (" + std::to_string(e.values.rows.size()) + " rows, joined by compatibility)", &e);
        break;
      case Kind::kSubSelect:
        Line(depth, "SubSelect (runs once on its own, joined by compatibility)", &e);
        Query(*e.subquery, depth + 1);
        break;
      case Kind::kGroup:
        Nested("Join (group)", e.groups[0], Correlatable(e.groups[0], false), e, depth, bound);
        break;
      case Kind::kUnion:
        Line(depth, "Union", &e);
        for (const auto& branch : e.groups)
          Nested("Branch", branch, Correlatable(branch, false), e, depth + 1, bound, false);
        break;
      case Kind::kOptional: {
        const ast::GroupPattern& inner = e.groups[0];
        if (Correlatable(inner, true)) {
          Nested("LeftJoin (OPTIONAL)", inner, true, e, depth, bound);
        } else {
          Line(depth,
               "LeftJoin (OPTIONAL, its pattern materialised once and hash-joined; its filters run on each joined row)",
               &e);
          Group(inner, /*skip_filters=*/true, depth + 1, {});
          for (const auto& x : inner.elements) {
            if (x.kind == Kind::kFilter) Line(depth + 1, "Filter (on the joined row) " + ExprText(x.expr), nullptr);
          }
        }
        break;
      }
      case Kind::kMinus:
        Nested("Minus", e.groups[0], false, e, depth, bound);
        break;
      case Kind::kGraph:
        Graph(e, depth, bound);
        break;
      case Kind::kFilter:
        break;  // placed by the group plan
    }
  }

  // A nested group that runs either once per input row with it pushed in (correlated) or
  // once on its own, its rows hash-joined (materialised).
  void Nested(const std::string& name, const ast::GroupPattern& g, bool correlated, const ast::Element& e, int depth,
              const std::set<std::string>& bound, bool profiled = true) {
    Line(depth, name + (correlated ? " (correlated: runs once per input row)" : " (materialised once, hash-joined)"),
         profiled ? &e : nullptr);
    Group(g, false, depth + 1, correlated ? bound : std::set<std::string>{});
  }

  void Graph(const ast::Element& e, int depth, const std::set<std::string>& bound) {
    const ast::GroupPattern& inner = e.groups[0];
    const bool correlated = Correlatable(inner, false);
    if (!e.graph.is_var || bound.count(e.graph.var)) {
      Nested("Graph " + TermText(e.graph), inner, correlated, e, depth, bound);
      return;
    }
    const bool has_triples = std::any_of(inner.elements.begin(), inner.elements.end(),
                                         [](const ast::Element& x) { return x.kind == Kind::kTriples; });
    if (has_triples && correlated && !HasPaths(inner)) {
      Line(depth, "Graph " + TermText(e.graph) + " (the patterns bind the graph)", &e);
      Group(inner, false, depth + 1, bound);
      return;
    }
    std::set<std::string> with_graph = correlated ? bound : std::set<std::string>{};
    if (correlated) with_graph.insert(e.graph.var);
    Line(depth,
         "Graph " + TermText(e.graph) + " (once per named graph" + (correlated ? ")" : ", materialised, hash-joined)"),
         &e);
    Group(inner, false, depth + 1, with_graph);
  }

  std::string PatternText(const ast::TriplePattern& t) {
    return TermText(t.subject) + " " + (t.predicate_is_var ? "?" + t.predicate_var : PathText(t.path)) + " " +
           TermText(t.object);
  }

  void Bgp(const ast::Element& e, const std::vector<const ast::Expr*>& filters, int depth,
           const std::set<std::string>& bound) {
    const auto& triples = e.triples;
    Line(depth, "BGP (" + std::to_string(triples.size()) + " patterns, index nested loops in this order)", &e);
    std::set<std::string> entry;
    for (const auto& v : TripleVars(triples)) {
      if (bound.count(v)) entry.insert(v);
    }
    // Under --analyze a BGP of one slice shows the plan of each entry it actually ran
    // with, when that differs from the plan's assumption.
    const std::map<std::set<std::string>, std::uint64_t>* ran = nullptr;
    if (profile_ != nullptr && triples.size() <= kSlicePatterns) {
      auto it = profile_->orders.find({&triples, 0});
      if (it != profile_->orders.end()) ran = &it->second;
    }
    if (ran == nullptr || (ran->size() == 1 && ran->begin()->first == entry)) {
      Joins(triples, evaluator_.PlanOf(triples, filters, entry), depth + 1);
      return;
    }
    for (const auto& [vars, times] : *ran) {
      Line(depth + 1, "entered " + std::to_string(times) + " times with " + Names(vars) + " bound:", nullptr);
      Joins(triples, evaluator_.PlanOf(triples, filters, vars), depth + 2);
    }
  }

  void Joins(const std::vector<ast::TriplePattern>& triples, const BgpPlan& p, int depth) {
    for (std::size_t k = 0; k <= p.order.size(); ++k) {
      for (const ast::Expr* filter : p.filters_after[k]) Line(depth, "Filter " + ExprText(*filter), nullptr);
      if (k == p.order.size()) break;
      const auto& t = triples[p.order[k].index];
      Line(depth, PatternText(t), &t, p.order[k].estimate);
    }
  }

  Evaluator& evaluator_;
  const Profile* profile_;
  std::string out_;
};

// Counts an answer's rows or triples and keeps none (explain --analyze).
struct RowCounter final : ResultSink {
  std::uint64_t count = 0;
  Status Begin(QueryForm, const std::vector<std::string>&) override { return Status::OK(); }
  Status Row(const std::vector<std::optional<Term>>&) override { return ++count, Status::OK(); }
  Status Triple(const query::Triple&) override { return ++count, Status::OK(); }
  Status Boolean(bool) override { return Status::OK(); }
  Status End() override { return Status::OK(); }
};

}  // namespace

}  // namespace parley::query::exec

namespace parley::query {

using exec::Evaluator;
using exec::Explainer;
using exec::Profile;
using exec::RowCounter;

Result<std::string> ExplainPlan(const ast::Query& query, const QuadSource& source, const TermDictionary& dictionary,
                                const QueryOptions& options, bool analyze) {
  const algebra::Query algebra = algebra::Translate(query);
  if (exec::RunsOnOperators(algebra, query)) return exec::ExplainOperators(algebra, source, dictionary, options, analyze);
  Evaluator evaluator(source, dictionary, options, options.base);
  Profile profile;
  std::string footer;
  if (analyze) {
    evaluator.set_profile(&profile);
    const auto start = std::chrono::steady_clock::now();
    RowCounter counter;
    PARLEY_RETURN_IF_ERROR(evaluator.Run(query, counter));
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    char line[96];
    std::snprintf(line, sizeof line, "total: %llu result rows in %.3f ms\n",
                  static_cast<unsigned long long>(counter.count), ms);
    footer = line;
  }
  Explainer explainer(evaluator, analyze ? &profile : nullptr);
  return explainer.Query(query) + footer;
}

}  // namespace parley::query
