// query/exec/context.hpp
// What every operator of one query shares: its variables' slots, the term table, the
// dataset's scans (the union or strict default graph, with RDFS inference), and its
// budget (deadline, cancellation, memory), checked once per block.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <functional>
#include <set>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/ast.hpp"
#include "query/engine.hpp"
#include "query/exec/functions.hpp"
#include "query/exec/terms.hpp"

namespace parley::query::exec {

// The process' resident memory: what the operating system counts against it.
std::size_t ResidentBytes();

// Which graph a triple pattern is matched in: the query's default graph (the union of
// all graphs, the store's default graph, or FROM's graphs), one named graph, or any named
// graph (GRAPH ?g with ?g unbound; each match says its graph).
struct GraphRef {
  enum class Kind : std::uint8_t { kDefault, kNamed, kAnyNamed };
  Kind kind = Kind::kDefault;
  TermId id = kUnbound;  // kNamed
  static GraphRef Default() { return {}; }
  static GraphRef Named(TermId id) { return {Kind::kNamed, id}; }
  static GraphRef AnyNamed() { return {Kind::kAnyNamed, kUnbound}; }
  bool operator==(const GraphRef&) const = default;
};

class ExecContext;

// The matches of one triple pattern, pulled a quad at a time, so that an operator can
// stop at a full block and go on later. Each quad carries the graph it was matched in
// (kDefaultGraph for the default graph); under RDFS inference it carries the predicate
// and class that were asked for, and each answer comes once.
class Matches {
 public:
  // False at the end, or when the query stopped (the context's status says why).
  bool Next(Quad* out);
  // Appends up to `max` matches to `out`, as Next would give them; how many (0 at the end,
  // or when the query stopped).
  std::size_t NextBatch(std::vector<Quad>* out, std::size_t max);
  // The next matches where they lie, when they need no change on the way out (one part
  // read from a range in memory, under no inference or dataset rewrite): *at points at
  // up to `max` of them, valid until the next call; their number, 0 at the end. Nullopt
  // when they must be copied: NextBatch then.
  std::optional<std::size_t> NextInPlace(const Quad** at, std::size_t max);
  // Passes over the next `n` matches: at once when they come from one scan as they are
  // (a cached range is not read), else one by one.
  void Skip(std::uint64_t n);
  // Asks the source to start bringing in what the first reads will touch (see
  // QuadSource::PrefetchKept): a join opens the matches of a row a few rows ahead.
  void Prefetch() const;

 private:
  friend class ExecContext;
  explicit Matches(ExecContext& ctx) : ctx_(ctx) {}
  // Back to no parts, keeping the memory, for ExecContext::Reopen.
  void Clear();
  // Opens the next part: its kept range when the source has one, else a cursor. False
  // when no part is left.
  bool OpenPart();
  // Up to `max` quads of the open part, as the index gives them; 0 at its end (or on
  // failure, which goes to the context).
  std::size_t ReadPart(Quad* out, std::size_t max);
  ExecContext& ctx_;
  std::vector<RangeProbe> parts_;  // the ranges read, one after another
  std::size_t next_part_ = 0;
  // The open part: quads in memory (`held_`, read from `at_`: a kept range, or a copy
  // of a small one in `small_`), or a cursor.
  QuadRange range_;
  std::vector<Quad> small_;
  const Quad* held_ = nullptr;
  std::size_t held_size_ = 0, at_ = 0;
  bool in_memory_ = false;
  std::unique_ptr<QuadCursor> cursor_;
  TermId asked_p_ = kUnbound, asked_o_ = kUnbound;  // under inference: what the quads answer for
  bool rewrite_object_ = false;
  bool skip_default_ = false;  // any named graph, scanned over all graphs
  bool named_output_ = false;  // quads keep their graph (else they are the default graph's)
  bool dedupe_ = false;        // more than one part can give the same answer
  std::set<std::array<TermId, 4>> seen_;
  std::uint32_t pulled_ = 0;
};

class ExecContext {
 public:
  ExecContext(const QuadSource& source, const TermDictionary& dictionary, const QueryOptions& options);
  // The context of one worker thread of a split part of `main`'s query: the same
  // dataset, options, slots and deadline, with a term table of its own. Check() fails
  // too once `stop` is set (the consumer needs no more rows).
  ExecContext(const ExecContext& main, const std::atomic<bool>* stop);

  // ---- variables: one slot each, for the whole query (the algebra renamed sub-selects' own)
  int Slot(const std::string& name);
  // The slot of a variable the plan already has, or -1: after planning, a new slot would
  // make blocks wider than the rows the plan's operators were built with.
  int FindSlot(const std::string& name) const;
  std::size_t width() const { return names_.size(); }
  // Rows a block holds: fewer than kBlockRows when a query has so many variables and
  // operators that full blocks would not fit in memory.
  std::size_t block_rows() const { return block_rows_; }
  void set_block_rows(std::size_t rows) { block_rows_ = rows; }
  const std::string& name(std::size_t slot) const { return names_[slot]; }

  // ---- budget
  // False once the query must stop (its status says why): timed out, cancelled, over its
  // memory limit, or failed. Operators call it once per block.
  bool Check();
  bool ok() const { return status_.ok(); }
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  const Status& status() const { return status_; }

