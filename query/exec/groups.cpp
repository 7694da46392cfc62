// query/exec/groups.cpp
// Group graph patterns: the planned order of a group's elements, OPTIONAL, MINUS,
// UNION, GRAPH and sub-selects, correlated or materialised and joined through a hash
// index.
#include "query/exec/evaluator.hpp"

namespace parley::query::exec {

const plan::GroupPlan& Evaluator::PlanFor(const ast::GroupPattern& g, bool skip_filters) {
  auto key = std::make_pair(static_cast<const void*>(&g), skip_filters);
  auto it = group_plans_.find(key);
  if (it == group_plans_.end()) it = group_plans_.emplace(key, plan::PlanGroup(g, skip_filters)).first;
  return it->second;
}

bool Evaluator::EvalGroup(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx, Binding& b, const Sink& sink,
                          bool skip_filters) {
  const plan::GroupPlan& plan = PlanFor(g, skip_filters);
  const auto& steps = plan.steps;
  std::function<bool(std::size_t, Binding&)> step = [&](std::size_t i, Binding& cur) -> bool {
    for (const ast::Expr* filter : plan.filters_before[i]) {
      if (!Test(f, *filter, cur, ctx)) return true;
    }
    if (i == steps.size()) return sink(cur);
    const ast::Element& e = *steps[i];
    auto then = [&](Binding& next) { return step(i + 1, next); };
    if (e.kind != Kind::kTriples) return EvalElement(f, e, ctx, cur, then);
    return Profiled(&e, then, [&](const Sink& out) { return Bgp(f, e.triples, plan.inside[i], ctx, cur, out); });
  };
  if (auto narrowed = PrefixCandidates(f, plan, b)) {
    // A label search: bind the variable to each string with the prefix, straight from
    // the dictionary, instead of scanning every candidate's label. The filter still runs.
    auto& slot = b[narrowed->first];
    for (TermId id : narrowed->second) {
      slot = id;
      const bool go_on = step(0, b);
      slot = kUnbound;
      if (!go_on) return false;
    }
    return true;
  }
  return step(0, b);
}

std::optional<std::pair<std::size_t, std::vector<TermId>>> Evaluator::PrefixCandidates(Frame& f,
                                                                                       const plan::GroupPlan& plan,
                                                                                       const Binding& b) {
  constexpr std::size_t kMaxCandidates = 4096;
  if (plan.filters_before.size() < 2) return std::nullopt;  // no steps
  auto required = plan::PrefixCandidate(plan, BoundNames(f, plan, b));
  if (!required) return std::nullopt;
  const int slot = f.Find(required->var);
  if (slot < 0) return std::nullopt;
  std::vector<TermId> ids;
  if (!table_.dictionary().StringLiteralsWithPrefix(required->prefix, kMaxCandidates, &ids)) return std::nullopt;
  if (profile_ != nullptr) profile_->prefix_candidates[&plan] = ids.size();
  return std::make_pair(static_cast<std::size_t>(slot), std::move(ids));
}

std::set<std::string> Evaluator::BoundNames(Frame& f, const plan::GroupPlan& plan, const Binding& b) {
  std::set<std::string> bound;
  for (const auto* filters : {&plan.filters_before, &plan.inside}) {
    for (const auto& at : *filters) {
      for (const ast::Expr* filter : at) {
        auto required = plan::PrefixOf(*filter);
        if (!required) continue;
        const int slot = f.Find(required->var);
        if (slot >= 0 && b[static_cast<std::size_t>(slot)] != kUnbound) bound.insert(required->var);
      }
    }
  }
  return bound;
}

bool Evaluator::Test(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx) {
  auto v = Eval(f, e, b, ctx, nullptr);
  if (!v) return false;
  return exec::EffectiveBoolean(*v).value_or(false);
}

std::size_t Evaluator::KeyHash(const Binding& row, const std::vector<std::size_t>& slots) {
  std::size_t h = 1469598103934665603ULL;
  for (std::size_t s : slots) h = (h ^ row[s]) * 1099511628211ULL;
  return h;
}

bool Evaluator::JoinRows(const std::vector<Binding>& rows, Binding& b, const Sink& next, bool cached) {
  if (cached && rows.size() > 32) {
    std::vector<std::size_t> key;
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (b[i] == kUnbound) continue;
      if (std::all_of(rows.begin(), rows.end(), [&](const Binding& r) { return i < r.size() && r[i] != kUnbound; })) {
        key.push_back(i);
      }
    }
    if (!key.empty()) {
      auto& index = indexes_[{&rows, key}];
      if (index.slots.empty()) {
        index.slots = key;
        for (std::size_t r = 0; r < rows.size(); ++r) index.buckets.emplace(KeyHash(rows[r], key), r);
      }
      auto [lo, hi] = index.buckets.equal_range(KeyHash(b, key));
      std::vector<Binding> candidates;
      for (auto it = lo; it != hi; ++it) candidates.push_back(rows[it->second]);
      return JoinRowsScan(candidates, b, next);
    }
  }
  return JoinRowsScan(rows, b, next);
}

