// query/exec/run.cpp
// The executing end of the pipeline: a parsed query is translated to the algebra
// (query/algebra/), planned (query/plan/physical.hpp) and run as operators; the root's
// blocks become the answer: SELECT rows (decoding only the projected columns, a block at
// a time), ASK's boolean, CONSTRUCT's and DESCRIBE's triples.
#include <array>
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

// CONSTRUCT: each solution instantiates the template; each triple goes out once (told
// by its terms' ids, so a repeat is dropped before anything is decoded).
class Constructor {
 public:
  Constructor(ExecContext& ctx, const ast::Query& syntax) : ctx_(ctx) {
    for (const auto& t : syntax.construct_template) {
      const ast::PatternTerm predicate =
          t.predicate_is_var ? ast::PatternTerm::Var(t.predicate_var) : ast::PatternTerm::Of(Term::Iri(t.path.iri));
      template_.push_back({PositionOf(t.subject), PositionOf(predicate), PositionOf(t.object)});
    }
  }

  Status Add(const Block& block, std::size_t row, ResultSink& sink) {
    ++solution_;
    for (const auto& positions : template_) {
      std::array<TermId, 3> ids{};
      bool fresh_blank = false, complete = true;
      for (std::size_t i = 0; i < 3; ++i) {
        const Position& at = positions[i];
        if (!at.blank.empty()) {
          fresh_blank = true;  // a new blank node for each solution: never a repeat
        } else {
          ids[i] = at.slot >= 0 ? block.at(static_cast<std::size_t>(at.slot), row) : at.constant;
          complete = complete && ids[i] != kUnbound;
        }
      }
      if (!complete || (!fresh_blank && !seen_.insert(ids).second)) continue;
      Term terms[3];
      for (std::size_t i = 0; i < 3; ++i) {
        terms[i] = positions[i].blank.empty() ? ctx_.table().Get(ids[i])
                                               : Term::BlankNode("c" + std::to_string(solution_) + "_" + positions[i].blank);
      }
      if (terms[0].kind == TermKind::kLiteral || terms[1].kind != TermKind::kIri) continue;
      PARLEY_RETURN_IF_ERROR(sink.Triple(query::Triple{terms[0], terms[1], terms[2]}));
    }
    return Status::OK();
  }

 private:
  // A template position: a variable's slot, a constant's id, or a blank node's label.
  struct Position {
    int slot = -1;
    TermId constant = kUnbound;
    std::string blank;
  };
  Position PositionOf(const ast::PatternTerm& t) {
    Position at;
    if (!t.is_var) {
      at.constant = ctx_.table().Intern(t.term);
    } else if (t.var.starts_with("_:")) {
      at.blank = t.var.substr(2);
    } else {
      at.slot = ctx_.FindSlot(t.var);  // a variable the pattern lacks stays unbound (-1, kUnbound)
    }
    return at;
  }
  struct IdsHash {
    std::size_t operator()(const std::array<TermId, 3>& ids) const {
      return (ids[0] * 0x9E3779B97F4A7C15ULL) ^ (ids[1] * 0xC2B2AE3D27D4EB4FULL) ^ (ids[2] * 0x165667B19E3779F9ULL);
    }
  };

  ExecContext& ctx_;
  std::vector<std::array<Position, 3>> template_;
  std::uint64_t solution_ = 0;
  std::unordered_set<std::array<TermId, 3>, IdsHash> seen_;
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

// SELECT: the block's rows, their projected terms decoded in one batch. `ids` and `out`
// are the caller's, kept for their memory.
Status WriteRows(ExecContext& ctx, const Block& block, const std::vector<int>& slots, std::vector<TermId>* ids,
                 std::vector<std::optional<Term>>* out, ResultSink& sink) {
  const std::size_t width = slots.size();
  ids->clear();
  for (std::size_t row = 0; row < block.rows; ++row) {
    for (int slot : slots) ids->push_back(block.at(static_cast<std::size_t>(slot), row));
  }
  const std::vector<const Term*>& terms = ctx.table().Decode(*ids);
  PARLEY_RETURN_IF_ERROR(ctx.table().status());
  for (std::size_t row = 0; row < block.rows; ++row) {
    for (std::size_t c = 0; c < width; ++c) {
      const std::size_t cell = row * width + c;
      exec::TermTable::PrefetchTermAhead(terms, cell);
      if (const Term* term = terms[cell]) {
        (*out)[c] = *term;  // assigned in place: the strings reuse their buffers
      } else {
        (*out)[c].reset();
      }
    }
    PARLEY_RETURN_IF_ERROR(sink.Row(*out));
  }
  return Status::OK();
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
  std::vector<TermId> ids;
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
    if (form == QueryForm::kConstruct) {
      for (std::size_t row = 0; row < block.rows; ++row) PARLEY_RETURN_IF_ERROR(constructor.Add(block, row, sink));
      continue;
    }
    PARLEY_RETURN_IF_ERROR(WriteRows(ctx, block, plan.output_slots, &ids, &out, sink));
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
  PARLEY_RETURN_IF_ERROR(ctx.status());
  return Drain(query, syntax, ctx, plan, sink);
}

Result<std::string> ExplainPlan(const ast::Query& syntax, const QuadSource& source, const TermDictionary& dictionary,
                                const QueryOptions& options, bool analyze) {
  const algebra::Query query = algebra::Translate(syntax);
  ExecContext ctx(source, dictionary, options);
  auto plan = plan::BuildPlan(query, syntax, ctx);
  PARLEY_RETURN_IF_ERROR(ctx.status());
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
