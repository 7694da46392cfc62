// query/exec/aggregates.cpp
// GROUP BY and aggregates, grouped on term ids in a hash table with one accumulator per
// aggregate and group.
#include "query/exec/evaluator.hpp"

namespace parley::query::exec {

int Evaluator::VariableSlot(Frame& frame, const ast::Expr& e) {
  return e.op == Op::kTerm && e.term.is_var ? frame.Slot(e.term.var) : -1;
}

void Evaluator::AddToGroups(const ast::Query& q, Frame& frame, Grouping* g, Binding& s) {
  std::vector<TermId>& key = g->key;  // reused: most rows join a group that exists
  key.clear();
  for (std::size_t k = 0; k < q.group_by.size(); ++k) {
    const int slot = g->key_slots[k];
    if (slot >= 0) {
      key.push_back(static_cast<std::size_t>(slot) < s.size() ? s[static_cast<std::size_t>(slot)] : kUnbound);
      continue;
    }
    auto v = Eval(frame, q.group_by[k].expr, s, GraphCtx{}, nullptr);
    key.push_back(v ? table_.Intern(*v) : kUnbound);
  }
  auto it = g->index.find(key);
  if (it == g->index.end()) {
    it = g->index.emplace(key, g->groups.size()).first;
    g->groups.push_back(GroupState{key, std::vector<Accumulator>(g->aggregates.size())});
  }
  GroupState& state = g->groups[it->second];
  for (std::size_t i = 0; i < g->aggregates.size(); ++i) {
    const int slot = g->argument_slots[i];
    if (slot < 0) {
      Accumulate(frame, *g->aggregates[i], &state.acc[i], s);
      continue;
    }
    const TermId id = static_cast<std::size_t>(slot) < s.size() ? s[static_cast<std::size_t>(slot)] : kUnbound;
    Accumulator& acc = state.acc[i];
    if (id != kUnbound && (!g->aggregates[i]->distinct || acc.seen_ids.insert(id).second)) ++acc.count;
  }
}

void Evaluator::Accumulate(Frame& frame, const ast::Expr& e, Accumulator* acc, Binding& s) {
  if (e.args.empty()) {  // COUNT(*)
    if (e.distinct) {
      acc->seen_rows.insert(s);
    } else {
      ++acc->count;
    }
    return;
  }
  exec::Accumulate(e, Eval(frame, e.args[0], s, GraphCtx{}, nullptr), acc);
}

void Evaluator::FinishGroups(const ast::Query& q, Frame& frame, Grouping& g, std::vector<Binding>* out,
                             std::vector<AggregateValues>* values) {
  // Aggregates over no solutions still make one group (COUNT(*) = 0), unless grouped.
  if (g.groups.empty() && q.group_by.empty())
    g.groups.push_back(GroupState{{}, std::vector<Accumulator>(g.aggregates.size())});
  const std::size_t width = frame.slots.size() + 8;
  for (const GroupState& state : g.groups) {
    AggregateValues agg;
    agg.reserve(g.aggregates.size());
    for (std::size_t i = 0; i < g.aggregates.size(); ++i) agg.emplace_back(g.aggregates[i], exec::FinishAggregate(*g.aggregates[i], state.acc[i]));
    Binding row(width, kUnbound);
    for (std::size_t k = 0; k < q.group_by.size(); ++k) {
      const auto& c = q.group_by[k];
      if (!c.var.empty()) row[static_cast<std::size_t>(frame.Slot(c.var))] = state.key[k];
      if (c.expr.op == Op::kTerm && c.expr.term.is_var)
        row[static_cast<std::size_t>(frame.Slot(c.expr.term.var))] = state.key[k];
    }
    agg_values_ = &agg;
    Project(q, frame, row);
    bool keep = true;
    for (const auto& h : q.having) {
      auto v = Eval(frame, h, row, GraphCtx{}, nullptr);
      keep = keep && v && exec::EffectiveBoolean(*v).value_or(false);
    }
    agg_values_ = nullptr;
    if (!keep) continue;
    out->push_back(std::move(row));
    values->push_back(std::move(agg));
  }
}

}  // namespace parley::query::exec
