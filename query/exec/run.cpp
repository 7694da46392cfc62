// query/exec/run.cpp
// The executing end of the pipeline: a parsed query is translated to the algebra
// (query/algebra/), planned (query/plan/physical.hpp) and run as operators; the root's
// blocks become the answer: SELECT rows (decoding only the projected columns, a block at
// a time), ASK's boolean, CONSTRUCT's and DESCRIBE's triples.
#include <chrono>
#include <cstdio>
#include <unordered_set>

#include "query/exec/execute.hpp"
#include "query/plan/physical.hpp"

namespace parley::query {

namespace {

using exec::Block;
using exec::ExecContext;
using exec::kUnbound;

// CONSTRUCT: each solution instantiates the template; each triple goes out once.
class Constructor {
 public:
  Constructor(ExecContext& ctx, const ast::Query& syntax) : ctx_(ctx), syntax_(syntax) {}

  Status Add(const Block& block, std::size_t row, ResultSink& sink) {
    ++solution_;
    for (const auto& t : syntax_.construct_template) {
      auto s = Resolve(t.subject, block, row), o = Resolve(t.object, block, row);
      auto p = t.predicate_is_var ? Resolve(ast::PatternTerm::Var(t.predicate_var), block, row)
                                  : std::optional<Term>(Term::Iri(t.path.iri));
      if (!s || !p || !o || s->kind == TermKind::kLiteral || p->kind != TermKind::kIri) continue;
      if (!seen_.insert(ToNTriples(*s) + " " + ToNTriples(*p) + " " + ToNTriples(*o)).second) continue;
      PARLEY_RETURN_IF_ERROR(sink.Triple(query::Triple{*s, *p, *o}));
    }
    return Status::OK();
  }

 private:
  std::optional<Term> Resolve(const ast::PatternTerm& t, const Block& block, std::size_t row) {
    if (!t.is_var) return t.term;
    // A template's blank node is a new one for each solution.
    if (t.var.starts_with("_:")) return Term::BlankNode("c" + std::to_string(solution_) + "_" + t.var.substr(2));
    const int slot = ctx_.Slot(t.var);
    if (static_cast<std::size_t>(slot) >= block.columns.size()) return std::nullopt;  // not in the pattern
    const TermId id = block.at(static_cast<std::size_t>(slot), row);
    return id == kUnbound ? std::nullopt : std::optional<Term>(ctx_.table().Get(id));
  }

