// query/exec/solutions.cpp
// The solutions of a query: SELECT with its modifiers applied as rows arrive,
// projection, DISTINCT, CONSTRUCT and DESCRIBE.
#include "query/exec/evaluator.hpp"

namespace parley::query::exec {

Status Evaluator::Select(const ast::Query& q, Frame& frame, std::vector<Binding>* rows, std::vector<std::string>* vars,
                         std::size_t stop_after, const GraphCtx& ctx, const Sink* emit) {
  CollectGroupVars(frame, q.where);
  if (q.values) {
    for (const auto& v : q.values->vars) frame.PatternVar(v);
  }
  for (const auto& p : q.projection) {
    if (p.expr) CollectExprVars(frame, *p.expr);
    frame.Slot(p.var);
  }
  for (const auto& g : q.group_by) {
    CollectExprVars(frame, g.expr);
    if (!g.var.empty()) frame.Slot(g.var);
  }
  for (const auto& h : q.having) CollectExprVars(frame, h);
  for (const auto& o : q.order_by) CollectExprVars(frame, o.expr);
  for (const auto& t : q.construct_template) {
    for (const auto* term : {&t.subject, &t.object}) {
      if (term->is_var) frame.Slot(term->var);
    }
    if (t.predicate_is_var) frame.Slot(t.predicate_var);
  }
  for (const auto& d : q.describe) {
    if (d.is_var) frame.Slot(d.var);
  }
  const std::size_t width = frame.slots.size() + 8;  // room for later slots

  bool aggregating = !q.group_by.empty();
  for (const auto& p : q.projection) aggregating = aggregating || (p.expr && HasAggregate(*p.expr));
  for (const auto& h : q.having) aggregating = aggregating || HasAggregate(h);

  if (q.select_all || q.form != ast::Query::Form::kSelect) {
    *vars = frame.pattern_vars;
  } else {
    for (const auto& p : q.projection) vars->push_back(p.var);
  }

  // Streaming: no ORDER BY, grouping or DISTINCT means rows can flow out (and stop).
  const bool streaming = q.order_by.empty() && !aggregating && !q.distinct;
  const std::uint64_t offset = q.offset.value_or(0);
  std::uint64_t want = streaming && q.limit ? offset + *q.limit : 0;
  if (stop_after > 0 && streaming) want = want == 0 ? stop_after : std::min<std::uint64_t>(want, stop_after);
  std::vector<Binding> solutions;
  Binding b(width, kUnbound);
  // Grouping keeps an accumulator per aggregate and group, not the group's rows.
  Grouping grouping;
  if (aggregating) grouping.Prepare(q, frame);
  // ORDER BY with LIMIT (and no DISTINCT) keeps only the best offset+limit rows.
  const bool top_k = !aggregating && !q.order_by.empty() && q.limit && !q.distinct && !q.reduced;
  const std::size_t k = top_k ? static_cast<std::size_t>(offset + *q.limit) : 0;
  std::vector<SortEntry> heap;
  std::uint64_t sequence = 0;
  // Without LIMIT, ORDER BY sorts bounded runs and merges them from temporary files.
  const bool external_sort = !aggregating && !q.order_by.empty() && !top_k;
  std::vector<SortedRun> runs;
  // A run, with its sort keys, takes about a quarter of the memory limit at most.
  const std::size_t row_bytes = 2 * (width * sizeof(TermId) + 64) + q.order_by.size() * 64;
  const std::size_t run_rows =
      options_.memory_limit
          ? std::min(options_.sort_run_rows, std::max<std::size_t>(*options_.memory_limit / 4 / row_bytes, 1024))
          : options_.sort_run_rows;
  auto heap_less = [&](const SortEntry& a, const SortEntry& b2) { return SortLess(q, a, b2); };
  // Emitting as rows come: DISTINCT keeps the keys seen, OFFSET and LIMIT count.
  const bool emit_now = emit != nullptr && q.order_by.empty() && !aggregating;
  std::unordered_set<std::vector<TermId>, IdKeyHash> distinct_seen;
  std::uint64_t skipped = 0, emitted = 0;
  // Hands a finished (projected) row to `emit`, applying DISTINCT, OFFSET and LIMIT.
  auto pass_on = [&](Binding& row) {
    if (q.distinct && !distinct_seen.insert(ProjectedKey(frame, *vars, row)).second) return true;
    if (skipped < offset) {
      ++skipped;
      return true;
    }
    if (q.limit && emitted >= *q.limit) return false;
    if (!(*emit)(row)) return false;
    ++emitted;
    return !q.limit || emitted < *q.limit;
  };
  auto collect = [&](Binding& s) {
    if (emit_now) {
      Binding copy = s;
      if (!q.projection.empty()) Project(q, frame, copy);
      return pass_on(copy);
    }
    if (aggregating) {
      AddToGroups(q, frame, &grouping, s);
      return true;
    }
    if (top_k) {
      if (k == 0) return true;
      OfferTopK(&heap, k, SortEntry{OrderKeys(q, frame, s), s, sequence++}, heap_less);
      return true;
    }
    if (streaming && !q.projection.empty()) {
      Binding copy = s;
      Project(q, frame, copy);
      solutions.push_back(std::move(copy));
    } else {
      solutions.push_back(s);
    }
    if (external_sort && solutions.size() >= run_rows) {
      if (!SpillRun(q, frame, &solutions, &runs)) return false;
    }
    return want == 0 || solutions.size() < want;
  };
  if (q.values) {
    // VALUES after the query joins with its solutions: each row seeds the evaluation.
    for (const auto& row : q.values->rows) {
      std::vector<std::pair<int, TermId>> set;
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (!row[i]) continue;
        set.emplace_back(frame.Slot(q.values->vars[i]), table_.Intern(*row[i]));
      }
      for (auto [slot, id] : set) b[static_cast<std::size_t>(slot)] = id;
      bool go_on = EvalGroup(frame, q.where, ctx, b, collect);
      for (auto [slot, id] : set) b[static_cast<std::size_t>(slot)] = kUnbound;
      if (!go_on) break;
    }
  } else {
    EvalGroup(frame, q.where, ctx, b, collect);
  }
  PARLEY_RETURN_IF_ERROR(status_);
  if (emit_now) return status_;