bool Evaluator::JoinRowsScan(const std::vector<Binding>& rows, Binding& b, const Sink& next) {
  std::vector<std::size_t> changed;
  for (const auto& r : rows) {
    if (!Tick()) return false;
    bool ok = true;
    changed.clear();
    for (std::size_t i = 0; i < r.size() && i < b.size(); ++i) {
      if (r[i] == kUnbound) continue;
      if (b[i] == kUnbound) {
        b[i] = r[i];
        changed.push_back(i);
      } else if (b[i] != r[i]) {
        ok = false;
        break;
      }
    }
    bool go_on = true;
    if (ok) go_on = next(b);
    for (std::size_t i : changed) b[i] = kUnbound;
    if (!go_on) return false;
  }
  return true;
}

const std::vector<Binding>& Evaluator::Materialize(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx,
                                                   bool skip_filters) {
  auto key = std::make_tuple(static_cast<const void*>(&g), ctx.is_default, ctx.graph, skip_filters);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  std::vector<Binding> rows;
  Binding empty(f.slots.size() + 8, kUnbound);
  EvalGroup(
      f, g, ctx, empty,
      [&](Binding& r) {
        rows.push_back(r);
        return true;
      },
      skip_filters);
  return cache_.emplace(key, std::move(rows)).first->second;
}

bool Evaluator::EvalElement(Frame& f, const ast::Element& e, const GraphCtx& ctx, Binding& b, const Sink& next) {
  return Profiled(&e, next, [&](const Sink& sink) { return EvalElementBody(f, e, ctx, b, sink); });
}

bool Evaluator::EvalElementBody(Frame& f, const ast::Element& e, const GraphCtx& ctx, Binding& b, const Sink& next) {
  switch (e.kind) {
    case Kind::kTriples:
      return Bgp(f, e.triples, kNoFilters, ctx, b, next);
    case Kind::kGroup:
      if (Correlatable(e.groups[0], false)) return EvalGroup(f, e.groups[0], ctx, b, next);
      return JoinRows(Materialize(f, e.groups[0], ctx), b, next, true);
    case Kind::kUnion:
      for (const auto& branch : e.groups) {
        bool go_on = Correlatable(branch, false) ? EvalGroup(f, branch, ctx, b, next)
                                                 : JoinRows(Materialize(f, branch, ctx), b, next, true);
        if (!go_on) return false;
      }
      return true;
    case Kind::kOptional:
      return Optional(f, e.groups[0], ctx, b, next);
    case Kind::kMinus: {
      const auto& rows = Materialize(f, e.groups[0], ctx);
      for (const auto& r : rows) {
        bool compatible = true, shared = false;
        for (std::size_t i = 0; i < r.size() && i < b.size(); ++i) {
          if (r[i] == kUnbound || b[i] == kUnbound) continue;
          shared = true;
          if (r[i] != b[i]) compatible = false;
        }
        if (compatible && shared) return true;  // removed
      }
      return next(b);
    }
    case Kind::kGraph:
      return GraphElement(f, e, ctx, b, next);
    case Kind::kBind: {
      auto value = Eval(f, e.expr, b, ctx, nullptr);
      const auto slot = static_cast<std::size_t>(f.Slot(e.var));
      if (!value) return next(b);
      b[slot] = table_.Intern(*value);
      bool go_on = next(b);
      b[slot] = kUnbound;
      return go_on;
    }
    case Kind::kValues: {
      std::vector<Binding> rows;
      for (const auto& row : e.values.rows) {
        Binding r(b.size(), kUnbound);
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (row[i]) r[static_cast<std::size_t>(f.Slot(e.values.vars[i]))] = table_.Intern(*row[i]);
        }
        rows.push_back(std::move(r));
      }
      return JoinRows(rows, b, next);
    }
    case Kind::kSubSelect:
      return JoinRows(SubSelect(f, *e.subquery, ctx), b, next);
    case Kind::kFilter:
      return next(b);
  }
  return true;
}

