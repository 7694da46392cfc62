// query/plan/planner.cpp
#include "query/plan/planner.hpp"

#include <algorithm>
#include <cstring>

namespace parley::query::plan {

using Kind = ast::Element::Kind;
using Op = ast::Expr::Op;

std::set<std::string> TripleVars(const std::vector<ast::TriplePattern>& triples) {
  std::set<std::string> out;
  for (const auto& t : triples) {
    if (t.subject.is_var) out.insert(t.subject.var);
    if (t.predicate_is_var) out.insert(t.predicate_var);
    if (t.object.is_var) out.insert(t.object.var);
  }
  return out;
}

void ExprVarNames(const ast::Expr& e, std::set<std::string>* out, bool* has_exists) {
  if (e.op == Op::kTerm && e.term.is_var) out->insert(e.term.var);
  if (e.op == Op::kExists || e.op == Op::kNotExists) *has_exists = true;
  for (const auto& a : e.args) ExprVarNames(a, out, has_exists);
}

bool Correlatable(const ast::GroupPattern& g, bool filters_may_see_outside) {
  std::set<std::string> vars;
  for (const auto& e : g.elements) {
    if (e.kind == Kind::kTriples) {
      auto v = TripleVars(e.triples);
      vars.insert(v.begin(), v.end());
    } else if (e.kind != Kind::kFilter) {
      return false;
    }
  }
  if (filters_may_see_outside) return true;
  for (const auto& e : g.elements) {
    if (e.kind != Kind::kFilter) continue;
    std::set<std::string> used;
    bool exists = false;
    ExprVarNames(e.expr, &used, &exists);
    if (exists) return false;
    for (const auto& v : used) {
      if (!vars.count(v)) return false;
    }
  }
  return true;
}

bool HasPaths(const ast::GroupPattern& g) {
  for (const auto& e : g.elements) {
    for (const auto& t : e.triples) {
      if (!t.predicate_is_var && !t.path.IsLink()) return true;
    }
  }
  return false;
}

GroupPlan PlanGroup(const ast::GroupPattern& g, bool skip_filters) {
  GroupPlan plan;
  std::vector<const ast::Expr*> filters;
  for (const auto& e : g.elements) {
    if (e.kind == Kind::kFilter) {
      if (!skip_filters) filters.push_back(&e.expr);
      continue;
    }
    const ast::Element* last = plan.steps.empty() ? nullptr : plan.steps.back();
    if (e.kind == Kind::kTriples && last != nullptr && last->kind == Kind::kTriples) {
      if (plan.joined.empty() || plan.joined.back().get() != last) {
        plan.joined.push_back(std::make_unique<ast::Element>(*last));
        plan.steps.back() = plan.joined.back().get();
      }
      auto& triples = plan.joined.back()->triples;
      triples.insert(triples.end(), e.triples.begin(), e.triples.end());
      continue;
    }
    plan.steps.push_back(&e);
  }
  // Only triples and BIND count as binding for certain (OPTIONAL and the rest may
  // leave a variable unbound).
  std::vector<std::set<std::string>> certain_after(plan.steps.size());
  std::set<std::string> certain;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    if (plan.steps[i]->kind == Kind::kTriples) {
      auto v = TripleVars(plan.steps[i]->triples);
      certain.insert(v.begin(), v.end());
    }
    if (plan.steps[i]->kind == Kind::kBind) certain.insert(plan.steps[i]->var);
    certain_after[i] = certain;
  }
  plan.filters_before.resize(plan.steps.size() + 1);
  plan.inside.resize(plan.steps.size());
  for (const ast::Expr* filter : filters) {
    std::set<std::string> used;
    bool exists = false;
    ExprVarNames(*filter, &used, &exists);
    if (used.empty() && !exists) {  // no variables at all: decided before any work
      plan.filters_before[0].push_back(filter);
      continue;
    }
    std::size_t place = plan.steps.size();
    if (!exists) {
      for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        if (std::includes(certain_after[i].begin(), certain_after[i].end(), used.begin(), used.end())) {
          place = i + 1;
          break;
        }
      }
    }
    // EXISTS reads the row as a whole, so it never moves into a join.
    if (!exists && place > 0 && plan.steps[place - 1]->kind == Kind::kTriples &&
        plan.steps[place - 1]->triples.size() <= kJoinedPatterns) {
      plan.inside[place - 1].push_back(filter);
    } else {
      plan.filters_before[place].push_back(filter);
    }
  }
  return plan;
}

std::vector<std::size_t> FilterPositions(const std::vector<ast::TriplePattern>& triples,
                                         const std::vector<OrderedPattern>& order,
                                         const std::vector<const ast::Expr*>& filters, const std::set<std::string>& bound) {
  std::vector<std::size_t> positions;
  for (const ast::Expr* filter : filters) {
    std::set<std::string> used;
    bool exists = false;
    ExprVarNames(*filter, &used, &exists);
    std::set<std::string> now = bound;
    std::size_t k = 0;
    while (k < order.size() && !std::includes(now.begin(), now.end(), used.begin(), used.end())) {
      auto vars = TripleVars({triples[order[k].index]});
      now.insert(vars.begin(), vars.end());
      ++k;
    }
    positions.push_back(k);
  }
  return positions;
}