  ExecContext& ctx_;
  const ast::Query& syntax_;
  std::uint64_t solution_ = 0;
  std::unordered_set<std::string> seen_;
};

// DESCRIBE: the resources named, and those the solutions bind to the variables named (or
// to every variable, for DESCRIBE *), each described by the triples it is the subject of.
Status Describe(ExecContext& ctx, const ast::Query& syntax, const std::set<TermId>& resources, ResultSink& sink) {
  std::set<TermId> all = resources;
  for (const auto& d : syntax.describe) {
    if (d.is_var) continue;
    if (TermId id = ctx.table().StoreId(d.term); id != kUnbound) all.insert(id);
  }
  for (TermId r : all) {
    if ((r & exec::kLocalBit) != 0) continue;
    const bool go_on = ctx.Scan(r, kUnbound, kUnbound, exec::GraphRef::Default(), [&](const Quad& q) {
      Status s = sink.Triple(query::Triple{ctx.table().Get(q.subject), ctx.table().Get(q.predicate), ctx.table().Get(q.object)});
      if (!s.ok()) ctx.Fail(std::move(s));
      return s.ok();
    });
    if (!go_on) break;
  }
  return ctx.status();
}

QueryForm FormOf(ast::Query::Form form) {
  switch (form) {
    case ast::Query::Form::kSelect: return QueryForm::kSelect;
    case ast::Query::Form::kAsk: return QueryForm::kAsk;
    case ast::Query::Form::kConstruct: return QueryForm::kConstruct;
    case ast::Query::Form::kDescribe: return QueryForm::kDescribe;
  }
  return QueryForm::kSelect;
}

Status Drain(const algebra::Query& query, const ast::Query& syntax, ExecContext& ctx, plan::PhysicalPlan& plan,
             ResultSink& sink) {
  const QueryForm form = FormOf(query.form);
  PARLEY_RETURN_IF_ERROR(sink.Begin(form, form == QueryForm::kSelect ? query.vars : std::vector<std::string>{}));
  Block block;
  bool any = false;
  std::vector<std::optional<Term>> out(plan.output_slots.size());
  Constructor constructor(ctx, syntax);
  // DESCRIBE's variables: those named, or for DESCRIBE * all that the query's user wrote.
  std::vector<int> described = plan.output_slots;
  if (form == QueryForm::kDescribe && syntax.select_all) {
    for (std::size_t slot = 0; slot < ctx.width(); ++slot) {
      if (!ctx.name(slot).starts_with(".") && !ctx.name(slot).starts_with("_:")) described.push_back(static_cast<int>(slot));
    }
  }
  std::set<TermId> resources;
  while (plan.root->Next(&block)) {
    any = true;
    if (form == QueryForm::kAsk) break;
    if (form == QueryForm::kDescribe) {
      for (int slot : described) {
        for (std::size_t row = 0; row < block.rows; ++row) {
          if (TermId id = block.at(static_cast<std::size_t>(slot), row); id != kUnbound) resources.insert(id);
        }
      }
      continue;
    }
    PrefetchTerms(ctx, block, form == QueryForm::kSelect ? plan.output_slots : std::vector<int>{});
    for (std::size_t row = 0; row < block.rows; ++row) {
      if (form == QueryForm::kConstruct) {
        PARLEY_RETURN_IF_ERROR(constructor.Add(block, row, sink));
        continue;
      }
      for (std::size_t c = 0; c < plan.output_slots.size(); ++c) {
        const TermId id = block.at(static_cast<std::size_t>(plan.output_slots[c]), row);
        out[c] = id == kUnbound ? std::nullopt : std::optional<Term>(ctx.table().Get(id));
      }
      PARLEY_RETURN_IF_ERROR(sink.Row(out));
    }
  }
  PARLEY_RETURN_IF_ERROR(ctx.status());
  PARLEY_RETURN_IF_ERROR(ctx.table().status());
  if (form == QueryForm::kAsk) PARLEY_RETURN_IF_ERROR(sink.Boolean(any));
  if (form == QueryForm::kDescribe) PARLEY_RETURN_IF_ERROR(Describe(ctx, syntax, resources, sink));
  return sink.End();
}

}  // namespace

Status Execute(const ast::Query& syntax, const QuadSource& source, const TermDictionary& dictionary,
               const QueryOptions& options, ResultSink& sink) {
  const algebra::Query query = algebra::Translate(syntax);
  ExecContext ctx(source, dictionary, options);
  auto plan = plan::BuildPlan(query, syntax, ctx);
  return Drain(query, syntax, ctx, plan, sink);
}

Result<std::string> ExplainPlan(const ast::Query& syntax, const QuadSource& source, const TermDictionary& dictionary,
                                const QueryOptions& options, bool analyze) {
  const algebra::Query query = algebra::Translate(syntax);
  ExecContext ctx(source, dictionary, options);
  auto plan = plan::BuildPlan(query, syntax, ctx);
  if (!analyze) return plan::DescribePlan(*plan.root, false);
  plan::EnableProfiling(*plan.root);
  // Counts the answer without writing it, as explain --analyze shows no answer.
  struct Counter final : ResultSink {
    std::uint64_t rows = 0;
    Status Begin(QueryForm, const std::vector<std::string>&) override { return Status::OK(); }
    Status Row(const std::vector<std::optional<Term>>&) override {
      ++rows;
      return Status::OK();
    }
    Status Triple(const query::Triple&) override {
      ++rows;
      return Status::OK();
    }
    Status Boolean(bool) override { return Status::OK(); }
    Status End() override { return Status::OK(); }
  } counter;
  const auto start = std::chrono::steady_clock::now();
  PARLEY_RETURN_IF_ERROR(Drain(query, syntax, ctx, plan, counter));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char footer[96];
  std::snprintf(footer, sizeof footer, "total: %llu result rows in %.3f ms\n", static_cast<unsigned long long>(counter.rows), ms);
  return plan::DescribePlan(*plan.root, true) + footer;
}

}  // namespace parley::query
