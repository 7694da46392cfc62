// query/exec/evaluator.cpp
// The evaluator's construction and its entry point, Run, which hands a query's answer
// to a sink.
#include "query/exec/evaluator.hpp"
#include "query/exec/execute.hpp"
#include "query/exec/run.hpp"

#include <unistd.h>

namespace parley::query::exec {

void CollectGroupVars(Frame& f, const ast::GroupPattern& g) {
  for (const auto& e : g.elements) {
    switch (e.kind) {
      case Kind::kTriples:
        for (const auto& t : e.triples) {
          if (t.subject.is_var) f.PatternVar(t.subject.var);
          if (t.predicate_is_var) f.PatternVar(t.predicate_var);
          if (t.object.is_var) f.PatternVar(t.object.var);
        }
        break;
      case Kind::kGraph:
        if (e.graph.is_var) f.PatternVar(e.graph.var);
        [[fallthrough]];
      case Kind::kGroup:
      case Kind::kOptional:
      case Kind::kUnion:
      case Kind::kMinus:
        for (const auto& sub : e.groups) CollectGroupVars(f, sub);
        break;
      case Kind::kFilter:
        CollectExprVars(f, e.expr);
        break;
      case Kind::kBind:
        CollectExprVars(f, e.expr);
        f.PatternVar(e.var);
        break;
      case Kind::kValues:
        for (const auto& v : e.values.vars) f.PatternVar(v);
        break;
      case Kind::kSubSelect:
        if (e.subquery->select_all) {
          Frame inner;
          CollectGroupVars(inner, e.subquery->where);
          for (const auto& v : inner.pattern_vars) f.PatternVar(v);
        } else {
          for (const auto& p : e.subquery->projection) f.PatternVar(p.var);
        }
        break;
    }
  }
}
void CollectExprVars(Frame& f, const ast::Expr& e) {
  if (e.op == Op::kTerm && e.term.is_var) f.Slot(e.term.var);
  for (const auto& a : e.args) CollectExprVars(f, a);
  if (e.pattern) CollectGroupVars(f, *e.pattern);
}
std::size_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  static const long page = ::sysconf(_SC_PAGESIZE);
  return n == 2 ? static_cast<std::size_t>(resident) * static_cast<std::size_t>(page) : 0;
}

Evaluator::Evaluator(const QuadSource& source, const TermDictionary& dictionary, const QueryOptions& options,
                     std::string base)
    : source_(source), table_(dictionary), options_(options) {
  fn_.base = std::move(base);
  fn_.blank_counter = &blank_counter_;
  fn_.now = QueryStartTime();
  if (options.timeout) deadline_ = std::chrono::steady_clock::now() + *options.timeout;
  if (options.memory_limit) start_resident_ = ResidentBytes();
}

Status Evaluator::Run(const ast::Query& q, ResultSink& sink) {
  for (const auto& iri : q.from) from_.push_back(table_.Intern(Term::Iri(iri)));
  for (const auto& iri : q.from_named) from_named_.push_back(table_.Intern(Term::Iri(iri)));
  has_dataset_ = !q.from.empty() || !q.from_named.empty();
  Frame frame;
  std::vector<Binding> rows;
  std::vector<std::string> vars;
  Status s;
  switch (q.form) {
    case ast::Query::Form::kSelect: {
      // The projected names are known once the frame is built, before the first row.
      bool begun = false;
      Sink emit = [&](Binding& row) {
        if (!begun) {
          begun = true;
          if (!Keep(sink.Begin(QueryForm::kSelect, vars))) return false;
        }
        std::vector<std::optional<Term>> out;
        out.reserve(vars.size());
        for (const auto& v : vars) {
          const int slot = frame.Find(v);
          out.push_back(slot >= 0 && row[static_cast<std::size_t>(slot)] != kUnbound
                            ? std::optional<Term>(table_.Get(row[static_cast<std::size_t>(slot)]))
                            : std::nullopt);
        }
        return Keep(sink.Row(out));
      };
      s = Select(q, frame, &rows, &vars, 0, GraphCtx{}, &emit);
      if (s.ok() && !begun) s = sink.Begin(QueryForm::kSelect, vars);
      break;
    }
    case ast::Query::Form::kAsk:
      s = Select(q, frame, &rows, &vars, 1);
      if (s.ok()) s = sink.Begin(QueryForm::kAsk, {});
      if (s.ok()) s = sink.Boolean(!rows.empty());
      break;
    case ast::Query::Form::kConstruct: {
      s = sink.Begin(QueryForm::kConstruct, {});
      TripleSet seen;
      std::uint64_t solution = 0;
      Sink emit = [&](Binding& row) { return Construct(q, frame, row, ++solution, &seen, sink); };
      if (s.ok()) s = Select(q, frame, &rows, &vars, 0, GraphCtx{}, &emit);
      break;
    }
    case ast::Query::Form::kDescribe:
      s = sink.Begin(QueryForm::kDescribe, {});
      if (s.ok()) s = Select(q, frame, &rows, &vars, 0);
      if (s.ok()) s = Describe(q, frame, rows, sink);
      break;
  }
  if (s.ok()) s = status_;
  if (s.ok()) s = table_.status();
  PARLEY_RETURN_IF_ERROR(s);
  return sink.End();
}

}  // namespace parley::query::exec

namespace parley::query {

using exec::Evaluator;

Status Execute(const ast::Query& query, const QuadSource& source, const TermDictionary& dictionary,
               const QueryOptions& options, ResultSink& sink) {
  const algebra::Query algebra = algebra::Translate(query);
  if (exec::RunsOnOperators(algebra, query)) return exec::RunOnOperators(algebra, source, dictionary, options, sink);
  Evaluator evaluator(source, dictionary, options, options.base);
  return evaluator.Run(query, sink);
}

}  // namespace parley::query