  if (streaming) {
    std::size_t first = std::min<std::size_t>(static_cast<std::size_t>(offset), solutions.size());
    if (q.reduced) Distinct(q, frame, *vars, &solutions);
    rows->assign(std::make_move_iterator(solutions.begin() + static_cast<std::ptrdiff_t>(first)),
                 std::make_move_iterator(solutions.end()));
    if (q.limit && rows->size() > *q.limit) rows->resize(static_cast<std::size_t>(*q.limit));
    return status_;
  }

  std::vector<Binding> out;
  std::vector<AggregateValues> groups;  // per output row, for aggregating queries
  if (aggregating) {
    FinishGroups(q, frame, grouping, &out, &groups);
  } else if (top_k) {
    std::sort_heap(heap.begin(), heap.end(), heap_less);
    for (auto& entry : heap) out.push_back(std::move(entry.row));
  } else if (!runs.empty()) {
    if (!solutions.empty() && !SpillRun(q, frame, &solutions, &runs)) return status_;
    if (emit != nullptr) {  // the merged rows go out as they come
      MergeRuns(q, frame, &runs, [&](Binding& row) {
        Project(q, frame, row);
        return pass_on(row);
      });
      return status_;
    }
    MergeRuns(q, frame, &runs, [&](Binding& row) {
      out.push_back(std::move(row));
      return true;
    });
    PARLEY_RETURN_IF_ERROR(status_);
  } else {
    out = std::move(solutions);
  }
  // ORDER BY sees variables that the projection may drop, so it comes first.
  if (!q.order_by.empty() && !top_k && runs.empty()) {
    // Aggregated rows are ordered here; with a LIMIT (and no DISTINCT to thin them
    // after), only the first OFFSET + LIMIT are needed.
    std::optional<std::size_t> keep;
    if (aggregating && q.limit && !q.distinct && !q.reduced && offset + *q.limit >= offset) {
      keep = static_cast<std::size_t>(offset + *q.limit);
    }
    Order(q, frame, &out, aggregating ? &groups : nullptr, keep);
  }
  if (!aggregating) {
    for (auto& row : out) Project(q, frame, row);
  }
  if (q.distinct || q.reduced) Distinct(q, frame, *vars, &out);
  std::size_t first = std::min<std::size_t>(static_cast<std::size_t>(offset), out.size());
  rows->assign(std::make_move_iterator(out.begin() + static_cast<std::ptrdiff_t>(first)),
               std::make_move_iterator(out.end()));
  if (q.limit && rows->size() > *q.limit) rows->resize(static_cast<std::size_t>(*q.limit));
  if (emit != nullptr) {
    for (auto& row : *rows) {
      if (!Tick() || !(*emit)(row)) break;
    }
  }
  return status_;
}

