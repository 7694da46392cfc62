// query/exec/evaluator.hpp
// The evaluator: its state and its operators, declared once here and defined by
// operator family in the files of query/exec/ (solutions, modifiers, aggregates,
// groups, scan, bgp, paths, expressions, explain). Internal to the query layer; the
// rest of Parley runs queries through query/exec/execute.hpp.
//
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
#pragma once


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
#include "query/exec/accumulator.hpp"
#include "query/exec/functions.hpp"
#include "query/exec/terms.hpp"
#include "query/exec/values.hpp"
#include "query/plan/planner.hpp"

namespace parley::query::exec {

using Binding = std::vector<TermId>;
using Sink = std::function<bool(Binding&)>;
using Kind = ast::Element::Kind;
using Op = ast::Expr::Op;
using plan::Correlatable;
using plan::ExprVarNames;
using plan::HasPaths;
using plan::TripleVars;

inline const std::string kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
inline const std::string kSubClassOf = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
inline const std::string kSubPropertyOf = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf";

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


void CollectGroupVars(Frame& f, const ast::GroupPattern& g);
void CollectExprVars(Frame& f, const ast::Expr& e);

void CollectExprVars(Frame& f, const ast::Expr& e);

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
std::size_t ResidentBytes();

inline constexpr std::size_t kSlicePatterns = plan::kJoinedPatterns;

// A BGP slice's plan: its join order and, after each number of patterns, the filters
// that can run there.
struct BgpPlan {
  std::vector<plan::OrderedPattern> order;
  std::vector<std::vector<const ast::Expr*>> filters_after;  // order.size() + 1 entries
};

inline const std::vector<const ast::Expr*> kNoFilters;

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
  Evaluator(const QuadSource& source, const TermDictionary& dictionary, const QueryOptions& options, std::string base);

  // Runs the query and hands its answer to `sink` as it is found.
  Status Run(const ast::Query& q, ResultSink& sink);

 private:
  // ================================================================ solutions of a query

  // Runs the query's WHERE clause and solution modifiers; `rows` are bindings in
  // `frame`, `vars` the projected names. `stop_after` > 0 stops after that many rows.
  // With `emit`, the rows go to it instead, each as soon as the modifiers allow: at once
  // without ORDER BY and aggregates, at the end otherwise.
  Status Select(const ast::Query& q, Frame& frame, std::vector<Binding>* rows, std::vector<std::string>* vars,
                std::size_t stop_after, const GraphCtx& ctx = GraphCtx{}, const Sink* emit = nullptr);

  static bool HasAggregate(const ast::Expr& e);

  // Evaluates (expr AS ?var) projections into the row, in order.
  void Project(const ast::Query& q, Frame& frame, Binding& row, const std::vector<Binding>* group = nullptr);

  static std::vector<TermId> ProjectedKey(Frame& frame, const std::vector<std::string>& vars, const Binding& row);

  void Distinct(const ast::Query&, Frame& frame, const std::vector<std::string>& vars, std::vector<Binding>* rows);

  // False, with the query's status set, when a sink call failed.
  bool Keep(Status s);

  // ---- external sort: runs of term ids in temporary files, merged by their keys

  struct SortedRun {
    std::FILE* file = nullptr;
    std::size_t width = 0;
    std::size_t rows = 0;
  };

  // Sorts `rows` and writes them (ids only: they stay valid for the whole query).
  bool SpillRun(const ast::Query& q, Frame& frame, std::vector<Binding>* rows, std::vector<SortedRun>* runs);

  // Merges the runs and gives `take` each row in order, until it returns false.
  void MergeRuns(const ast::Query& q, Frame& frame, std::vector<SortedRun>* runs, const Sink& take);

  // ---- grouping with accumulators

  // A finished group's aggregate values, by aggregate expression: a few entries, so a
  // vector searched in order (one allocation a group, where a map made one per entry).
  using AggregateValues = std::vector<std::pair<const ast::Expr*, std::optional<Term>>>;

  using Accumulator = exec::Accumulator;
  struct GroupState {
    std::vector<TermId> key;
    std::vector<Accumulator> acc;
  };
  // The slot of a plain variable expression, or -1: grouping keys and COUNT arguments
  // that are plain variables are read as ids, without decoding a term.
  static int VariableSlot(Frame& frame, const ast::Expr& e);
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

