// query/exec/run.cpp
// Runs a planned query: pulls the root operator's blocks and hands the answer to the
// sink, decoding only the projected columns, a block at a time.
#include "query/exec/run.hpp"

#include <chrono>
#include <cstdio>

#include "query/plan/physical.hpp"

namespace parley::query::exec {

namespace {

Status Drain(const algebra::Query& query, ExecContext& ctx, plan::PhysicalPlan& plan, ResultSink& sink) {
  const bool ask = query.form == ast::Query::Form::kAsk;
  PARLEY_RETURN_IF_ERROR(sink.Begin(ask ? QueryForm::kAsk : QueryForm::kSelect, ask ? std::vector<std::string>{} : query.vars));
  Block block;
  bool any = false;
  std::vector<std::optional<Term>> out(plan.output_slots.size());
  while (plan.root->Next(&block)) {
    any = true;
    if (ask) break;
    PrefetchTerms(ctx, block, plan.output_slots);
    for (std::size_t row = 0; row < block.rows; ++row) {
      for (std::size_t c = 0; c < plan.output_slots.size(); ++c) {
        const TermId id = block.at(static_cast<std::size_t>(plan.output_slots[c]), row);
        out[c] = id == kUnbound ? std::nullopt : std::optional<Term>(ctx.table().Get(id));
      }
      Status s = sink.Row(out);
      if (!s.ok()) return s;
    }
  }
  PARLEY_RETURN_IF_ERROR(ctx.status());
  PARLEY_RETURN_IF_ERROR(ctx.table().status());
  if (ask) PARLEY_RETURN_IF_ERROR(sink.Boolean(any));
  return sink.End();
}

}  // namespace

bool RunsOnOperators(const algebra::Query& query, const ast::Query& syntax) { return plan::Supported(query, syntax); }

Status RunOnOperators(const algebra::Query& query, const QuadSource& source, const TermDictionary& dictionary,
                      const QueryOptions& options, ResultSink& sink) {
  ExecContext ctx(source, dictionary, options);
  auto plan = plan::BuildPlan(query, ctx);
  return Drain(query, ctx, plan, sink);
}

Result<std::string> ExplainOperators(const algebra::Query& query, const QuadSource& source,
                                     const TermDictionary& dictionary, const QueryOptions& options, bool analyze) {
  ExecContext ctx(source, dictionary, options);
  auto plan = plan::BuildPlan(query, ctx);
  if (!analyze) return plan::DescribePlan(*plan.root, false);
  plan::EnableProfiling(*plan.root);
  // Counts the rows without decoding them, as explain --analyze shows no answer.
  struct Counter final : ResultSink {
    std::uint64_t rows = 0;
    Status Begin(QueryForm, const std::vector<std::string>&) override { return Status::OK(); }
    Status Row(const std::vector<std::optional<Term>>&) override {
      ++rows;
      return Status::OK();
    }
    Status Triple(const query::Triple&) override { return Status::OK(); }
    Status Boolean(bool) override { return Status::OK(); }
    Status End() override { return Status::OK(); }
  } counter;
  const auto start = std::chrono::steady_clock::now();
  PARLEY_RETURN_IF_ERROR(Drain(query, ctx, plan, counter));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char footer[96];
  std::snprintf(footer, sizeof footer, "total: %llu result rows in %.3f ms\n", static_cast<unsigned long long>(counter.rows), ms);
  return plan::DescribePlan(*plan.root, true) + footer;
}

}  // namespace parley::query::exec