  // ---- the dataset
  // FROM and FROM NAMED (or the protocol's graph parameters): when either is given, the
  // default graph is the merge of `from` and the named graphs are `from_named`.
  void SetDataset(const std::vector<std::string>& from, const std::vector<std::string>& from_named);
  // The triples matching (s, p, o) (kUnbound = any) in `graph`, with RDFS inference when
  // the options ask for it.
  std::unique_ptr<Matches> Open(TermId s, TermId p, TermId o, GraphRef graph);
  // Open, into matches this context made before: a join probing once per row reuses one.
  void Reopen(Matches* matches, TermId s, TermId p, TermId o, GraphRef graph);
  // Whether Open's matches of (s, p, o) in `graph` are one index range given as it lies
  // but for `skip_default` (no subproperties or subclasses, one graph or all of them):
  // then `probe` is set to that range, and a join looks up many rows' ranges at once
  // (QuadSource::KeptRanges). With `skip_default`, the range's quads in the default
  // graph are not matches (GRAPH ?g, scanned over all graphs).
  bool AsOneRange(TermId s, TermId p, TermId o, GraphRef graph, RangeProbe* probe, bool* skip_default);
  // Calls `take(quad)` for each of Open's matches. False when `take` or the budget
  // stopped it.
  template <class Take>
  bool Scan(TermId s, TermId p, TermId o, GraphRef graph, Take&& take) {
    auto matches = Open(s, p, o, graph);
    std::vector<Quad> batch;  // read a batch at a time: a join table reads millions
    while (matches->NextBatch(&batch, 1024) > 0) {
      for (const Quad& q : batch) {
        if (!take(q)) return false;
      }
      batch.clear();
    }
    return ok();
  }
  // The position whose ids Open's matches of (s, p, o) come in nondecreasing order of,
  // when they come from one index scan that keeps one (QuadSource::SortedBy); nullopt
  // when they do not (several graphs or inferred predicates: one scan after another).
  std::optional<QuadPosition> SortedBy(TermId s, TermId p, TermId o, GraphRef graph);
  // How many triples match (s, p, o) in `graph` (cached): the planner's figure for a
  // pattern with constants, where averages mislead. Exact up to `cap`; past it, the
  // store's estimate when it has one, else `cap`. A range the store estimates at over
  // four times `cap` is not read.
  std::uint64_t CountMatches(TermId s, TermId p, TermId o, GraphRef graph, std::uint64_t cap);
  // The named graphs of the dataset, in id order.
  const std::vector<TermId>& NamedGraphs();
  // The store's statistics of a predicate (cached); nullopt for none or an error.
  const PredicateStats* Stats(TermId predicate);

  // ---- EXISTS: set by the planner; whether the pattern of `e` has a solution with the
  // values of `row` (one id per slot) substituted.
  std::function<std::optional<bool>(const ast::Expr& e, const std::vector<TermId>& row)> exists;

  TermTable& table() { return table_; }
  FunctionContext& functions() { return fn_; }
  const QueryOptions& options() const { return options_; }
  const QuadSource& source() const { return source_; }

 private:
  // The source's estimate of how many quads `matches` gives in all; 0 when it cannot tell.
  std::uint64_t EstimateMatches(const Matches& matches) const;
  struct Reading;
  Reading ReadingOf(TermId s, TermId p, TermId o, GraphRef graph);
  static void SetPart(TermId s, TermId predicate, TermId object, std::optional<TermId> graph, bool union_view,
                      RangeProbe* part);
  // `term` and everything below it by rdfs:subClassOf (classes) or rdfs:subPropertyOf.
  const std::vector<TermId>& Below(TermId term, bool classes);

  const QuadSource& source_;
  TermTable table_;
  const QueryOptions& options_;
  FunctionContext fn_;
  std::uint64_t blank_counter_ = 0;
  std::map<std::string, int> slots_;
  std::vector<std::string> names_;
  std::size_t block_rows_ = 1024;
  Status status_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::size_t start_resident_ = 0;
  std::uint64_t checks_ = 0;
  TermId rdf_type_ = kUnbound;
  const std::atomic<bool>* stop_ = nullptr;
  bool has_dataset_ = false;
  std::vector<TermId> from_, from_named_;
  std::optional<std::vector<TermId>> named_graphs_;
  std::unordered_map<TermId, std::vector<TermId>> subclasses_, subproperties_;
  // AsOneRange's last answer, which a join asks for row after row: its predicate, the
  // object when it matters (rdf:type under inference), the graph, and the range's
  // graph and view (nullopt when the matches are more than one range).
  struct OneRangeMemo {
    TermId p = kUnbound, o = kUnbound;
    GraphRef graph;
    std::optional<std::pair<std::optional<TermId>, bool>> range_graph;
    bool skip_default = false;
  };
  std::optional<OneRangeMemo> one_range_memo_;
  // The last term Below was asked about, for classes [1] and properties [0]: a join asks
  // for its pattern's predicate once a row.
  std::array<std::pair<TermId, const std::vector<TermId>*>, 2> last_below_{};
  std::unordered_map<TermId, std::optional<PredicateStats>> stats_;
  std::map<std::array<TermId, 5>, std::uint64_t> counts_;
};

}  // namespace parley::query::exec