  void AddToGroups(const ast::Query& q, Frame& frame, Grouping* g, Binding& s);

  void Accumulate(Frame& frame, const ast::Expr& e, Accumulator* acc, Binding& s);

  void FinishGroups(const ast::Query& q, Frame& frame, Grouping& g, std::vector<Binding>* out,
                    std::vector<AggregateValues>* values);

  // ---- ordering

  struct SortEntry {
    std::vector<std::optional<Term>> keys;
    Binding row;
    std::uint64_t sequence;  // ties keep the order rows arrived in
  };

  std::vector<std::optional<Term>> OrderKeys(const ast::Query& q, Frame& frame, Binding& row);

  static bool SortLess(const ast::Query& q, const SortEntry& a, const SortEntry& b);

  // Sorts `rows` by the ORDER BY keys. With `keep`, only the first `keep` rows in that
  // order are wanted: they are chosen with a bounded heap (n log keep comparisons) and
  // the rest dropped.
  void Order(const ast::Query& q, Frame& frame, std::vector<Binding>* rows, std::vector<AggregateValues>* values,
             std::optional<std::size_t> keep = std::nullopt);

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
                 ResultSink& sink);

  Status Describe(const ast::Query& q, Frame& frame, const std::vector<Binding>& rows, ResultSink& sink);

  // ================================================================ group patterns

  const plan::GroupPlan& PlanFor(const ast::GroupPattern& g, bool skip_filters);

  bool EvalGroup(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx, Binding& b, const Sink& sink,
                 bool skip_filters = false);

  // For a group of triple patterns and filters only, a variable that one of the filters
  // requires to start with a literal prefix (plan::PrefixCandidate), with the
  // dictionary's strings that do, when there are few. Every solution binds the variable
  // (it is in the triples) to a string that passes the filter, so running the group
  // once per candidate loses nothing.
  std::optional<std::pair<std::size_t, std::vector<TermId>>> PrefixCandidates(Frame& f, const plan::GroupPlan& plan,
                                                                              const Binding& b);

  // The variables of a group's prefix filters that `b` binds.
  std::set<std::string> BoundNames(Frame& f, const plan::GroupPlan& plan, const Binding& b);

  bool Test(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx);

  // A hash index over materialised rows, on the slots that every row binds.
  struct RowIndex {
    std::vector<std::size_t> slots;
    std::unordered_multimap<std::size_t, std::size_t> buckets;  // hash of the key -> row
  };

  static std::size_t KeyHash(const Binding& row, const std::vector<std::size_t>& slots);

  // Joins each solution of `rows` that is compatible with `b` into `b` and calls `next`.
  // Large inputs are probed through a hash index on the variables both sides bind.
  // `cached` rows live as long as the query (Materialize's), so their index can be kept.
  bool JoinRows(const std::vector<Binding>& rows, Binding& b, const Sink& next, bool cached = false);

  bool JoinRowsScan(const std::vector<Binding>& rows, Binding& b, const Sink& next);

  const std::vector<Binding>& Materialize(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx, bool skip_filters = false);

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

  bool EvalElement(Frame& f, const ast::Element& e, const GraphCtx& ctx, Binding& b, const Sink& next);

  bool EvalElementBody(Frame& f, const ast::Element& e, const GraphCtx& ctx, Binding& b, const Sink& next);

  bool Optional(Frame& f, const ast::GroupPattern& g, const GraphCtx& ctx, Binding& b, const Sink& next);

  bool GraphElement(Frame& f, const ast::Element& e, const GraphCtx&, Binding& b, const Sink& next);

  // A sub-select runs in the active graph (inside GRAPH ?g it sees that graph).
  static bool HasPaths(const ast::GroupPattern& g);

  std::vector<Binding> SubSelect(Frame& outer, const ast::Query& q, const GraphCtx& ctx);

  // ================================================================ dataset and scans

  const std::vector<TermId>& NamedGraphs();

  // One step of work: false once the query has failed or its time is up (the clock is
  // read every 4,096 steps). Every loop over rows or quads takes a step per item, so
  // that a timeout or Ctrl-C stops any of them within milliseconds.
  bool Tick() { return status_.ok() && ((++ticks_ & 0xFFF) != 0 || !Expired()); }

  bool Expired();

  // Calls `cb` for each triple matching (s, p, o) in the active graph (kUnbound = any).
  template <class Callback>
  bool Scan(TermId s, TermId p, TermId o, const GraphCtx& ctx, Callback&& cb) {
    // Once the query has failed (timed out, cancelled) every scan stops at once, so that
    // a caller that goes on to its next item still ends soon; a scan also counts as a
    // tick, for loops of scans that find nothing.
    if (!Tick()) return false;
    if (((s | p | o) & exec::kLocalBit) != 0) return true;  // a term the store does not have
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
  const std::vector<TermId>& Below(TermId term, bool classes);

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
  static std::size_t SlotOf(Frame& f, const ast::PatternTerm& t);

  TermId Resolve(Frame& f, const ast::PatternTerm& t, const Binding& b);

  TermId PredicateId(const ast::TriplePattern& t);

  const PredicateStats* CachedStats(TermId p);

  // The store's counts for a pattern's constant predicate, for the planner.
  plan::PredicateFacts FactsFor(const ast::TriplePattern& t);

  // The plan of triples[first, last) with `filters` inside its join, for the variables
  // `bound` on entry: planned once per set of bound variables.
  const BgpPlan& PlanFor(const std::vector<ast::TriplePattern>& triples, std::size_t first, std::size_t last,
                         const std::vector<const ast::Expr*>& filters, const std::set<std::string>& bound);

  // Which of the variables of triples[first, last) `b` binds on entry, as names.
  std::set<std::string> BoundOnEntry(Frame& f, const std::vector<ast::TriplePattern>& triples, std::size_t first,
                                     std::size_t last, const Binding& b);

  // Joins a BGP; `filters` (the planner puts some only in a BGP of one slice) run inside
  // its join as soon as their variables are bound.
  bool Bgp(Frame& f, const std::vector<ast::TriplePattern>& triples, const std::vector<const ast::Expr*>& filters,
           const GraphCtx& ctx, Binding& b, const Sink& next);

  // Joins triples[first, last) as index nested loops in the planned order.
  bool BgpSlice(Frame& f, const std::vector<ast::TriplePattern>& triples, std::size_t first, std::size_t last,
                const std::vector<const ast::Expr*>& filters, const GraphCtx& ctx, Binding& b, const Sink& next);

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
  bool FlushBatch(RowBatch& batch, Binding& b, const std::function<bool()>& go_on);

  // Binds a pattern position to `id` unless it is already bound (then it must agree).
  // Returns whether it matched; `set` tells the caller to unbind afterwards.
  bool Bind(Frame& f, const ast::PatternTerm& t, TermId id, Binding& b, bool* set);

  bool Pattern(Frame& f, const ast::TriplePattern& t, const GraphCtx& ctx, Binding& b, const Sink& next);

  bool PatternBody(Frame& f, const ast::TriplePattern& t, const GraphCtx& outer_ctx, Binding& b, const Sink& next);

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
                                const GraphCtx& ctx);

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
  bool Pairs(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb);

  bool Sequence(const std::vector<ast::Path>& parts, std::size_t i, TermId s, TermId o, const GraphCtx& ctx,
                const PairSink& cb);

  // Nodes reachable from `start` over `step` (forward, or backward when !forward).
  std::vector<TermId> Reach(const ast::Path& step, TermId start, bool forward, bool include_start, bool one_step,
                            const GraphCtx& ctx);

  bool Closure(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb);

  bool Negated(const ast::Path& path, TermId s, TermId o, const GraphCtx& ctx, const PairSink& cb);

  // ================================================================ expressions

  std::optional<Term> Eval(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx,
                           const std::vector<Binding>* group);

  std::optional<bool> EvalBool(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx, const std::vector<Binding>* group);

  std::optional<Term> Call(Frame& f, const ast::Expr& e, Binding& b, const GraphCtx& ctx, const std::vector<Binding>* group);



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
                 const std::set<std::string>& bound);

  const plan::GroupPlan& GroupPlanFor(const ast::GroupPattern& g, bool skip_filters) { return PlanFor(g, skip_filters); }

 private:
  const QuadSource& source_;
  exec::TermTable table_;
  const QueryOptions& options_;
  exec::FunctionContext fn_;
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
  std::unordered_map<TermId, std::vector<TermId>> subclasses_, subproperties_;};

}  // namespace parley::query::exec
