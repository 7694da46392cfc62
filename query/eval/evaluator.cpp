// query/eval/evaluator.cpp
// Evaluates a parsed query over a QuadSource. Push-based: each operator calls a sink per
// solution, and a sink returning false stops the work (LIMIT, ASK, EXISTS).
//
// Basic graph patterns run as index nested loops: each triple pattern is scanned with
// the values bound so far, choosing next the pattern with the most bound positions and,
// among those, the fewest expected matches by the store's statistics. Other patterns
// (nested groups, UNION, OPTIONAL, MINUS, GRAPH, sub-selects) are evaluated with the
// current solution pushed in when SPARQL's scoping allows it (no FILTER inside them
// can see a variable from outside), and otherwise evaluated once on their own and
// joined by compatibility.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "query/ast.hpp"
#include "query/engine.hpp"
#include "query/eval/evaluator.hpp"
#include "query/eval/functions.hpp"
#include "query/eval/terms.hpp"
#include "query/eval/values.hpp"
#include "query/plan/planner.hpp"

namespace parley::query {
namespace {

using eval::kUnbound;
using Binding = std::vector<TermId>;
using Sink = std::function<bool(Binding&)>;
using Kind = ast::Element::Kind;
using Op = ast::Expr::Op;
using plan::Correlatable;
using plan::ExprVarNames;
using plan::HasPaths;
using plan::TripleVars;

const std::string kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const std::string kSubClassOf = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
const std::string kSubPropertyOf = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf";

// Variables of one query (a sub-select has its own), each with a slot in Binding.
struct Frame {
  std::map<std::string, int> slots;
  std::vector<std::string> pattern_vars;  // in-scope variables in order of appearance (SELECT *)
  int Slot(const std::string& name) {
    auto [it, fresh] = slots.emplace(name, static_cast<int>(slots.size()));
    return it->second;
  }
  int Find(const std::string& name) const {
    auto it = slots.find(name);
    return it == slots.end() ? -1 : it->second;
  }
  void PatternVar(const std::string& name) {
    Slot(name);
    if (name.rfind("_:", 0) != 0 && std::find(pattern_vars.begin(), pattern_vars.end(), name) == pattern_vars.end()) {
      pattern_vars.push_back(name);
    }
  }
};

void CollectExprVars(Frame& f, const ast::Expr& e);

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
      case Kind::kFilter: CollectExprVars(f, e.expr); break;
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

// The active graph: the default graph, one named graph, or (inside GRAPH ?g while ?g
// is unbound) any named graph, whose name the first pattern matched binds to ?g.
inline constexpr TermId kAnyNamedGraph = ~TermId{0};
struct GraphCtx {
  bool is_default = true;
  TermId graph = kDefaultGraph;
  int graph_slot = -1;  // the GRAPH variable's slot, when the graph comes from one
};

struct OpStats {
  std::uint64_t rows = 0;
  double nanos = 0;
  std::uint64_t table_rows = 0;  // rows of the join table a triple pattern switched to, if any
};
// What explain --analyze reports: per operator node its rows and time, per BGP slice
// (its triples and first pattern) how often it ran with each set of variables bound on
// entry (each set has its own planned order), and per group plan the prefix rewrite's
// candidate count.
struct Profile {
  std::unordered_map<const void*, OpStats> ops;
  std::map<std::pair<const void*, std::size_t>, std::map<std::set<std::string>, std::uint64_t>> orders;
  std::unordered_map<const void*, std::size_t> prefix_candidates;
};

// The process' resident memory: what the operating system counts against it, including
// what the store's block cache and the allocator hold.
std::size_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  static const long page = ::sysconf(_SC_PAGESIZE);
  return n == 2 ? static_cast<std::size_t>(resident) * static_cast<std::size_t>(page) : 0;
}

constexpr std::size_t kSlicePatterns = plan::kJoinedPatterns;

// A BGP slice's plan: its join order and, after each number of patterns, the filters
// that can run there.
struct BgpPlan {
  std::vector<plan::OrderedPattern> order;
  std::vector<std::vector<const ast::Expr*>> filters_after;  // order.size() + 1 entries
};

const std::vector<const ast::Expr*> kNoFilters;

struct IdKeyHash {
  std::size_t operator()(const std::vector<TermId>& key) const {
    std::size_t h = key.size();
    for (TermId id : key) h = (h ^ id) * 0x9E3779B97F4A7C15ULL;
    return h;
  }
};

class Evaluator {
 public:
  void set_profile(Profile* profile) { profile_ = profile; }
  Evaluator(const QuadSource& source, const TermDictionary& dictionary, const QueryOptions& options, std::string base)
      : source_(source), table_(dictionary), options_(options) {
    fn_.base = std::move(base);
    fn_.blank_counter = &blank_counter_;
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    fn_.now = text;
    if (options.timeout) deadline_ = std::chrono::steady_clock::now() + *options.timeout;
    if (options.memory_limit) start_resident_ = ResidentBytes();
  }

