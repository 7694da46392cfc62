// query/engine.cpp
// The pipeline in one place: parse (which validates) -> plan and execute
// (query/exec/execute.hpp). Every entry to the query layer goes through here.
#include "query/engine.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <new>
#include <thread>

#include "query/ast.hpp"
#include "query/exec/execute.hpp"
#include "query/parse.hpp"

namespace parley::query {
namespace {

// The last line of defence at the engine's edge: a standard-library exception thrown by
// a case the code missed (an allocation that fails, a conversion out of range) becomes
// an error for this query, never the end of the process or of the REPL.
template <class F>
auto Guarded(F f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Status::InvalidArgument("the query ran out of memory");
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("the query could not be evaluated: ") + e.what());
  }
}

Result<ast::Query> Parse(std::string_view text, std::string_view origin, const QueryOptions& options) {
  ParseOptions parse_options;
  parse_options.base = options.base;
  parse_options.prefixes = options.prefixes;
  auto query = ParseQuery(text, origin, parse_options);
  if (query.ok() && (!options.default_graphs.empty() || !options.named_graphs.empty())) {
    query->from = options.default_graphs;
    query->from_named = options.named_graphs;
  }
  return query;
}

// Keeps the whole answer, for callers that want it as one value.
struct ResultCollector final : ResultSink {
  QueryResult result;
  Status Begin(QueryForm form, const std::vector<std::string>& vars) override {
    result.form = form;
    result.vars = vars;
    return Status::OK();
  }
  Status Row(const std::vector<std::optional<Term>>& row) override {
    result.rows.push_back(row);
    return Status::OK();
  }
  Status Triple(const query::Triple& triple) override {
    result.triples.push_back(triple);
    return Status::OK();
  }
  Status Boolean(bool value) override {
    result.boolean = value;
    return Status::OK();
  }
  Status End() override { return Status::OK(); }
};

// The plain triple patterns of a WHERE clause, nested groups included; paths, MINUS
// (whose matches are not in the answer) and sub-selects (their own variables) are left out.
void CollectPatterns(const ast::GroupPattern& group, std::vector<const ast::TriplePattern*>* out) {
  using Kind = ast::Element::Kind;
  for (const auto& element : group.elements) {
    if (element.kind == Kind::kTriples) {
      for (const auto& t : element.triples) {
        if (t.predicate_is_var || t.path.IsLink()) out->push_back(&t);
      }
    } else if (element.kind == Kind::kGroup || element.kind == Kind::kOptional || element.kind == Kind::kUnion ||
               element.kind == Kind::kGraph) {
      for (const auto& sub : element.groups) CollectPatterns(sub, out);
    }
  }
}

std::optional<Term> Fill(const ast::PatternTerm& t, const std::vector<std::string>& vars,
                         const std::vector<std::optional<Term>>& row) {
  if (!t.is_var) return t.term;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    if (vars[i] == t.var) return row[i];
  }
  return std::nullopt;
}

std::atomic<std::size_t> default_memory_limit{0};  // 0: not set, use half the machine's memory
std::atomic<unsigned> default_threads{0};         // 0: not set, use the machine's cores

}  // namespace

std::size_t DefaultMemoryLimit() {
  if (std::size_t set = default_memory_limit.load(); set != 0) return set;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  constexpr std::size_t kFallback = std::size_t{4} << 30;
  return pages > 0 && page > 0 ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) / 2 : kFallback;
}

void SetDefaultMemoryLimit(std::size_t bytes) { default_memory_limit.store(bytes); }

unsigned DefaultThreads() {
  if (unsigned set = default_threads.load(); set != 0) return set;
  return std::max(1u, std::thread::hardware_concurrency());
}

void SetDefaultThreads(unsigned threads) { default_threads.store(threads); }

std::map<std::string, std::string> BuiltinPrefixes() {
  return {{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
          {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
          {"xsd", "http://www.w3.org/2001/XMLSchema#"},
          {"owl", "http://www.w3.org/2002/07/owl#"},
          {"", "http://parley.example.org/ontology#"},
          {"id", "http://parley.example.org/id/"}};
}

Result<std::string> ExplainQuery(std::string_view text, std::string_view origin, const QuadSource& source,
                                 const TermDictionary& dictionary, const QueryOptions& options, bool analyze) {
  auto query = Parse(text, origin, options);
  if (!query.ok()) return query.status();
  return Guarded([&] { return ExplainPlan(*query, source, dictionary, options, analyze); });
}

Status RunQuery(std::string_view text, std::string_view origin, const QuadSource& source,
                const TermDictionary& dictionary, const QueryOptions& options, ResultSink& sink) {
  auto query = Parse(text, origin, options);
  if (!query.ok()) return query.status();
  return Guarded([&] { return Execute(*query, source, dictionary, options, sink); });
}

Result<QueryResult> RunQuery(std::string_view text, std::string_view origin, const QuadSource& source,
                             const TermDictionary& dictionary, const QueryOptions& options) {
  ResultCollector collector;
  PARLEY_RETURN_IF_ERROR(RunQuery(text, origin, source, dictionary, options, collector));
  return std::move(collector.result);
}

Result<std::vector<RowFacts>> RunSelectWithFacts(std::string_view text, std::string_view origin,
                                                 const QuadSource& source, const TermDictionary& dictionary,
                                                 const QueryOptions& options) {
  auto query = Parse(text, origin, options);
  if (!query.ok()) return query.status();
  if (query->form != ast::Query::Form::kSelect) {
    return Status::InvalidArgument("the evidence of rows needs a SELECT query; this query is not a SELECT");
  }
  ResultCollector collector;
  PARLEY_RETURN_IF_ERROR(Guarded([&] { return Execute(*query, source, dictionary, options, collector); }));
  std::vector<const ast::TriplePattern*> patterns;
  CollectPatterns(query->where, &patterns);
  const auto& vars = collector.result.vars;
  std::vector<RowFacts> out;
  for (auto& row : collector.result.rows) {
    RowFacts entry;
    for (const auto* t : patterns) {
      auto subject = Fill(t->subject, vars, row), object = Fill(t->object, vars, row);
      auto predicate = t->predicate_is_var ? Fill(ast::PatternTerm::Var(t->predicate_var), vars, row)
                                           : std::optional<Term>(Term::Iri(t->path.iri));
      if (subject && predicate && object) entry.facts.push_back({*subject, *predicate, *object});
    }
    entry.row = std::move(row);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace parley::query