bool Evaluator::HasAggregate(const ast::Expr& e) {
  if (e.op == Op::kAggregate) return true;
  for (const auto& a : e.args) {
    if (HasAggregate(a)) return true;
  }
  return false;
}

void Evaluator::Project(const ast::Query& q, Frame& frame, Binding& row, const std::vector<Binding>* group) {
  for (const auto& p : q.projection) {
    if (!p.expr) continue;
    auto value = Eval(frame, *p.expr, row, GraphCtx{}, group);
    row[static_cast<std::size_t>(frame.Slot(p.var))] = value ? table_.Intern(*value) : kUnbound;
  }
}

std::vector<TermId> Evaluator::ProjectedKey(Frame& frame, const std::vector<std::string>& vars, const Binding& row) {
  std::vector<TermId> key;
  key.reserve(vars.size());
  for (const auto& v : vars) {
    const int slot = frame.Find(v);
    key.push_back(slot >= 0 ? row[static_cast<std::size_t>(slot)] : kUnbound);
  }
  return key;
}

void Evaluator::Distinct(const ast::Query&, Frame& frame, const std::vector<std::string>& vars,
                         std::vector<Binding>* rows) {
  std::unordered_set<std::vector<TermId>, IdKeyHash> seen;
  std::vector<Binding> kept;
  for (auto& row : *rows) {
    if (!Tick()) break;
    if (seen.insert(ProjectedKey(frame, vars, row)).second) kept.push_back(std::move(row));
  }
  *rows = std::move(kept);
}

bool Evaluator::Keep(Status s) {
  if (!s.ok() && status_.ok()) status_ = std::move(s);
  return status_.ok();
}

bool Evaluator::Construct(const ast::Query& q, Frame& frame, const Binding& row, std::uint64_t solution,
                          TripleSet* seen, ResultSink& sink) {
  auto resolve = [&](const ast::PatternTerm& t) -> std::optional<Term> {
    if (!t.is_var) return t.term;
    if (t.var.rfind("_:", 0) == 0) return Term::BlankNode("c" + std::to_string(solution) + "_" + t.var.substr(2));
    int slot = frame.Find(t.var);
    if (slot < 0 || row[static_cast<std::size_t>(slot)] == kUnbound) return std::nullopt;
    return table_.Get(row[static_cast<std::size_t>(slot)]);
  };
  for (const auto& t : q.construct_template) {
    auto s = resolve(t.subject), o = resolve(t.object);
    auto p = t.predicate_is_var ? resolve(ast::PatternTerm::Var(t.predicate_var))
                                : std::optional<Term>(Term::Iri(t.path.iri));
    if (!s || !p || !o || s->kind == TermKind::kLiteral || p->kind != TermKind::kIri) continue;
    std::string key = ToNTriples(*s) + " " + ToNTriples(*p) + " " + ToNTriples(*o);
    if (seen->insert(std::move(key)).second && !Keep(sink.Triple(Triple{*s, *p, *o}))) return false;
  }
  return Tick();
}

Status Evaluator::Describe(const ast::Query& q, Frame& frame, const std::vector<Binding>& rows, ResultSink& sink) {
  std::set<TermId> resources;
  for (const auto& d : q.describe) {
    if (!d.is_var) {
      if (TermId id = table_.StoreId(d.term); id != kUnbound) resources.insert(id);
      continue;
    }
    int slot = frame.Find(d.var);
    for (const auto& row : rows) {
      if (slot >= 0 && row[static_cast<std::size_t>(slot)] != kUnbound)
        resources.insert(row[static_cast<std::size_t>(slot)]);
    }
  }
  if (q.select_all) {
    for (const auto& row : rows) {
      for (const auto& v : frame.pattern_vars) {
        if (TermId id = row[static_cast<std::size_t>(frame.Find(v))]; id != kUnbound) resources.insert(id);
      }
    }
  }
  for (TermId r : resources) {
    if ((r & exec::kLocalBit) != 0) continue;
    auto cursor = source_.ScanUnion(QuadPattern{r, {}, {}, {}});
    Quad quad;
    while (Tick() && cursor->Next(&quad)) {
      if (!Keep(sink.Triple(Triple{table_.Get(quad.subject), table_.Get(quad.predicate), table_.Get(quad.object)})))
        break;
    }
    PARLEY_RETURN_IF_ERROR(cursor->status());
    PARLEY_RETURN_IF_ERROR(status_);
  }
  return Status::OK();
}

}  // namespace parley::query::exec