  // Runs the query and hands its answer to `sink` as it is found.
  Status Run(const ast::Query& q, ResultSink& sink) {
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

 private:
  // ================================================================ solutions of a query

  // Runs the query's WHERE clause and solution modifiers; `rows` are bindings in
  // `frame`, `vars` the projected names. `stop_after` > 0 stops after that many rows.
  // With `emit`, the rows go to it instead, each as soon as the modifiers allow: at once
  // without ORDER BY and aggregates, at the end otherwise.
  Status Select(const ast::Query& q, Frame& frame, std::vector<Binding>* rows, std::vector<std::string>* vars,
                std::size_t stop_after, const GraphCtx& ctx = GraphCtx{}, const Sink* emit = nullptr) {
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

  static bool HasAggregate(const ast::Expr& e) {
    if (e.op == Op::kAggregate) return true;
    for (const auto& a : e.args) {
      if (HasAggregate(a)) return true;
    }
    return false;
  }

  // Evaluates (expr AS ?var) projections into the row, in order.
  void Project(const ast::Query& q, Frame& frame, Binding& row, const std::vector<Binding>* group = nullptr) {
    for (const auto& p : q.projection) {
      if (!p.expr) continue;
      auto value = Eval(frame, *p.expr, row, GraphCtx{}, group);
      row[static_cast<std::size_t>(frame.Slot(p.var))] = value ? table_.Intern(*value) : kUnbound;
    }
  }

  static std::vector<TermId> ProjectedKey(Frame& frame, const std::vector<std::string>& vars, const Binding& row) {
    std::vector<TermId> key;
    key.reserve(vars.size());
    for (const auto& v : vars) {
      const int slot = frame.Find(v);
      key.push_back(slot >= 0 ? row[static_cast<std::size_t>(slot)] : kUnbound);
    }
    return key;
  }

  void Distinct(const ast::Query&, Frame& frame, const std::vector<std::string>& vars, std::vector<Binding>* rows) {
    std::unordered_set<std::vector<TermId>, IdKeyHash> seen;
    std::vector<Binding> kept;
    for (auto& row : *rows) {
      if (!Tick()) break;
      if (seen.insert(ProjectedKey(frame, vars, row)).second) kept.push_back(std::move(row));
    }
    *rows = std::move(kept);
  }

  // False, with the query's status set, when a sink call failed.
  bool Keep(Status s) {
    if (!s.ok() && status_.ok()) status_ = std::move(s);
    return status_.ok();
  }

  // ---- external sort: runs of term ids in temporary files, merged by their keys

  struct SortedRun {
    std::FILE* file = nullptr;
    std::size_t width = 0;
    std::size_t rows = 0;
  };

  // Sorts `rows` and writes them (ids only: they stay valid for the whole query).
  bool SpillRun(const ast::Query& q, Frame& frame, std::vector<Binding>* rows, std::vector<SortedRun>* runs) {
    Order(q, frame, rows, nullptr);
    SortedRun run;
    run.file = std::tmpfile();
    run.width = rows->empty() ? 0 : rows->front().size();
    run.rows = rows->size();
    if (run.file == nullptr) {
      status_ = Status::IOError("cannot create a temporary file for sorting");
      return false;
    }
    for (const auto& row : *rows) {
      if (std::fwrite(row.data(), sizeof(TermId), run.width, run.file) != run.width) {
        status_ = Status::IOError("cannot write a sorted run (disk full?)");
        return false;
      }
    }
    std::rewind(run.file);
    runs->push_back(run);
    rows->clear();
    return true;
  }

  // Merges the runs and gives `take` each row in order, until it returns false.
  void MergeRuns(const ast::Query& q, Frame& frame, std::vector<SortedRun>* runs, const Sink& take) {
    struct Head {
      SortEntry entry;
      std::size_t run;
    };
    auto read = [&](std::size_t r, Head* head) {
      SortedRun& run = (*runs)[r];
      if (run.rows == 0) return false;
      Binding row(run.width, kUnbound);
      if (std::fread(row.data(), sizeof(TermId), run.width, run.file) != run.width) {
        status_ = Status::IOError("cannot read a sorted run");
        return false;
      }
      --run.rows;
      head->entry = SortEntry{OrderKeys(q, frame, row), std::move(row), r};
      head->run = r;
      return true;
    };
    // A min-heap on the sort keys; equal keys come out run by run, as they went in.
    auto greater = [&](const Head& a, const Head& b) { return SortLess(q, b.entry, a.entry); };
    std::vector<Head> heap;
    for (std::size_t r = 0; r < runs->size(); ++r) {
      Head head;
      if (read(r, &head)) heap.push_back(std::move(head));
    }
    std::make_heap(heap.begin(), heap.end(), greater);
    while (!heap.empty() && Tick()) {
      std::pop_heap(heap.begin(), heap.end(), greater);
      Head head = std::move(heap.back());
      heap.pop_back();
      const std::size_t r = head.run;
      if (!take(head.entry.row)) break;
      if (read(r, &head)) {
        heap.push_back(std::move(head));
        std::push_heap(heap.begin(), heap.end(), greater);
      }
    }
    for (auto& run : *runs) std::fclose(run.file);
  }

  // ---- grouping with accumulators

  using AggregateValues = std::unordered_map<const ast::Expr*, std::optional<Term>>;

  struct Accumulator {
    long long count = 0;
    std::optional<Term> value;  // running sum, best so far, or the sample
    bool error = false, first = true;
    std::string concat;
    std::set<std::string> seen;             // DISTINCT values
    std::unordered_set<TermId> seen_ids;    // COUNT(DISTINCT ?var): equal terms have equal ids
    std::set<Binding> seen_rows;            // COUNT(DISTINCT *)
  };
  struct GroupState {
    std::vector<TermId> key;
    std::vector<Accumulator> acc;
  };
  // The slot of a plain variable expression, or -1: grouping keys and COUNT arguments
  // that are plain variables are read as ids, without decoding a term.
  static int VariableSlot(Frame& frame, const ast::Expr& e) {
    return e.op == Op::kTerm && e.term.is_var ? frame.Slot(e.term.var) : -1;
  }
  struct Grouping {
    std::vector<const ast::Expr*> aggregates;
    std::vector<int> key_slots;       // per GROUP BY condition
    std::vector<int> argument_slots;  // per aggregate, for COUNT of a variable
    std::unordered_map<std::vector<TermId>, std::size_t, IdKeyHash> index;
    std::vector<GroupState> groups;
    std::vector<TermId> key;  // the current row's, built in place
    void Prepare(const ast::Query& q, Frame& frame) {
      std::function<void(const ast::Expr&)> find = [&](const ast::Expr& e) {
        if (e.op == Op::kAggregate) {
          aggregates.push_back(&e);
          argument_slots.push_back(e.name == "COUNT" && !e.args.empty() ? VariableSlot(frame, e.args[0]) : -1);
          return;
        }
        for (const auto& a : e.args) find(a);
      };
      for (const auto& p : q.projection) {
        if (p.expr) find(*p.expr);
      }
      for (const auto& h : q.having) find(h);
      for (const auto& o : q.order_by) find(o.expr);
      for (const auto& c : q.group_by) key_slots.push_back(VariableSlot(frame, c.expr));
    }
  };

  void AddToGroups(const ast::Query& q, Frame& frame, Grouping* g, Binding& s) {
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

  void Accumulate(Frame& frame, const ast::Expr& e, Accumulator* acc, Binding& s) {
    if (e.args.empty()) {  // COUNT(*)
      if (e.distinct) {
        acc->seen_rows.insert(s);
      } else {
        ++acc->count;
      }
      return;
    }
    auto v = Eval(frame, e.args[0], s, GraphCtx{}, nullptr);
    if (e.distinct && v && !acc->seen.insert(EncodeTerm(*v)).second) return;
    const std::string& name = e.name;
    if (name == "COUNT") {
      acc->count += v.has_value();
    } else if (name == "SUM" || name == "AVG") {
      if (acc->error) return;
      if (!v) {
        acc->error = true;
        return;
      }
      acc->value = eval::Arithmetic('+', acc->value.value_or(eval::IntegerTerm(0)), *v);
      acc->error = !acc->value;
      ++acc->count;
    } else if (name == "MIN" || name == "MAX") {
      if (!v) return;
      const int c = acc->value ? eval::OrderCompare(&*v, &*acc->value) : 0;
      if (!acc->value || (name == "MIN" ? c < 0 : c > 0)) acc->value = v;
    } else if (name == "SAMPLE") {
      if (!acc->value && v) acc->value = v;
    } else if (name == "GROUP_CONCAT") {
      if (acc->error) return;
      if (!v || v->kind != TermKind::kLiteral) {
        acc->error = true;
        return;
      }
      if (!acc->first) acc->concat += e.separator;
      acc->concat += v->value;
      acc->first = false;
    }
  }

  static std::optional<Term> Finish(const ast::Expr& e, const Accumulator& acc) {
    const std::string& name = e.name;
    if (name == "COUNT") return eval::IntegerTerm(e.args.empty() && e.distinct ? static_cast<long long>(acc.seen_rows.size()) : acc.count);
    if (name == "SUM") return acc.error ? std::nullopt : std::optional<Term>(acc.value.value_or(eval::IntegerTerm(0)));
    if (name == "AVG") {
      if (acc.error) return std::nullopt;
      if (acc.count == 0) return eval::IntegerTerm(0);
      return eval::Arithmetic('/', *acc.value, eval::IntegerTerm(acc.count));
    }
    if (name == "GROUP_CONCAT") return acc.error ? std::nullopt : std::optional<Term>(Term::Literal(acc.concat));
    return acc.value;  // MIN, MAX, SAMPLE
  }

  void FinishGroups(const ast::Query& q, Frame& frame, Grouping& g, std::vector<Binding>* out,
                    std::vector<AggregateValues>* values) {
    // Aggregates over no solutions still make one group (COUNT(*) = 0), unless grouped.
    if (g.groups.empty() && q.group_by.empty()) g.groups.push_back(GroupState{{}, std::vector<Accumulator>(g.aggregates.size())});
    const std::size_t width = frame.slots.size() + 8;
    for (const GroupState& state : g.groups) {
      AggregateValues agg;
      for (std::size_t i = 0; i < g.aggregates.size(); ++i) agg[g.aggregates[i]] = Finish(*g.aggregates[i], state.acc[i]);
      Binding row(width, kUnbound);
      for (std::size_t k = 0; k < q.group_by.size(); ++k) {
        const auto& c = q.group_by[k];
        if (!c.var.empty()) row[static_cast<std::size_t>(frame.Slot(c.var))] = state.key[k];
        if (c.expr.op == Op::kTerm && c.expr.term.is_var) row[static_cast<std::size_t>(frame.Slot(c.expr.term.var))] = state.key[k];
      }
      agg_values_ = &agg;
      Project(q, frame, row);
      bool keep = true;
      for (const auto& h : q.having) {
        auto v = Eval(frame, h, row, GraphCtx{}, nullptr);
        keep = keep && v && eval::EffectiveBoolean(*v).value_or(false);
      }
      agg_values_ = nullptr;
      if (!keep) continue;
      out->push_back(std::move(row));
      values->push_back(std::move(agg));
    }
  }

  // ---- ordering

  struct SortEntry {
    std::vector<std::optional<Term>> keys;
    Binding row;
    std::uint64_t sequence;  // ties keep the order rows arrived in
  };

  std::vector<std::optional<Term>> OrderKeys(const ast::Query& q, Frame& frame, Binding& row) {
    std::vector<std::optional<Term>> keys;
    for (const auto& o : q.order_by) keys.push_back(Eval(frame, o.expr, row, GraphCtx{}, nullptr));
    return keys;
  }

  static bool SortLess(const ast::Query& q, const SortEntry& a, const SortEntry& b) {
    for (std::size_t k = 0; k < q.order_by.size(); ++k) {
      int c = eval::OrderCompare(a.keys[k] ? &*a.keys[k] : nullptr, b.keys[k] ? &*b.keys[k] : nullptr);
      if (c != 0) return q.order_by[k].descending ? c > 0 : c < 0;
    }
    return a.sequence < b.sequence;
  }

  // Sorts `rows` by the ORDER BY keys. With `keep`, only the first `keep` rows in that
  // order are wanted: they are chosen with a bounded heap (n log keep comparisons) and
  // the rest dropped.
  void Order(const ast::Query& q, Frame& frame, std::vector<Binding>* rows, std::vector<AggregateValues>* values,
             std::optional<std::size_t> keep = std::nullopt) {
    std::vector<SortEntry> entries;
    for (std::size_t i = 0; i < rows->size() && Tick(); ++i) {
      if (values != nullptr) agg_values_ = &(*values)[i];
      entries.push_back(SortEntry{OrderKeys(q, frame, (*rows)[i]), std::move((*rows)[i]), i});
    }
    agg_values_ = nullptr;
    rows->clear();
    if (!status_.ok()) return;
    auto less = [&](const SortEntry& a, const SortEntry& b) { return SortLess(q, a, b); };
    if (keep && *keep < entries.size() && !KeepFirst(&entries, *keep, less)) return;
    if (!SortInSteps(&entries, less)) return;
    for (auto& e : entries) rows->push_back(std::move(e.row));
  }

  // Leaves in `items` (unordered) the `keep` least of them. False when stopped.
  template <class T, class Less>
  bool KeepFirst(std::vector<T>* items, std::size_t keep, Less less) {
    std::vector<T> kept;
    for (auto& item : *items) {
      if (!Tick()) return false;
      OfferTopK(&kept, keep, std::move(item), less);
    }
    *items = std::move(kept);
    return true;
  }

  // Keeps in `heap` (a max-heap under `less`) the `k` least of the entries offered.
  template <class T, class Less>
  static void OfferTopK(std::vector<T>* heap, std::size_t k, T&& entry, Less less) {
    if (k == 0) return;
    if (heap->size() < k) {
      heap->push_back(std::move(entry));
      std::push_heap(heap->begin(), heap->end(), less);
    } else if (less(entry, heap->front())) {
      std::pop_heap(heap->begin(), heap->end(), less);
      heap->back() = std::move(entry);
      std::push_heap(heap->begin(), heap->end(), less);
    }
  }

  // std::sort cannot be stopped: a large sort is done as sorted blocks merged pass by
  // pass, with the deadline checked between steps, so that a timeout or Ctrl-C stops
  // it soon. False (and status_ set) when it was stopped.
  template <class T, class Less>
  bool SortInSteps(std::vector<T>* items, Less less) {
    constexpr std::size_t kBlock = 1 << 14;
    const std::size_t n = items->size();
    auto at = [&](std::size_t i) { return items->begin() + static_cast<std::ptrdiff_t>(std::min(i, n)); };
    for (std::size_t i = 0; i < n; i += kBlock) {
      std::sort(at(i), at(i + kBlock), less);
      if (!status_.ok() || Expired()) return false;
    }
    for (std::size_t width = kBlock; width < n; width *= 2) {
      for (std::size_t i = 0; i + width < n; i += 2 * width) {
        std::inplace_merge(at(i), at(i + width), at(i + 2 * width), less);
        if (!status_.ok() || Expired()) return false;
      }
    }
    return true;
  }

  // The triples a CONSTRUCT template makes of one solution, each given to the sink once.
  using TripleSet = std::unordered_set<std::string>;
  bool Construct(const ast::Query& q, Frame& frame, const Binding& row, std::uint64_t solution, TripleSet* seen,
                 ResultSink& sink) {
    auto resolve = [&](const ast::PatternTerm& t) -> std::optional<Term> {
      if (!t.is_var) return t.term;
      if (t.var.rfind("_:", 0) == 0) return Term::BlankNode("c" + std::to_string(solution) + "_" + t.var.substr(2));
      int slot = frame.Find(t.var);
      if (slot < 0 || row[static_cast<std::size_t>(slot)] == kUnbound) return std::nullopt;
      return table_.Get(row[static_cast<std::size_t>(slot)]);
    };
    for (const auto& t : q.construct_template) {
      auto s = resolve(t.subject), o = resolve(t.object);
      auto p = t.predicate_is_var ? resolve(ast::PatternTerm::Var(t.predicate_var)) : std::optional<Term>(Term::Iri(t.path.iri));
      if (!s || !p || !o || s->kind == TermKind::kLiteral || p->kind != TermKind::kIri) continue;
      std::string key = ToNTriples(*s) + " " + ToNTriples(*p) + " " + ToNTriples(*o);
      if (seen->insert(std::move(key)).second && !Keep(sink.Triple(Triple{*s, *p, *o}))) return false;
    }
    return Tick();
  }

  Status Describe(const ast::Query& q, Frame& frame, const std::vector<Binding>& rows, ResultSink& sink) {
    std::set<TermId> resources;
    for (const auto& d : q.describe) {
      if (!d.is_var) {
        if (TermId id = table_.StoreId(d.term); id != kUnbound) resources.insert(id);
        continue;
      }
      int slot = frame.Find(d.var);
      for (const auto& row : rows) {
        if (slot >= 0 && row[static_cast<std::size_t>(slot)] != kUnbound) resources.insert(row[static_cast<std::size_t>(slot)]);
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
      if ((r & eval::kLocalBit) != 0) continue;
      auto cursor = source_.ScanUnion(QuadPattern{r, {}, {}, {}});
      Quad quad;
      while (Tick() && cursor->Next(&quad)) {
        if (!Keep(sink.Triple(Triple{table_.Get(quad.subject), table_.Get(quad.predicate), table_.Get(quad.object)}))) break;
      }
      PARLEY_RETURN_IF_ERROR(cursor->status());
      PARLEY_RETURN_IF_ERROR(status_);
    }
    return Status::OK();
  }

  // ================================================================ group patterns

  const plan::GroupPlan& PlanFor(const ast::GroupPattern& g, bool skip_filters) {
    auto key = std::make_pair(static_cast<const void*>(&g), skip_filters);
    auto it = group_plans_.find(key);
    if (it == group_plans_.end()) it = group_plans_.emplace(key, plan::PlanGroup(g, skip_filters)).first;
    return it->second;
  }

  bool EvalGroup(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx, Binding& b, const Sink& sink,
                 bool skip_filters = false) {
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

  // For a group of triple patterns and filters only, a variable that one of the filters
  // requires to start with a literal prefix (plan::PrefixCandidate), with the
  // dictionary's strings that do, when there are few. Every solution binds the variable
  // (it is in the triples) to a string that passes the filter, so running the group
  // once per candidate loses nothing.
  std::optional<std::pair<std::size_t, std::vector<TermId>>> PrefixCandidates(Frame& f, const plan::GroupPlan& plan,
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

  // The variables of a group's prefix filters that `b` binds.
  std::set<std::string> BoundNames(Frame& f, const plan::GroupPlan& plan, const Binding& b) {
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

  bool Test(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx) {
    auto v = Eval(f, e, b, ctx, nullptr);
    if (!v) return false;
    return eval::EffectiveBoolean(*v).value_or(false);
  }

  // A hash index over materialised rows, on the slots that every row binds.
  struct RowIndex {
    std::vector<std::size_t> slots;
    std::unordered_multimap<std::size_t, std::size_t> buckets;  // hash of the key -> row
  };

  static std::size_t KeyHash(const Binding& row, const std::vector<std::size_t>& slots) {
    std::size_t h = 1469598103934665603ULL;
    for (std::size_t s : slots) h = (h ^ row[s]) * 1099511628211ULL;
    return h;
  }

  // Joins each solution of `rows` that is compatible with `b` into `b` and calls `next`.
  // Large inputs are probed through a hash index on the variables both sides bind.
  // `cached` rows live as long as the query (Materialize's), so their index can be kept.
  bool JoinRows(const std::vector<Binding>& rows, Binding& b, const Sink& next, bool cached = false) {
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

  bool JoinRowsScan(const std::vector<Binding>& rows, Binding& b, const Sink& next) {
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

  const std::vector<Binding>& Materialize(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx, bool skip_filters = false) {
    auto key = std::make_tuple(static_cast<const void*>(&g), ctx.is_default, ctx.graph, skip_filters);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    std::vector<Binding> rows;
    Binding empty(f.slots.size() + 8, kUnbound);
    EvalGroup(f, g, ctx, empty, [&](Binding& r) {
      rows.push_back(r);
      return true;
    }, skip_filters);
    return cache_.emplace(key, std::move(rows)).first->second;
  }

  // Runs `body(sink)`; under explain --analyze, counts the rows it emits and its time.
  template <class Body>
  bool Profiled(const void* node, const Sink& next, Body body) {
    if (profile_ == nullptr) return body(next);
    auto& stats = profile_->ops[node];
    const auto start = std::chrono::steady_clock::now();
    bool go_on = body([&](Binding& out) {
      ++stats.rows;
      return next(out);
    });
    stats.nanos += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    return go_on;
  }

  bool EvalElement(Frame& f, const ast::Element& e, const GraphCtx& ctx, Binding& b, const Sink& next) {
    return Profiled(&e, next, [&](const Sink& sink) { return EvalElementBody(f, e, ctx, b, sink); });
  }

  bool EvalElementBody(Frame& f, const ast::Element& e, const GraphCtx& ctx, Binding& b, const Sink& next) {
    switch (e.kind) {
      case Kind::kTriples: return Bgp(f, e.triples, kNoFilters, ctx, b, next);
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
      case Kind::kOptional: return Optional(f, e.groups[0], ctx, b, next);
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
      case Kind::kGraph: return GraphElement(f, e, ctx, b, next);
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
      case Kind::kSubSelect: return JoinRows(SubSelect(f, *e.subquery, ctx), b, next);
      case Kind::kFilter: return next(b);
    }
    return true;
  }

  bool Optional(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx, Binding& b, const Sink& next) {
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

  bool GraphElement(Frame& f, const ast::Element& e, const GraphCtx&, Binding& b, const Sink& next) {
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

  // A sub-select runs in the active graph (inside GRAPH ?g it sees that graph).
  static bool HasPaths(const ast::GroupPattern& g) {
    for (const auto& e : g.elements) {
      for (const auto& t : e.triples) {
        if (!t.predicate_is_var && !t.path.IsLink()) return true;
      }
    }
    return false;
  }

  std::vector<Binding> SubSelect(Frame& outer, const ast::Query& q, const GraphCtx& ctx) {
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

  // ================================================================ dataset and scans

  const std::vector<TermId>& NamedGraphs() {
    if (named_ready_) return named_;
    named_ready_ = true;
    if (has_dataset_) {
      for (TermId g : from_named_) {
        if ((g & eval::kLocalBit) == 0) named_.push_back(g);
      }
      return named_;
    }
    // Every graph but the default one: hop from graph to graph in gspo.
    std::set<TermId> graphs;
    auto cursor = source_.Scan(QuadPattern{});
    Quad q;
    while (cursor->Next(&q)) {
      if (q.graph != kDefaultGraph) graphs.insert(q.graph);
    }
    named_.assign(graphs.begin(), graphs.end());
    return named_;
  }

  // One step of work: false once the query has failed or its time is up (the clock is
  // read every 4,096 steps). Every loop over rows or quads takes a step per item, so
  // that a timeout or Ctrl-C stops any of them within milliseconds.
  bool Tick() { return status_.ok() && ((++ticks_ & 0xFFF) != 0 || !Expired()); }

  bool Expired() {
    if (options_.cancel != nullptr && options_.cancel->load()) {
      status_ = Status::IOError("query cancelled");
      return true;
    }
    if (options_.memory_limit && ResidentBytes() > start_resident_ + *options_.memory_limit) {
      status_ = Status::IOError("query stopped: memory limit reached (it needed more than the " +
                                std::to_string(*options_.memory_limit >> 20) + " MiB that --memory-limit allows)");
      return true;
    }
    if (deadline_ && std::chrono::steady_clock::now() > *deadline_) {
      status_ = Status::IOError("query timed out after " + std::to_string(options_.timeout->count() / 1000.0).substr(0, 5) + " s");
      return true;
    }
    return false;
  }

  // Calls `cb` for each triple matching (s, p, o) in the active graph (kUnbound = any).
  template <class Callback>
  bool Scan(TermId s, TermId p, TermId o, const GraphCtx& ctx, Callback&& cb) {
    // Once the query has failed (timed out, cancelled) every scan stops at once, so that
    // a caller that goes on to its next item still ends soon; a scan also counts as a
    // tick, for loops of scans that find nothing.
    if (!Tick()) return false;
    if (((s | p | o) & eval::kLocalBit) != 0) return true;  // a term the store does not have
    QuadPattern pattern;
    if (s != kUnbound) pattern.subject = s;
    if (p != kUnbound) pattern.predicate = p;
    if (o != kUnbound) pattern.object = o;
    std::unique_ptr<QuadCursor> cursor;
    bool filter_from = false;
    bool any_named = false;
    if (!ctx.is_default && ctx.graph == kAnyNamedGraph) {
      cursor = source_.Scan(pattern);
      any_named = true;
    } else if (!ctx.is_default) {
      pattern.graph = ctx.graph;
      cursor = source_.Scan(pattern);
    } else if (has_dataset_) {
      if (from_.empty()) return true;
      if (from_.size() == 1) {
        pattern.graph = from_[0];
        cursor = source_.Scan(pattern);
      } else {
        cursor = source_.Scan(pattern);
        filter_from = true;
      }
    } else if (options_.dataset == DatasetMode::kUnion) {
      cursor = source_.ScanUnion(pattern);
    } else {
      pattern.graph = kDefaultGraph;
      cursor = source_.Scan(pattern);
    }
    Quad q, last{};
    bool have_last = false;
    while (cursor->Next(&q)) {
      if (!Tick()) return false;
      if (any_named) {
        if (q.graph == kDefaultGraph) continue;
        if (has_dataset_ && std::find(from_named_.begin(), from_named_.end(), q.graph) == from_named_.end()) continue;
      }
      if (filter_from) {
        if (std::find(from_.begin(), from_.end(), q.graph) == from_.end()) continue;
        Quad t{q.subject, q.predicate, q.object, 0};
        if (have_last && t == last) continue;
        last = t;
        have_last = true;
      }
      if (!cb(q)) return false;
    }
    if (!cursor->status().ok()) {
      status_ = cursor->status();
      return false;
    }
    return true;
  }

  // rdfs:subClassOf / rdfs:subPropertyOf closure: `term` and everything below it.
  const std::vector<TermId>& Below(TermId term, bool classes) {
    auto& cache = classes ? subclasses_ : subproperties_;
    auto it = cache.find(term);
    if (it != cache.end()) return it->second;
    std::vector<TermId> out = {term};
    const TermId relation = table_.StoreId(Term::Iri(classes ? kSubClassOf : kSubPropertyOf));
    if (relation != kUnbound) {
      std::set<TermId> seen = {term};
      for (std::size_t i = 0; i < out.size(); ++i) {
        auto cursor = source_.ScanUnion(QuadPattern{{}, relation, out[i], {}});
        Quad q;
        while (cursor->Next(&q)) {
          if (seen.insert(q.subject).second) out.push_back(q.subject);
        }
      }
    }
    return cache.emplace(term, std::move(out)).first->second;
  }

  // A triple pattern under RDFS inference: subproperties of p, subclasses of the class
  // in (s rdf:type C). Each (s, p, o) answer comes once.
  template <class Callback>
  bool ScanInferred(TermId s, TermId p, TermId o, const GraphCtx& ctx, Callback&& cb) {
    if (!options_.inference || p == kUnbound) return Scan(s, p, o, ctx, cb);
    std::vector<std::pair<TermId, TermId>> expansions;  // (predicate, object)
    if (rdf_type_ == kUnbound) rdf_type_ = table_.StoreId(Term::Iri(kRdfType));
    if (p == rdf_type_ && o != kUnbound) {
      for (TermId c : Below(o, true)) expansions.emplace_back(p, c);
    } else {
      for (TermId q : Below(p, false)) expansions.emplace_back(q, o);
    }
    if (expansions.size() == 1) return Scan(s, p, o, ctx, cb);
    std::set<std::pair<TermId, TermId>> seen;
    for (auto [pred, obj] : expansions) {
      bool go_on = Scan(s, pred, obj, ctx, [&](const Quad& q) {
        if (!seen.emplace(q.subject, p == rdf_type_ ? 0 : q.object).second) return true;
        Quad as_asked{q.subject, p, p == rdf_type_ && o != kUnbound ? o : q.object, q.graph};
        return cb(as_asked);
      });
      if (!go_on) return false;
    }
    return true;
  }

  // ================================================================ basic graph patterns

  // The id a pattern position stands for now: a bound variable's value, a constant's
  // id (local when the store lacks it), or kUnbound.
  static std::size_t SlotOf(Frame& f, const ast::PatternTerm& t) {
    if (t.slot < 0) t.slot = f.Slot(t.var);
    return static_cast<std::size_t>(t.slot);
  }

  TermId Resolve(Frame& f, const ast::PatternTerm& t, const Binding& b) {
    if (t.is_var) return b[SlotOf(f, t)];
    auto it = constants_.find(&t);
    if (it != constants_.end()) return it->second;
    return constants_[&t] = table_.Intern(t.term);
  }

  TermId PredicateId(const ast::TriplePattern& t) {
    auto it = predicates_.find(&t);
    if (it != predicates_.end()) return it->second;
    return predicates_[&t] = table_.Intern(Term::Iri(t.path.iri));
  }

  const PredicateStats* CachedStats(TermId p) {
    auto it = stats_.find(p);
    if (it == stats_.end()) {
      auto s = source_.Stats(p);
      it = stats_.emplace(p, s.ok() ? *s : PredicateStats{}).first;
    }
    return &it->second;
  }

  // The store's counts for a pattern's constant predicate, for the planner.
  plan::PredicateFacts FactsFor(const ast::TriplePattern& t) {
    using Facts = plan::PredicateFacts;
    if (t.predicate_is_var || !t.path.IsLink()) return {};
    const TermId p = PredicateId(t);
    if ((p & eval::kLocalBit) != 0) return {Facts::Kind::kAbsent};
    const PredicateStats* stats = CachedStats(p);
    return {Facts::Kind::kCounted, static_cast<double>(stats->quads), static_cast<double>(stats->distinct_subjects),
            static_cast<double>(stats->distinct_objects)};
  }

  // The plan of triples[first, last) with `filters` inside its join, for the variables
  // `bound` on entry: planned once per set of bound variables.
  const BgpPlan& PlanFor(const std::vector<ast::TriplePattern>& triples, std::size_t first, std::size_t last,
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

  // Which of the variables of triples[first, last) `b` binds on entry, as names.
  std::set<std::string> BoundOnEntry(Frame& f, const std::vector<ast::TriplePattern>& triples, std::size_t first,
                                     std::size_t last, const Binding& b) {
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

  // Joins a BGP; `filters` (the planner puts some only in a BGP of one slice) run inside
  // its join as soon as their variables are bound.
  bool Bgp(Frame& f, const std::vector<ast::TriplePattern>& triples, const std::vector<const ast::Expr*>& filters,
           const GraphCtx& ctx, Binding& b, const Sink& next) {
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

  // Joins triples[first, last) as index nested loops in the planned order.
  bool BgpSlice(Frame& f, const std::vector<ast::TriplePattern>& triples, std::size_t first, std::size_t last,
                const std::vector<const ast::Expr*>& filters, const GraphCtx& ctx, Binding& b, const Sink& next) {
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

  // Rows held back so that the terms their filters (or the output) need are decoded
  // together, one sorted pass over the dictionary instead of one read per row.
  struct RowBatch {
    static constexpr std::size_t kRows = 1024;
    std::vector<int> slots;    // the slots whose terms are needed
    std::vector<TermId> rows;  // row after row, each a whole Binding
    std::size_t width = 0;
    void AddSlots(Frame& f, const ast::Expr& e) {
      std::set<std::string> names;
      bool exists = false;
      ExprVarNames(e, &names, &exists);
      for (const auto& name : names) {
        const int slot = f.Find(name);
        if (slot >= 0 && std::find(slots.begin(), slots.end(), slot) == slots.end()) slots.push_back(slot);
      }
    }
    // Keeps a copy of `b`; true when the batch is full.
    bool Add(const Binding& b) {
      width = b.size();
      rows.insert(rows.end(), b.begin(), b.end());
      return rows.size() >= kRows * width;
    }
  };

  // Decodes the batch's needed terms, then runs `go_on` with `b` set to each row in
  // turn. `b` is as it was when this returns.
  bool FlushBatch(RowBatch& batch, Binding& b, const std::function<bool()>& go_on) {
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
      std::copy(rows.begin() + static_cast<std::ptrdiff_t>(at), rows.begin() + static_cast<std::ptrdiff_t>(at + batch.width), b.begin());
      go = go_on();
    }
    b = saved;
    return go;
  }

  // Binds a pattern position to `id` unless it is already bound (then it must agree).
  // Returns whether it matched; `set` tells the caller to unbind afterwards.
  bool Bind(Frame& f, const ast::PatternTerm& t, TermId id, Binding& b, bool* set) {
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

  bool Pattern(Frame& f, const ast::TriplePattern& t, const GraphCtx& ctx, Binding& b, const Sink& next) {
    return Profiled(&t, next, [&](const Sink& sink) { return PatternBody(f, t, ctx, b, sink); });
  }

  bool PatternBody(Frame& f, const ast::TriplePattern& t, const GraphCtx& outer_ctx, Binding& b, const Sink& next) {
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

  // ================================================================ join tables

  // A triple pattern probed once per incoming row, one end bound by the row and the
  // other free or a constant, costs a seek a row. Once it has been probed so often that
  // reading all of its matches (the predicate's, or those with that constant) once would
  // have cost less (a seek costs about kRowsPerSeek rows of a sequential scan), they are
  // read once into a table sorted on the row's end, and the probes that follow search
  // the table: a hash join's build and probe, with a sorted array for the hash table.
  // Deciding after the fact keeps the cost within about twice the better of the two,
  // whatever the estimates said.
  struct JoinTable {
    struct Match {
      TermId key, subject, object;  // key: the end the row binds
      bool operator<(const Match& o) const { return key < o.key; }
    };
    std::uint64_t probes = 0;
    bool built = false, refused = false;
    std::vector<Match> matches;  // sorted by key: one allocation, and a probe is a binary search
  };
  static constexpr std::uint64_t kMinProbes = 256;
  static constexpr double kRowsPerSeek = 8;
  static constexpr double kMaxTableRows = 4e6;

  // The table to answer a probe of `t` from, once it is worth building; else null.
  // `fixed` is the other end's constant, or kUnbound when that end is a free variable.
  const JoinTable* JoinTableFor(const ast::TriplePattern& t, TermId p, bool subject_key, TermId fixed,
                                const GraphCtx& ctx) {
    if ((p & eval::kLocalBit) != 0) return nullptr;  // the scan finds nothing at once
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

  struct JoinKey {
    const ast::TriplePattern* pattern;
    bool subject_key, is_default;
    TermId graph;
    bool operator<(const JoinKey& o) const {
      return std::tie(pattern, subject_key, is_default, graph) < std::tie(o.pattern, o.subject_key, o.is_default, o.graph);
    }
  };
  std::map<JoinKey, JoinTable> join_tables_;

  // ================================================================ property paths

  using PairSink = std::function<bool(TermId, TermId)>;

  // Calls `cb(x, y)` for each pair connected by `path` (s or o kUnbound = any).
  bool Pairs(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb) {
    using POp = ast::Path::Op;
    switch (path.op) {
      case POp::kLink: {
        TermId p = table_.Intern(Term::Iri(path.iri));
        return Scan(s, p, o, ctx, [&](const Quad& q) { return cb(q.subject, q.object); });
      }
      case POp::kInverse:
        return Pairs(path.children[0], o, s, ctx, [&](TermId x, TermId y) { return cb(y, x); });
      case POp::kSequence: return Sequence(path.children, 0, s, o, ctx, cb);
      case POp::kAlternative:
        for (const auto& child : path.children) {
          if (!Pairs(child, s, o, ctx, cb)) return false;
        }
        return true;
      case POp::kZeroOrOne:
      case POp::kZeroOrMore:
      case POp::kOneOrMore: return Closure(path, s, o, ctx, cb);
      case POp::kNegated: return Negated(path, s, o, ctx, cb);
    }
    return true;
  }

  bool Sequence(const std::vector<ast::Path>& parts, std::size_t i, TermId s, TermId o, const GraphCtx& ctx,
                const PairSink& cb) {
    if (i + 1 == parts.size()) return Pairs(parts[i], s, o, ctx, cb);
    if (s == kUnbound && o != kUnbound) {
      // Work from the bound end: the last part first.
      std::vector<ast::Path> front(parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end() - 1);
      return Pairs(parts.back(), kUnbound, o, ctx, [&](TermId mid, TermId y) {
        return Sequence(front, 0, kUnbound, mid, ctx, [&](TermId x, TermId) { return cb(x, y); });
      });
    }
    return Pairs(parts[i], s, kUnbound, ctx, [&](TermId x, TermId mid) {
      return Sequence(parts, i + 1, mid, o, ctx, [&](TermId, TermId y) { return cb(x, y); });
    });
  }

  // Nodes reachable from `start` over `step` (forward, or backward when !forward).
  std::vector<TermId> Reach(const ast::Path& step, TermId start, bool forward, bool include_start, bool one_step,
                            const GraphCtx& ctx) {
    std::vector<TermId> out;
    std::unordered_set<TermId> seen;
    if (include_start) {
      out.push_back(start);
      seen.insert(start);
    }
    std::vector<TermId> frontier = {start};
    while (!frontier.empty()) {
      std::vector<TermId> next;
      for (TermId node : frontier) {
        auto visit = [&](TermId x, TermId y) {
          TermId reached = forward ? y : x;
          if (seen.insert(reached).second) {
            out.push_back(reached);
            next.push_back(reached);
          }
          return true;
        };
        bool go_on = forward ? Pairs(step, node, kUnbound, ctx, visit) : Pairs(step, kUnbound, node, ctx, visit);
        if (!go_on) return out;
      }
      if (one_step) break;
      frontier = std::move(next);
    }
    return out;
  }

  bool Closure(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb) {
    const ast::Path& step = path.children[0];
    const bool zero = path.op != ast::Path::Op::kOneOrMore;
    const bool one_step = path.op == ast::Path::Op::kZeroOrOne;
    if (s != kUnbound) {
      for (TermId y : Reach(step, s, true, zero, one_step, ctx)) {
        if (o != kUnbound && y != o) continue;
        if (!cb(s, y)) return false;
      }
      return true;
    }
    if (o != kUnbound) {
      for (TermId x : Reach(step, o, false, zero, one_step, ctx)) {
        if (!cb(x, o)) return false;
      }
      return true;
    }
    // Both ends free: start from every node of the graph.
    std::set<TermId> nodes;
    Scan(kUnbound, kUnbound, kUnbound, ctx, [&](const Quad& q) {
      nodes.insert(q.subject);
      nodes.insert(q.object);
      return true;
    });
    for (TermId x : nodes) {
      for (TermId y : Reach(step, x, true, zero, one_step, ctx)) {
        if (!cb(x, y)) return false;
      }
      if (!status_.ok()) return false;
    }
    return true;
  }

  bool Negated(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb) {
    std::set<TermId> forward, backward;
    bool any_forward = false, any_backward = false;
    for (const auto& [inverse, iri] : path.negated) {
      (inverse ? backward : forward).insert(table_.Intern(Term::Iri(iri)));
      (inverse ? any_backward : any_forward) = true;
    }
    if (any_forward || !any_backward) {
      bool go_on = Scan(s, kUnbound, o, ctx, [&](const Quad& q) {
        return forward.count(q.predicate) ? true : cb(q.subject, q.object);
      });
      if (!go_on) return false;
    }
    if (any_backward) {
      return Scan(o, kUnbound, s, ctx, [&](const Quad& q) {
        return backward.count(q.predicate) ? true : cb(q.object, q.subject);
      });
    }
    return true;
  }

  // ================================================================ expressions

  std::optional<Term> Eval(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx,
                           const std::vector<Binding>* group) {
    switch (e.op) {
      case Op::kTerm: {
        if (!e.term.is_var) return e.term.term;
        const std::size_t slot = SlotOf(f, e.term);
        if (slot >= b.size() || b[slot] == kUnbound) return std::nullopt;
        return table_.Get(b[slot]);
      }
      case Op::kOr:
      case Op::kAnd: {
        // Any operand equal to the deciding value decides; otherwise an error in any
        // operand is an error (SPARQL's logical-or and logical-and, §17.2).
        const bool decides = e.op == Op::kOr;
        bool error = false;
        for (const ast::Expr& operand : e.args) {
          auto v = EvalBool(f, operand, b, ctx, group);
          if (v && *v == decides) return eval::BooleanTerm(decides);
          if (!v) error = true;
        }
        if (error) return std::nullopt;
        return eval::BooleanTerm(!decides);
      }
      case Op::kNot: {
        auto v = EvalBool(f, e.args[0], b, ctx, group);
        if (!v) return std::nullopt;
        return eval::BooleanTerm(!*v);
      }
      case Op::kEq:
      case Op::kNe:
      case Op::kLt:
      case Op::kGt:
      case Op::kLe:
      case Op::kGe: {
        auto l = Eval(f, e.args[0], b, ctx, group), r = Eval(f, e.args[1], b, ctx, group);
        if (!l || !r) return std::nullopt;
        if (e.op == Op::kEq || e.op == Op::kNe) {
          auto eq = eval::ValueEquals(*l, *r);
          if (!eq) return std::nullopt;
          return eval::BooleanTerm(e.op == Op::kEq ? *eq : !*eq);
        }
        auto c = eval::ValueCompare(*l, *r);
        if (!c) return std::nullopt;
        bool v = e.op == Op::kLt ? *c < 0 : e.op == Op::kGt ? *c > 0 : e.op == Op::kLe ? *c <= 0 : *c >= 0;
        return eval::BooleanTerm(v);
      }
      case Op::kIn:
      case Op::kNotIn: {
        auto l = Eval(f, e.args[0], b, ctx, group);
        if (!l) return std::nullopt;
        bool error = false;
        for (std::size_t i = 1; i < e.args.size(); ++i) {
          auto r = Eval(f, e.args[i], b, ctx, group);
          auto eq = r ? eval::ValueEquals(*l, *r) : std::nullopt;
          if (eq && *eq) return eval::BooleanTerm(e.op == Op::kIn);
          if (!eq) error = true;
        }
        if (error) return std::nullopt;
        return eval::BooleanTerm(e.op == Op::kNotIn);
      }
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv: {
        const char op = e.op == Op::kAdd ? '+' : e.op == Op::kSub ? '-' : e.op == Op::kMul ? '*' : '/';
        auto value = Eval(f, e.args[0], b, ctx, group);
        for (std::size_t i = 1; value && i < e.args.size(); ++i) {  // from the left
          auto r = Eval(f, e.args[i], b, ctx, group);
          if (!r) return std::nullopt;
          value = eval::Arithmetic(op, *value, *r);
        }
        return value;
      }
      case Op::kNeg:
      case Op::kPlus: {
        auto v = Eval(f, e.args[0], b, ctx, group);
        if (!v) return std::nullopt;
        auto n = eval::AsNumeric(*v);
        if (!n) return std::nullopt;
        if (n->kind == eval::Numeric::Kind::kInteger) {  // exact, as integers have no bound
          return eval::Arithmetic(e.op == Op::kNeg ? '-' : '+', eval::IntegerTerm(0), *v);
        }
        if (e.op == Op::kNeg) n->value = -n->value;
        return eval::NumericTerm(*n);
      }
      case Op::kExists:
      case Op::kNotExists: {
        bool found = false;
        Binding copy = b;
        copy.resize(std::max(copy.size(), f.slots.size() + 8), kUnbound);
        EvalGroup(f, *e.pattern, ctx, copy, [&](Binding&) {
          found = true;
          return false;
        });
        return eval::BooleanTerm(e.op == Op::kExists ? found : !found);
      }
      case Op::kAggregate: {
        if (agg_values_ == nullptr) return std::nullopt;
        auto it = agg_values_->find(&e);
        return it == agg_values_->end() ? std::nullopt : it->second;
      }
      case Op::kCall: return Call(f, e, b, ctx, group);
    }
    return std::nullopt;
  }

  std::optional<bool> EvalBool(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx, const std::vector<Binding>* group) {
    auto v = Eval(f, e, b, ctx, group);
    if (!v) return std::nullopt;
    return eval::EffectiveBoolean(*v);
  }

  std::optional<Term> Call(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx, const std::vector<Binding>* group) {
    if (e.name == "BOUND") {
      if (e.args.size() != 1 || e.args[0].op != Op::kTerm || !e.args[0].term.is_var) return std::nullopt;
      int slot = f.Find(e.args[0].term.var);
      return eval::BooleanTerm(slot >= 0 && b[static_cast<std::size_t>(slot)] != kUnbound);
    }
    if (e.name == "IF") {
      if (e.args.size() != 3) return std::nullopt;
      auto c = EvalBool(f, e.args[0], b, ctx, group);
      if (!c) return std::nullopt;
      return Eval(f, e.args[*c ? 1 : 2], b, ctx, group);
    }
    if (e.name == "COALESCE") {
      for (const auto& a : e.args) {
        if (auto v = Eval(f, a, b, ctx, group)) return v;
      }
      return std::nullopt;
    }
    std::vector<std::optional<Term>> args;
    for (const auto& a : e.args) args.push_back(Eval(f, a, b, ctx, group));
    return eval::CallFunction(e.name, args, fn_);
  }



  Profile* profile_ = nullptr;
  const AggregateValues* agg_values_ = nullptr;  // while finishing a group: its aggregates' values
  std::unordered_map<const void*, TermId> constants_, predicates_;
  std::unordered_map<TermId, PredicateStats> stats_;
  std::map<std::pair<const void*, std::vector<std::size_t>>, RowIndex> indexes_;

 public:
  // The order Bgp() would scan `triples` in when `bound` variables are already bound,
  // with each pattern's estimated rows.
  // The plan of a whole BGP as explain prints it: one slice's plan, or the orders of its
  // slices one after the other.
  BgpPlan PlanOf(const std::vector<ast::TriplePattern>& triples, const std::vector<const ast::Expr*>& filters,
                 const std::set<std::string>& bound) {
    if (triples.size() <= kSlicePatterns) return PlanFor(triples, 0, triples.size(), filters, bound);
    BgpPlan whole;
    std::set<std::string> now = bound;
    for (std::size_t first = 0; first < triples.size(); first += kSlicePatterns) {
      const std::size_t last = std::min(first + kSlicePatterns, triples.size());
      const std::vector<ast::TriplePattern> slice(triples.begin() + static_cast<std::ptrdiff_t>(first),
                                                  triples.begin() + static_cast<std::ptrdiff_t>(last));
      std::set<std::string> entry;
      for (const auto& v : TripleVars(slice)) {
        if (now.count(v)) entry.insert(v);
      }
      const auto& part = PlanFor(triples, first, last, kNoFilters, entry);
      whole.order.insert(whole.order.end(), part.order.begin(), part.order.end());
      auto vars = TripleVars(slice);
      now.insert(vars.begin(), vars.end());
    }
    whole.filters_after.resize(whole.order.size() + 1);
    return whole;
  }

  const plan::GroupPlan& GroupPlanFor(const ast::GroupPattern& g, bool skip_filters) { return PlanFor(g, skip_filters); }

 private:
  const QuadSource& source_;
  eval::TermTable table_;
  const QueryOptions& options_;
  eval::FunctionContext fn_;
  std::uint64_t blank_counter_ = 0;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::size_t start_resident_ = 0;  // the process' resident bytes when the query began
  std::uint64_t ticks_ = 0;
  Status status_;
  std::vector<TermId> from_, from_named_, named_;
  bool has_dataset_ = false, named_ready_ = false;
  TermId rdf_type_ = kUnbound;
  std::map<std::tuple<const void*, bool, TermId, bool>, std::vector<Binding>> cache_;
  std::map<std::pair<const void*, bool>, plan::GroupPlan> group_plans_;
  std::map<std::tuple<const void*, std::size_t, const void*, std::set<std::string>>, BgpPlan> bgp_plans_;
  std::unordered_map<TermId, std::vector<TermId>> subclasses_, subproperties_;
};

// ---------------------------------------------------------------- explain

std::string Short(const std::string& iri) {
  for (const auto& [prefix, ns] : BuiltinPrefixes()) {
    if (iri.size() > ns.size() && iri.compare(0, ns.size(), ns) == 0 && iri.find_first_of("/#", ns.size()) == std::string::npos) {
      return prefix + ":" + iri.substr(ns.size());
    }
  }
  return "<" + iri + ">";
}

std::string TermText(const ast::PatternTerm& t) {
  if (t.is_var) return t.var.rfind("_:", 0) == 0 ? (t.var.rfind("_:_anon", 0) == 0 ? "[]" : t.var) : "?" + t.var;
  if (t.term.kind == TermKind::kIri) return Short(t.term.value);
  return ToNTriples(t.term);
}

std::string PathText(const ast::Path& p) {
  using POp = ast::Path::Op;
  auto join = [&](const char* sep) {
    std::string out;
    for (const auto& c : p.children) out += (out.empty() ? "" : sep) + PathText(c);
    return "(" + out + ")";
  };
  switch (p.op) {
    case POp::kLink: return Short(p.iri);
    case POp::kInverse: return "^" + PathText(p.children[0]);
    case POp::kSequence: return join("/");
    case POp::kAlternative: return join("|");
    case POp::kZeroOrMore: return PathText(p.children[0]) + "*";
    case POp::kOneOrMore: return PathText(p.children[0]) + "+";
    case POp::kZeroOrOne: return PathText(p.children[0]) + "?";
    case POp::kNegated: return "!(...)";
  }
  return "?";
}

std::string ExprText(const ast::Expr& e) {
  static const std::map<Op, const char*> kInfix = {{Op::kOr, "||"}, {Op::kAnd, "&&"}, {Op::kEq, "="}, {Op::kNe, "!="},
                                                    {Op::kLt, "<"}, {Op::kGt, ">"}, {Op::kLe, "<="}, {Op::kGe, ">="},
                                                    {Op::kAdd, "+"}, {Op::kSub, "-"}, {Op::kMul, "*"}, {Op::kDiv, "/"}};
  if (e.op == Op::kTerm) return TermText(e.term);
  if (auto it = kInfix.find(e.op); it != kInfix.end()) {
    std::string out = ExprText(e.args[0]);
    for (std::size_t i = 1; i < e.args.size(); ++i) out += std::string(" ") + it->second + " " + ExprText(e.args[i]);
    return "(" + out + ")";
  }
  if (e.op == Op::kNot) return "!" + ExprText(e.args[0]);
  if (e.op == Op::kNeg) return "-" + ExprText(e.args[0]);
  if (e.op == Op::kExists || e.op == Op::kNotExists) return e.op == Op::kExists ? "EXISTS {...}" : "NOT EXISTS {...}";
  std::string args;
  for (const auto& a : e.args) args += (args.empty() ? "" : ", ") + ExprText(a);
  if (e.op == Op::kIn || e.op == Op::kNotIn) return "(" + args + ")" + (e.op == Op::kIn ? " IN" : " NOT IN");
  if (e.op == Op::kAggregate) return e.name + "(" + std::string(e.distinct ? "DISTINCT " : "") + (args.empty() ? "*" : args) + ")";
  return (e.name.find(':') != std::string::npos ? Short(e.name) : e.name) + "(" + args + ")";
}

// Prints the plan the evaluator executes: the group plans and join orders come from the
// same planner calls (and caches) that the evaluator runs, and under --analyze each
// BGP's order is the one it ran with, per set of variables bound on entry.
class Explainer {
 public:
  Explainer(Evaluator& evaluator, const Profile* profile) : evaluator_(evaluator), profile_(profile) {}

  std::string Query(const ast::Query& q, int depth = 0) {
    if (q.limit || q.offset) Line(depth++, "Slice" + (q.offset ? " offset " + std::to_string(*q.offset) : std::string()) +
                                              (q.limit ? " limit " + std::to_string(*q.limit) : std::string()), nullptr);
    if (q.distinct || q.reduced) Line(depth++, q.distinct ? "Distinct" : "Reduced", nullptr);
    std::string head = q.form == ast::Query::Form::kSelect ? "Project" : q.form == ast::Query::Form::kAsk ? "Ask"
                     : q.form == ast::Query::Form::kConstruct ? "Construct" : "Describe";
    if (q.select_all) head += " *";
    for (const auto& p : q.projection) head += p.expr ? " (" + ExprText(*p.expr) + " AS ?" + p.var + ")" : " ?" + p.var;
    Line(depth++, head, nullptr);
    if (!q.order_by.empty()) {
      std::string order = "OrderBy";
      for (const auto& o : q.order_by) order += std::string(" ") + (o.descending ? "DESC(" : "") + ExprText(o.expr) + (o.descending ? ")" : "");
      if (q.limit) order += "   (top " + std::to_string(*q.limit + q.offset.value_or(0)) + " kept in a heap)";
      Line(depth++, order, nullptr);
    }
    if (!q.group_by.empty() || !q.having.empty()) {
      std::string group = "Group";
      for (const auto& g : q.group_by) group += " " + ExprText(g.expr);
      for (const auto& h : q.having) group += " HAVING " + ExprText(h);
      Line(depth++, group + "   (hash table on term ids)", nullptr);
    }
    Group(q.where, false, depth, {});
    return out_;
  }

 private:
  void Line(int depth, const std::string& text, const void* node, double estimate = -1) {
    std::string line = std::string(static_cast<std::size_t>(depth) * 2, ' ') + text;
    if (estimate >= 0) line += "   est " + FormatNumber(estimate);
    if (profile_ != nullptr && node != nullptr) {
      auto it = profile_->ops.find(node);
      const OpStats stats = it == profile_->ops.end() ? OpStats{} : it->second;
      line += "   rows " + std::to_string(stats.rows) + ", " + FormatNumber(stats.nanos / 1e6) + " ms";
      if (stats.table_rows > 0) line += ", then joined through a table of " + std::to_string(stats.table_rows) + " rows";
    }
    out_ += line + "\n";
  }

  static std::string FormatNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f" : "%.3g", v);
    return buf;
  }

  static std::string Names(const std::set<std::string>& vars) {
    std::string out;
    for (const auto& v : vars) out += (out.empty() ? "?" : " ?") + v;
    return out.empty() ? "nothing" : out;
  }

  // A group's steps in run order, each filter where it runs; `bound` holds the variables
  // bound on entry (none for a group that runs on its own).
  void Group(const ast::GroupPattern& g, bool skip_filters, int depth, std::set<std::string> bound) {
    const plan::GroupPlan& plan = evaluator_.GroupPlanFor(g, skip_filters);
    if (auto candidate = plan::PrefixCandidate(plan, bound)) {
      std::string line = "Candidates ?" + candidate->var + " := the dictionary's strings starting with \"" +
                         candidate->prefix + "\"";
      if (profile_ != nullptr) {
        auto it = profile_->prefix_candidates.find(&plan);
        if (it != profile_->prefix_candidates.end()) line += "   " + std::to_string(it->second) + " candidates";
      }
      Line(depth, line, nullptr);
      bound.insert(candidate->var);
    }
    for (std::size_t i = 0; i <= plan.steps.size(); ++i) {
      for (const ast::Expr* filter : plan.filters_before[i]) Line(depth, "Filter " + ExprText(*filter), nullptr);
      if (i == plan.steps.size()) break;
      if (plan.steps[i]->kind == Kind::kTriples) {
        Bgp(*plan.steps[i], plan.inside[i], depth, bound);
      } else {
        Step(*plan.steps[i], depth, bound);
      }
      plan::AddCertainVars(*plan.steps[i], &bound);
    }
  }

  void Step(const ast::Element& e, int depth, const std::set<std::string>& bound) {
    switch (e.kind) {
      case Kind::kTriples: Bgp(e, kNoFilters, depth, bound); break;
      case Kind::kBind: Line(depth, "Extend ?" + e.var + " := " + ExprText(e.expr), &e); break;
      case Kind::kValues: Line(depth, "Values (" + std::to_string(e.values.rows.size()) + " rows, joined by compatibility)", &e); break;
      case Kind::kSubSelect:
        Line(depth, "SubSelect (runs once on its own, joined by compatibility)", &e);
        Query(*e.subquery, depth + 1);
        break;
      case Kind::kGroup: Nested("Join (group)", e.groups[0], Correlatable(e.groups[0], false), e, depth, bound); break;
      case Kind::kUnion:
        Line(depth, "Union", &e);
        for (const auto& branch : e.groups) Nested("Branch", branch, Correlatable(branch, false), e, depth + 1, bound, false);
        break;
      case Kind::kOptional: {
        const ast::GroupPattern& inner = e.groups[0];
        if (Correlatable(inner, true)) {
          Nested("LeftJoin (OPTIONAL)", inner, true, e, depth, bound);
        } else {
          Line(depth, "LeftJoin (OPTIONAL, its pattern materialised once and hash-joined; its filters run on each joined row)", &e);
          Group(inner, /*skip_filters=*/true, depth + 1, {});
          for (const auto& x : inner.elements) {
            if (x.kind == Kind::kFilter) Line(depth + 1, "Filter (on the joined row) " + ExprText(x.expr), nullptr);
          }
        }
        break;
      }
      case Kind::kMinus: Nested("Minus", e.groups[0], false, e, depth, bound); break;
      case Kind::kGraph: Graph(e, depth, bound); break;
      case Kind::kFilter: break;  // placed by the group plan
    }
  }

  // A nested group that runs either once per input row with it pushed in (correlated) or
  // once on its own, its rows hash-joined (materialised).
  void Nested(const std::string& name, const ast::GroupPattern& g, bool correlated, const ast::Element& e, int depth,
              const std::set<std::string>& bound, bool profiled = true) {
    Line(depth, name + (correlated ? " (correlated: runs once per input row)" : " (materialised once, hash-joined)"),
         profiled ? &e : nullptr);
    Group(g, false, depth + 1, correlated ? bound : std::set<std::string>{});
  }

  void Graph(const ast::Element& e, int depth, const std::set<std::string>& bound) {
    const ast::GroupPattern& inner = e.groups[0];
    const bool correlated = Correlatable(inner, false);
    if (!e.graph.is_var || bound.count(e.graph.var)) {
      Nested("Graph " + TermText(e.graph), inner, correlated, e, depth, bound);
      return;
    }
    const bool has_triples = std::any_of(inner.elements.begin(), inner.elements.end(),
                                         [](const ast::Element& x) { return x.kind == Kind::kTriples; });
    if (has_triples && correlated && !HasPaths(inner)) {
      Line(depth, "Graph " + TermText(e.graph) + " (the patterns bind the graph)", &e);
      Group(inner, false, depth + 1, bound);
      return;
    }
    std::set<std::string> with_graph = correlated ? bound : std::set<std::string>{};
    if (correlated) with_graph.insert(e.graph.var);
    Line(depth, "Graph " + TermText(e.graph) + " (once per named graph" + (correlated ? ")" : ", materialised, hash-joined)"), &e);
    Group(inner, false, depth + 1, with_graph);
  }

  std::string PatternText(const ast::TriplePattern& t) {
    return TermText(t.subject) + " " + (t.predicate_is_var ? "?" + t.predicate_var : PathText(t.path)) + " " +
           TermText(t.object);
  }

  void Bgp(const ast::Element& e, const std::vector<const ast::Expr*>& filters, int depth,
           const std::set<std::string>& bound) {
    const auto& triples = e.triples;
    Line(depth, "BGP (" + std::to_string(triples.size()) + " patterns, index nested loops in this order)", &e);
    std::set<std::string> entry;
    for (const auto& v : TripleVars(triples)) {
      if (bound.count(v)) entry.insert(v);
    }
    // Under --analyze a BGP of one slice shows the plan of each entry it actually ran
    // with, when that differs from the plan's assumption.
    const std::map<std::set<std::string>, std::uint64_t>* ran = nullptr;
    if (profile_ != nullptr && triples.size() <= kSlicePatterns) {
      auto it = profile_->orders.find({&triples, 0});
      if (it != profile_->orders.end()) ran = &it->second;
    }
    if (ran == nullptr || (ran->size() == 1 && ran->begin()->first == entry)) {
      Joins(triples, evaluator_.PlanOf(triples, filters, entry), depth + 1);
      return;
    }
    for (const auto& [vars, times] : *ran) {
      Line(depth + 1, "entered " + std::to_string(times) + " times with " + Names(vars) + " bound:", nullptr);
      Joins(triples, evaluator_.PlanOf(triples, filters, vars), depth + 2);
    }
  }

  void Joins(const std::vector<ast::TriplePattern>& triples, const BgpPlan& p, int depth) {
    for (std::size_t k = 0; k <= p.order.size(); ++k) {
      for (const ast::Expr* filter : p.filters_after[k]) Line(depth, "Filter " + ExprText(*filter), nullptr);
      if (k == p.order.size()) break;
      const auto& t = triples[p.order[k].index];
      Line(depth, PatternText(t), &t, p.order[k].estimate);
    }
  }

  Evaluator& evaluator_;
  const Profile* profile_;
  std::string out_;
};

}  // namespace

namespace {

// Counts an answer's rows or triples and keeps none (explain --analyze).
struct RowCounter final : ResultSink {
  std::uint64_t count = 0;
  Status Begin(QueryForm, const std::vector<std::string>&) override { return Status::OK(); }
  Status Row(const std::vector<std::optional<Term>>&) override { return ++count, Status::OK(); }
  Status Triple(const query::Triple&) override { return ++count, Status::OK(); }
  Status Boolean(bool) override { return Status::OK(); }
  Status End() override { return Status::OK(); }
};

}  // namespace

Status Execute(const ast::Query& query, const QuadSource& source, const TermDictionary& dictionary,
               const QueryOptions& options, ResultSink& sink) {
  Evaluator evaluator(source, dictionary, options, options.base);
  return evaluator.Run(query, sink);
}

Result<std::string> ExplainPlan(const ast::Query& query, const QuadSource& source, const TermDictionary& dictionary,
                                const QueryOptions& options, bool analyze) {
  Evaluator evaluator(source, dictionary, options, options.base);
  Profile profile;
  std::string footer;
  if (analyze) {
    evaluator.set_profile(&profile);
    const auto start = std::chrono::steady_clock::now();
    RowCounter counter;
    PARLEY_RETURN_IF_ERROR(evaluator.Run(query, counter));
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    char line[96];
    std::snprintf(line, sizeof line, "total: %llu result rows in %.3f ms\n", static_cast<unsigned long long>(counter.count), ms);
    footer = line;
  }
  Explainer explainer(evaluator, analyze ? &profile : nullptr);
  return explainer.Query(query) + footer;
}

}  // namespace parley::query