bool Evaluator::Optional(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx, Binding& b, const Sink& next) {
  bool found = false;
  if (Correlatable(g, true)) {
    // LeftJoin(L, P, F): F (the group's filters) sees the merged solution, as here.
    bool go_on = EvalGroup(f, g, ctx, b, [&](Binding& merged) {
      found = true;
      return next(merged);
    });
    if (!go_on) return false;
    return found ? true : next(b);
  }
  std::vector<const ast::Expr*> filters;
  for (const auto& e : g.elements) {
    if (e.kind == Kind::kFilter) filters.push_back(&e.expr);
  }
  const auto& rows = Materialize(f, g, ctx, /*skip_filters=*/true);
  bool go_on = JoinRows(
      rows, b,
      [&](Binding& merged) {
        for (const ast::Expr* filter : filters) {
          if (!Test(f, *filter, merged, ctx)) return true;
        }
        found = true;
        return next(merged);
      },
      true);
  if (!go_on) return false;
  return found ? true : next(b);
}

bool Evaluator::GraphElement(Frame& f, const ast::Element& e, const GraphCtx&, Binding& b, const Sink& next) {
  const ast::GroupPattern& inner = e.groups[0];
  auto run = [&](TermId graph) {
    GraphCtx ctx{false, graph};
    if (Correlatable(inner, false)) return EvalGroup(f, inner, ctx, b, next);
    return JoinRows(Materialize(f, inner, ctx), b, next, true);
  };
  if (!e.graph.is_var) {
    const auto& named = NamedGraphs();
    TermId g = table_.StoreId(e.graph.term);
    if (g == kUnbound || std::find(named.begin(), named.end(), g) == named.end()) return true;
    return run(g);
  }
  const auto slot = static_cast<std::size_t>(f.Slot(e.graph.var));
  if (b[slot] != kUnbound) {
    const auto& named = NamedGraphs();
    if (std::find(named.begin(), named.end(), b[slot]) == named.end()) return true;
    return run(b[slot]);
  }
  const bool has_triples = std::any_of(inner.elements.begin(), inner.elements.end(),
                                       [](const ast::Element& x) { return x.kind == Kind::kTriples; });
  if (has_triples && Correlatable(inner, false) && !HasPaths(inner)) {
    // The patterns find their graphs themselves: no need to visit graph by graph.
    return EvalGroup(f, inner, GraphCtx{false, kAnyNamedGraph, static_cast<int>(slot)}, b, next);
  }
  for (TermId g : NamedGraphs()) {
    b[slot] = g;
    bool go_on = run(g);
    b[slot] = kUnbound;
    if (!go_on) return false;
  }
  return true;
}

bool Evaluator::HasPaths(const ast::GroupPattern& g) {
  for (const auto& e : g.elements) {
    for (const auto& t : e.triples) {
      if (!t.predicate_is_var && !t.path.IsLink()) return true;
    }
  }
  return false;
}

std::vector<Binding> Evaluator::SubSelect(Frame& outer, const ast::Query& q, const GraphCtx& ctx) {
  Frame inner;
  std::vector<Binding> rows;
  std::vector<std::string> vars;
  Status s = Select(q, inner, &rows, &vars, 0, ctx);
  if (!s.ok() && status_.ok()) status_ = s;
  std::vector<Binding> out;
  for (const auto& row : rows) {
    Binding mapped(outer.slots.size() + 8, kUnbound);
    for (const auto& v : vars) {
      int from = inner.Find(v), to = outer.Find(v);
      if (from >= 0 && to >= 0 && static_cast<std::size_t>(to) < mapped.size()) {
        mapped[static_cast<std::size_t>(to)] = row[static_cast<std::size_t>(from)];
      }
    }
    out.push_back(std::move(mapped));
  }
  return out;
}

}  // namespace parley::query::exec