std::optional<RequiredPrefix> PrefixOf(const ast::Expr& e) {
  if (e.op != Op::kCall || e.args.size() != 2) return std::nullopt;
  const ast::Expr& target = e.args[0];
  const ast::Expr& text = e.args[1];
  if (target.op != Op::kTerm || !target.term.is_var) return std::nullopt;
  if (text.op != Op::kTerm || text.term.is_var || text.term.term.kind != TermKind::kLiteral) return std::nullopt;
  if (!text.term.term.language.empty()) return std::nullopt;
  const std::string& value = text.term.term.value;
  if (e.name == "STRSTARTS") return RequiredPrefix{target.term.var, value};
  if (e.name != "REGEX" || value.size() < 2 || value[0] != '^') return std::nullopt;
  if (value.find('|') != std::string::npos) return std::nullopt;  // "^a|b" is not anchored
  std::string prefix;
  for (std::size_t i = 1; i < value.size(); ++i) {
    const char c = value[i];
    if (std::strchr(".[]()*+?{}\\^$", c) != nullptr) {
      // A quantifier makes the character before it optional.
      if ((c == '*' || c == '?' || c == '{') && !prefix.empty()) prefix.pop_back();
      break;
    }
    prefix.push_back(c);
  }
  if (prefix.empty()) return std::nullopt;
  return RequiredPrefix{target.term.var, prefix};
}

std::optional<RequiredPrefix> PrefixCandidate(const GroupPlan& plan, const std::set<std::string>& bound) {
  if (plan.steps.empty()) return std::nullopt;
  std::set<std::string> objects;
  for (const ast::Element* e : plan.steps) {
    if (e->kind != Kind::kTriples) return std::nullopt;
    for (const auto& t : e->triples) {
      if (t.object.is_var) objects.insert(t.object.var);
    }
  }
  for (const auto* filters : {&plan.filters_before, &plan.inside}) {
    for (const auto& at : *filters) {
      for (const ast::Expr* filter : at) {
        auto required = PrefixOf(*filter);
        if (required && objects.count(required->var) && !bound.count(required->var)) return required;
      }
    }
  }
  return std::nullopt;
}

double EstimateRows(const ast::TriplePattern& t, const std::set<std::string>& bound, const PredicateFacts& facts) {
  auto is_bound = [&](const ast::PatternTerm& term) { return !term.is_var || bound.count(term.var) > 0; };
  const bool s = is_bound(t.subject), o = is_bound(t.object);
  if (!t.path.IsLink() && !t.predicate_is_var) return s || o ? 50.0 : 1e9;  // paths: from a bound end
  if (s && o) return 1;
  if (facts.kind == PredicateFacts::Kind::kAbsent) return 0;  // nothing matches
  double quads = 1e7, subjects = 1e6, objects = 1e6;
  if (facts.kind == PredicateFacts::Kind::kCounted) {
    quads = facts.quads;
    subjects = std::max(1.0, facts.subjects);
    objects = std::max(1.0, facts.objects);
  }
  if (s) return quads / subjects;
  if (o) return quads / objects;
  const bool predicate_known = !t.predicate_is_var || bound.count(t.predicate_var) > 0;
  return predicate_known ? quads : 1e8;
}

std::vector<OrderedPattern> OrderPatterns(const std::vector<ast::TriplePattern>& triples, std::size_t first,
                                          std::size_t last, std::set<std::string> bound, const FactsOf& facts) {
  last = std::min(last, triples.size());
  std::vector<PredicateFacts> known;
  for (std::size_t i = first; i < last; ++i) known.push_back(facts(triples[i]));
  std::vector<bool> done(last - first, false);
  std::vector<OrderedPattern> order;
  for (std::size_t k = first; k < last; ++k) {
    std::size_t best = 0;
    double best_cost = -1;
    for (std::size_t i = 0; i < done.size(); ++i) {
      if (done[i]) continue;
      const double cost = EstimateRows(triples[first + i], bound, known[i]);
      if (best_cost < 0 || cost < best_cost) {
        best = i;
        best_cost = cost;
      }
    }
    done[best] = true;
    order.push_back({first + best, best_cost});
    auto vars = TripleVars({triples[first + best]});
    bound.insert(vars.begin(), vars.end());
  }
  return order;
}

void AddCertainVars(const ast::Element& e, std::set<std::string>* bound) {
  switch (e.kind) {
    case Kind::kTriples: {
      auto v = TripleVars(e.triples);
      bound->insert(v.begin(), v.end());
      break;
    }
    case Kind::kBind: bound->insert(e.var); break;
    case Kind::kValues:
      for (std::size_t i = 0; i < e.values.vars.size(); ++i) {
        const bool every_row = std::all_of(e.values.rows.begin(), e.values.rows.end(),
                                           [&](const auto& row) { return i < row.size() && row[i].has_value(); });
        if (every_row) bound->insert(e.values.vars[i]);
      }
      break;
    case Kind::kGraph:
      if (e.graph.is_var) bound->insert(e.graph.var);
      [[fallthrough]];
    case Kind::kGroup:
      for (const auto& inner : e.groups[0].elements) AddCertainVars(inner, bound);
      break;
    case Kind::kUnion: {
      std::set<std::string> common;
      for (std::size_t i = 0; i < e.groups.size(); ++i) {
        std::set<std::string> branch;
        for (const auto& inner : e.groups[i].elements) AddCertainVars(inner, &branch);
        if (i == 0) {
          common = branch;
        } else {
          std::set<std::string> both;
          std::set_intersection(common.begin(), common.end(), branch.begin(), branch.end(),
                                std::inserter(both, both.begin()));
          common = both;
        }
      }
      bound->insert(common.begin(), common.end());
      break;
    }
    case Kind::kSubSelect:
      // A projected plain variable that the sub-select's own pattern always binds.
      if (!e.subquery->select_all) {
        std::set<std::string> inner;
        for (const auto& x : e.subquery->where.elements) AddCertainVars(x, &inner);
        for (const auto& p : e.subquery->projection) {
          if (!p.expr && inner.count(p.var)) bound->insert(p.var);
        }
      }
      break;
    case Kind::kOptional:
    case Kind::kMinus:
    case Kind::kFilter: break;
  }
}

}  // namespace parley::query::plan
