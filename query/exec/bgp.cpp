// query/exec/bgp.cpp
// Basic graph patterns: index nested loops in the planned order, filters inside the
// join with their terms decoded per batch of rows, and join tables for patterns probed
// once per row.
#include "query/exec/evaluator.hpp"

namespace parley::query::exec {

std::size_t Evaluator::SlotOf(Frame& f, const ast::PatternTerm& t) {
  if (t.slot < 0) t.slot = f.Slot(t.var);
  return static_cast<std::size_t>(t.slot);
}

TermId Evaluator::Resolve(Frame& f, const ast::PatternTerm& t, const Binding& b) {
  if (t.is_var) return b[SlotOf(f, t)];
  auto it = constants_.find(&t);
  if (it != constants_.end()) return it->second;
  return constants_[&t] = table_.Intern(t.term);
}

TermId Evaluator::PredicateId(const ast::TriplePattern& t) {
  auto it = predicates_.find(&t);
  if (it != predicates_.end()) return it->second;
  return predicates_[&t] = table_.Intern(Term::Iri(t.path.iri));
}

const PredicateStats* Evaluator::CachedStats(TermId p) {
  auto it = stats_.find(p);
  if (it == stats_.end()) {
    auto s = source_.Stats(p);
    it = stats_.emplace(p, s.ok() ? *s : PredicateStats{}).first;
  }
  return &it->second;
}

plan::PredicateFacts Evaluator::FactsFor(const ast::TriplePattern& t) {
  using Facts = plan::PredicateFacts;
  if (t.predicate_is_var || !t.path.IsLink()) return {};
  const TermId p = PredicateId(t);
  if ((p & exec::kLocalBit) != 0) return {Facts::Kind::kAbsent};
  const PredicateStats* stats = CachedStats(p);
  return {Facts::Kind::kCounted, static_cast<double>(stats->quads), static_cast<double>(stats->distinct_subjects),
          static_cast<double>(stats->distinct_objects)};
}

const BgpPlan& Evaluator::PlanFor(const std::vector<ast::TriplePattern>& triples, std::size_t first, std::size_t last,
                                  const std::vector<const ast::Expr*>& filters, const std::set<std::string>& bound) {
  auto key = std::make_tuple(static_cast<const void*>(&triples), first, static_cast<const void*>(&filters), bound);
  auto it = bgp_plans_.find(key);
  if (it == bgp_plans_.end()) {
    auto facts = [this](const ast::TriplePattern& t) { return FactsFor(t); };
    BgpPlan p;
    p.order = plan::OrderPatterns(triples, first, last, bound, facts);
    p.filters_after.resize(p.order.size() + 1);
    const auto positions = plan::FilterPositions(triples, p.order, filters, bound);
    for (std::size_t j = 0; j < filters.size(); ++j) p.filters_after[positions[j]].push_back(filters[j]);
    it = bgp_plans_.emplace(key, std::move(p)).first;
  }
  return it->second;
}

std::set<std::string> Evaluator::BoundOnEntry(Frame& f, const std::vector<ast::TriplePattern>& triples,
                                              std::size_t first, std::size_t last, const Binding& b) {
  std::set<std::string> bound;
  auto note = [&](const std::string& var) {
    const int slot = f.Find(var);
    if (slot >= 0 && b[static_cast<std::size_t>(slot)] != kUnbound) bound.insert(var);
  };
  for (std::size_t i = first; i < last; ++i) {
    const auto& t = triples[i];
    if (t.subject.is_var) note(t.subject.var);
    if (t.predicate_is_var) note(t.predicate_var);
    if (t.object.is_var) note(t.object.var);
  }
  return bound;
}

bool Evaluator::Bgp(Frame& f, const std::vector<ast::TriplePattern>& triples,
                    const std::vector<const ast::Expr*>& filters, const GraphCtx& ctx, Binding& b, const Sink& next) {
  if (triples.size() <= kSlicePatterns) return BgpSlice(f, triples, 0, triples.size(), filters, ctx, b, next);
  std::vector<Binding> rows{b};
  for (std::size_t first = 0; first < triples.size(); first += kSlicePatterns) {
    const std::size_t last = std::min(first + kSlicePatterns, triples.size());
    std::vector<Binding> joined;
    for (Binding& row : rows) {
      const bool go_on = BgpSlice(f, triples, first, last, kNoFilters, ctx, row, [&](Binding& out) {
        if (last == triples.size()) return next(out);
        joined.push_back(out);
        return status_.ok();
      });
      if (!go_on) return false;
    }
    rows = std::move(joined);
  }
  return true;
}

bool Evaluator::BgpSlice(Frame& f, const std::vector<ast::TriplePattern>& triples, std::size_t first, std::size_t last,
                         const std::vector<const ast::Expr*>& filters, const GraphCtx& ctx, Binding& b,
                         const Sink& next) {
  const auto bound = BoundOnEntry(f, triples, first, last, b);
  const BgpPlan& planned = PlanFor(triples, first, last, filters, bound);
  const auto& order = planned.order;
  if (profile_ != nullptr) ++profile_->orders[{&triples, first}][bound];
  // Rows reaching a step with filters wait there in a batch, whose terms are then
  // decoded in one pass; step 0 sees only the row the BGP started with.
  std::vector<RowBatch> batches(order.size() + 1);
  for (std::size_t k = 1; k <= order.size(); ++k) {
    for (const ast::Expr* filter : planned.filters_after[k]) batches[k].AddSlots(f, *filter);
  }
  std::function<bool(std::size_t)> step;
  auto filter_and_go_on = [&](std::size_t k) -> bool {
    for (const ast::Expr* filter : planned.filters_after[k]) {
      if (!Test(f, *filter, b, ctx)) return true;
    }
    if (k == order.size()) return next(b);
    return Pattern(f, triples[order[k].index], ctx, b, [&](Binding&) { return step(k + 1); });
  };
  auto flush = [&](std::size_t k) { return FlushBatch(batches[k], b, [&] { return filter_and_go_on(k); }); };
  step = [&](std::size_t k) -> bool {
    if (batches[k].slots.empty()) return filter_and_go_on(k);
    return !batches[k].Add(b) || flush(k);
  };
  if (!step(0)) return false;
  for (std::size_t k = 1; k <= order.size(); ++k) {  // a flush feeds only later steps
    if (!batches[k].rows.empty() && !flush(k)) return false;
  }
  return true;
}

bool Evaluator::FlushBatch(RowBatch& batch, Binding& b, const std::function<bool()>& go_on) {
  std::vector<TermId> rows = std::move(batch.rows);
  batch.rows.clear();
  std::vector<TermId> wanted;
  for (std::size_t at = 0; at < rows.size(); at += batch.width) {
    for (int slot : batch.slots) wanted.push_back(rows[at + static_cast<std::size_t>(slot)]);
  }
  table_.Prefetch(std::move(wanted));
  const Binding saved = b;
  bool go = true;
  for (std::size_t at = 0; go && at < rows.size(); at += batch.width) {
    std::copy(rows.begin() + static_cast<std::ptrdiff_t>(at),
              rows.begin() + static_cast<std::ptrdiff_t>(at + batch.width), b.begin());
    go = go_on();
  }
  b = saved;
  return go;
}

bool Evaluator::Bind(Frame& f, const ast::PatternTerm& t, TermId id, Binding& b, bool* set) {
  *set = false;
  if (!t.is_var) return true;
  auto& slot = b[SlotOf(f, t)];
  if (slot == kUnbound) {
    slot = id;
    *set = true;
    return true;
  }
  return slot == id;
}

bool Evaluator::Pattern(Frame& f, const ast::TriplePattern& t, const GraphCtx& ctx, Binding& b, const Sink& next) {
  return Profiled(&t, next, [&](const Sink& sink) { return PatternBody(f, t, ctx, b, sink); });
}

bool Evaluator::PatternBody(Frame& f, const ast::TriplePattern& t, const GraphCtx& outer_ctx, Binding& b,
                            const Sink& next) {
  GraphCtx ctx = outer_ctx;
  TermId* graph_slot = nullptr;
  if (ctx.graph_slot >= 0) {
    TermId& slot = b[static_cast<std::size_t>(ctx.graph_slot)];
    if (slot != kUnbound) {
      ctx.graph = slot;
    } else {
      graph_slot = &slot;  // this pattern's matches name the graph
    }
  }
  const TermId s = Resolve(f, t.subject, b), o = Resolve(f, t.object, b);
  auto emit = [&](TermId qs, TermId qp, TermId qo) {
    bool set_s = false, set_p = false, set_o = false;
    bool ok = Bind(f, t.subject, qs, b, &set_s);
    if (ok && t.predicate_is_var) {
      auto& slot = b[static_cast<std::size_t>(f.Slot(t.predicate_var))];
      if (slot == kUnbound) {
        slot = qp;
        set_p = true;
      } else {
        ok = slot == qp;
      }
    }
    ok = ok && Bind(f, t.object, qo, b, &set_o);
    bool go_on = !ok || next(b);
    if (set_s) b[SlotOf(f, t.subject)] = kUnbound;
    if (set_p) b[static_cast<std::size_t>(f.Slot(t.predicate_var))] = kUnbound;
    if (set_o) b[SlotOf(f, t.object)] = kUnbound;
    return go_on;
  };
  if (t.predicate_is_var || t.path.IsLink()) {
    TermId p = t.predicate_is_var ? b[static_cast<std::size_t>(f.Slot(t.predicate_var))] : PredicateId(t);
    // One end bound by the row, the other a free variable or a constant: a probe,
    // which may be answered from a join table instead of a seek.
    const bool s_from_row = t.subject.is_var && s != kUnbound, o_from_row = t.object.is_var && o != kUnbound;
    if (!t.predicate_is_var && graph_slot == nullptr && s_from_row != o_from_row) {
      const TermId fixed = s_from_row ? (t.object.is_var ? kUnbound : o) : (t.subject.is_var ? kUnbound : s);
      if (const JoinTable* table = JoinTableFor(t, p, s_from_row, fixed, ctx)) {
        if (!Tick()) return false;
        const JoinTable::Match probe{s_from_row ? s : o, kUnbound, kUnbound};
        auto [from, to] = std::equal_range(table->matches.begin(), table->matches.end(), probe);
        for (auto it = from; it != to; ++it) {
          if (!emit(it->subject, p, it->object)) return false;
        }
        return true;
      }
    }
    return ScanInferred(s, p, o, ctx, [&](const Quad& q) {
      if (graph_slot == nullptr) return emit(q.subject, q.predicate, q.object);
      *graph_slot = q.graph;
      bool go_on = emit(q.subject, q.predicate, q.object);
      *graph_slot = kUnbound;
      return go_on;
    });
  }
  return Pairs(t.path, s, o, ctx, [&](TermId x, TermId y) { return emit(x, kUnbound, y); });
}

auto Evaluator::JoinTableFor(const ast::TriplePattern& t, TermId p, bool subject_key, TermId fixed, const GraphCtx& ctx)
    -> const JoinTable* {
  if ((p & exec::kLocalBit) != 0) return nullptr;  // the scan finds nothing at once
  if (rdf_type_ == kUnbound) rdf_type_ = table_.StoreId(Term::Iri(kRdfType));
  if (options_.inference && p == rdf_type_ && !subject_key) return nullptr;  // a row's class expands to its subclasses
  JoinTable& table = join_tables_[JoinKey{&t, subject_key, ctx.is_default, ctx.graph}];
  if (table.built) return &table;
  if (table.refused || ++table.probes < kMinProbes) return nullptr;
  const PredicateStats* stats = CachedStats(p);
  double rows = static_cast<double>(stats->quads);
  if (fixed != kUnbound) {
    rows /= std::max<double>(1, static_cast<double>(subject_key ? stats->distinct_objects : stats->distinct_subjects));
  }
  if (rows > kMaxTableRows) table.refused = true;
  if (table.refused || rows > static_cast<double>(table.probes) * kRowsPerSeek) return nullptr;
  const TermId scan_s = subject_key ? kUnbound : fixed, scan_o = subject_key ? fixed : kUnbound;
  table.matches.reserve(static_cast<std::size_t>(rows));
  const bool complete = ScanInferred(scan_s, p, scan_o, ctx, [&](const Quad& q) {
    table.matches.push_back({subject_key ? q.subject : q.object, q.subject, q.object});
    return (table.matches.size() & 0xFFF) != 0 || Tick();
  });
  if (!complete || !status_.ok()) {
    table.matches = {};
    table.refused = true;
    return nullptr;
  }
  // The index read is usually ordered by the key already; a key's matches keep the scan's order.
  if (!std::is_sorted(table.matches.begin(), table.matches.end())) {
    std::stable_sort(table.matches.begin(), table.matches.end());
  }
  table.built = true;
  if (profile_ != nullptr) profile_->ops[&t].table_rows = table.matches.size();
  return &table;
}

}  // namespace parley::query::exec
