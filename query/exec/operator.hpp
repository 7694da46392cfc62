// query/exec/operator.hpp
// The operators a plan is made of. They pull blocks of rows from their inputs: a block
// is up to kBlockRows rows held as one column of term ids per variable slot, and terms
// are decoded only where an expression, ORDER BY or the output needs them. Each
// operator is defined in a file of its own (query/exec/op_*.cpp); the planner
// (query/plan/physical.cpp) builds the tree, and `explain` prints that same tree.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/algebra/algebra.hpp"
#include "query/exec/context.hpp"
#include "query/exec/expression.hpp"
#include "query/exec/thread_pool.hpp"
#include "query/exec/values.hpp"
#include "store/large_pages.hpp"
#include "store/prefetch.hpp"

namespace parley::query::exec {

inline constexpr std::size_t kBlockRows = 1024;

struct Block {
  std::size_t rows = 0;
  std::size_t capacity = kBlockRows;  // fewer for a query of very many variables
  std::vector<std::vector<TermId>> columns;  // columns[slot][row]
  // How many rows each row stands for; empty: one each. Only a counting TableJoinOp
  // writes them, and only for the GroupOp that reads it (TableJoinOp::CountInstead).
  std::vector<std::uint64_t> weights;

  void Reset(std::size_t width, std::size_t rows_wanted = kBlockRows) {
    rows = 0;
    capacity = rows_wanted;
    columns.resize(width);
    for (auto& c : columns) c.clear();
    weights.clear();
  }
  TermId at(std::size_t slot, std::size_t row) const { return columns[slot][row]; }
  bool full() const { return rows >= capacity; }
  // Appends row `row` of `from` (of the same width).
  void AppendRow(const Block& from, std::size_t row) {
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c].push_back(from.columns[c][row]);
    ++rows;
  }
  void AppendRow(const std::vector<TermId>& row) {
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c].push_back(row[c]);
    ++rows;
  }
  std::vector<TermId> Row(std::size_t row) const {
    std::vector<TermId> out(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) out[c] = columns[c][row];
    return out;
  }
};

// An expression's view of one row of a block.
class RowScope final : public ExprScope {
 public:
  RowScope(ExecContext& ctx, const Block& block, std::size_t row) : ctx_(ctx), block_(block), row_(row) {}
  std::optional<Term> Value(const ast::PatternTerm& var) override;
  bool Peek(const ast::PatternTerm& var, const Term** term) override;
  std::optional<bool> Exists(const ast::Expr& e) override;

 private:
  ExecContext& ctx_;
  const Block& block_;
  std::size_t row_;
};

// Decodes in one batch the terms of `slots` in `block` that expressions will read.
void PrefetchTerms(ExecContext& ctx, const Block& block, const std::vector<int>& slots);

class Operator {
 public:
  explicit Operator(ExecContext& ctx) : ctx_(ctx) {}
  virtual ~Operator() = default;
  // The next block, with at least one row; false when there are no more (or the query
  // stopped: the context's status says so).
  bool Next(Block* out);

  // For explain: what the operator is, its inputs, the planner's estimate of its rows,
  // and what a run measured.
  std::string label;
  double estimate = -1;
  std::vector<Operator*> inputs;
  std::uint64_t rows_out = 0;
  double nanos = 0;
  bool profiling = false;

 protected:
  virtual bool Produce(Block* out) = 0;
  ExecContext& ctx_;
};
using OperatorPtr = std::unique_ptr<Operator>;

// ---- leaves

// Fixed rows: VALUES, or Z (one row binding nothing).
class TableOp final : public Operator {
 public:
  TableOp(ExecContext& ctx, std::vector<std::vector<TermId>> rows);
 private:
  bool Produce(Block* out) override;
  std::vector<std::vector<TermId>> rows_;
  std::size_t next_ = 0;
};

// ---- one triple pattern joined to each input row

struct PatternSlots {
  int s = -1, p = -1, o = -1;       // variable slots, or -1 for a constant
  TermId cs = kUnbound, cp = kUnbound, co = kUnbound;  // constants' ids
  // The graph: the GRAPH variable's slot (a named graph: the row's, or any when the row
  // leaves it unbound, binding it), or with g = -1 the fixed `graph`.
  int g = -1;
  GraphRef graph;
};

// The table of kHash and kMerge: a pattern's matches, read once and grouped by the end
// the rows bind. A run holds only what a row does not know: each match's other end, and
// its third term when those differ (a third of the memory of whole matches). The third
// term is the predicate; or, for a fixed predicate in GRAPH ?g, the graph: the table is
// then of the pattern's matches in every named graph.
// kHash finds a key's run by one probe of an open-addressing index; kMerge, whose rows
// come in key order, by searching forward from the last row's key in the sorted keys.
// When the keys lie close together (the ids of one kind of entity, made as the data was
// loaded), both find it in an array with a place for every id between the least key and
// the greatest, filled by a counting sort (IndexDense).
class PatternTable {
 public:
  struct Match {
    TermId key, third, other;
  };
  // Whether the table of `pattern` keeps graphs as its third terms (see above).
  static bool KeepsGraphs(const PatternSlots& pattern) { return pattern.g >= 0 && pattern.p < 0; }
  using MatchList = std::vector<Match, LargePageAllocator<Match>>;
  // Sorts matches by key, keeping the order of equal keys: radix passes over the key's
  // digits, linear in the matches (a comparison sort's time grew faster than the table);
  // nothing when they are in order.
  static void SortByKey(MatchList* matches);
  // Fills the table once, from `ctx`'s scan of `pattern` keyed on its subject or object,
  // with the hash index when `hashed` (else only the sorted keys); the threads that share
  // it wait meanwhile. False (and `ctx` failed) when the query stopped while it was read.
  bool Fill(ExecContext& ctx, const PatternSlots& pattern, bool key_is_subject, bool hashed);
  // The run of matches of `key`: [begin, end) in others() and third(). Through the
  // hash index.
  std::pair<std::size_t, std::size_t> Find(TermId key) const;
  // The same through the sorted keys, starting at key number `*at` (then left at `key`'s
  // place): steps of doubling length forward, then a binary search, so that keys asked
  // in order cost about the gap between them. A key before `*at` is searched from the
  // start: order makes it quick, not right.
  std::pair<std::size_t, std::size_t> FindFrom(TermId key, std::size_t* at) const;
  // Whether runs are found through the dense index (IndexDense).
  bool Dense() const { return !dense_.empty(); }
  // The other end of match i, and its third term.
  const std::vector<TermId, LargePageAllocator<TermId>>& others() const { return others_; }
  TermId third(std::size_t i) const { return thirds_.empty() ? third_ : thirds_[i]; }
  // Hints for a key looked up a few rows later: a table larger than the CPU's caches
  // costs a miss for the key's entry and one for its run, which a join overlaps by
  // asking for the entry well ahead and for the run (found through the entry, by then
  // at hand) a little ahead.
  void PrefetchEntry(TermId key) const {
    if (!index_.empty()) PrefetchForRead(index_.data() + (Hash(key) & (index_.size() - 1)));
    if (InDense(key)) PrefetchForRead(dense_.data() + (key - least_));
  }
  void PrefetchRun(TermId key) const {
    const auto [begin, end] = Find(key);
    if (begin < end) PrefetchForRead(others_.data() + begin);
  }

 private:
  // A key and its run [begin, end) in others_; key kUnbound: an empty place.
  struct Entry {
    TermId key = kUnbound;
    std::uint32_t begin = 0, end = 0;
  };
  static std::size_t Hash(TermId key) {  // every bit of the id reaches the low bits
    std::uint64_t h = key;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return static_cast<std::size_t>(h ^ (h >> 33));
  }
  // The entry of `key`, made when new (the index has room: it is sized before).
  Entry& Slot(TermId key);
  // Fill's work, done by the first thread to ask.
  void Read(ExecContext& ctx, const PatternSlots& pattern, bool key_is_subject, bool hashed);
  // Keeps `read`, the pattern's matches, grouped by key, with each key's run in dense_
  // (IndexDense), or in the hash index (`hashed`) or in keys_ and starts_.
  void Index(MatchList read, bool hashed);
  // The counting sort into dense_, when the keys' spread is at most kDenseSpread times the
  // matches (then dense_ takes less memory than the sort's two copies of the matches and
  // the hash index did), or kSortedDenseSpread times when they are in key order already
  // (the sort then costs nothing, and the hash index of their runs cost less than
  // filling dense_ beyond that); false, and nothing done, otherwise.
  // `each_match(take)` calls take(match) for each match, in scan order (it is called
  // three times).
  template <class EachMatch>
  bool IndexDense(EachMatch each_match);
  // The matches of (s, p, o) in `graph`, where the store keeps them in memory as one
  // range (see ExecContext::AsOneRange); null otherwise.
  static QuadRange KeptMatches(ExecContext& ctx, TermId s, TermId p, TermId o, GraphRef graph, bool* skip_default);
  static constexpr std::uint64_t kDenseSpread = 16, kSortedDenseSpread = 4, kDenseLeast = 4096;
  bool InDense(TermId key) const { return !dense_.empty() && key >= least_ && key - least_ < dense_.size() - 2; }
  static constexpr int kEmpty = 0, kFilling = 1, kReady = 2;
  std::atomic<int> state_{kEmpty};
  Status status_;
  std::exception_ptr error_;  // what the fill threw, thrown again to each thread that asks
  std::vector<TermId, LargePageAllocator<TermId>> others_;
  TermId third_ = kUnbound;  // every match's, when thirds_ is empty
  std::vector<TermId, LargePageAllocator<TermId>> thirds_;
  std::vector<Entry, LargePageAllocator<Entry>> index_;  // open addressing, at most half full
  // Without the index: the distinct keys in order, and where each one's run starts in
  // others_ (one more: the end).
  std::vector<TermId, LargePageAllocator<TermId>> keys_;
  std::vector<std::uint32_t> starts_;
  // Key k's run is [dense_[k - least_], dense_[k - least_ + 1]); empty for an id between
  // the keys that is not one.
  std::vector<std::uint32_t, LargePageAllocator<std::uint32_t>> dense_;
  TermId least_ = 0;
};

// A part of a scan for one thread: its matches after the first `skip`, at most `take`.
struct Chunk {
  std::uint64_t skip = 0;
  std::optional<std::uint64_t> take;
};

// How a pattern meets the rows before it. kProbe: one index scan per input row with its
// values bound (index nested loops). kHash: the pattern's matches are read once into a
// table keyed on the variable the rows bind, and each row looks its key up (a hash join
// whose build side is the pattern). kMerge: the same table sorted by key, met by rows
// that come in key order (from an index scan sorted on that variable), so that each row
// finds its run a little further on (a merge join: both sides read in order).
enum class PatternMethod : std::uint8_t { kProbe, kHash, kMerge };


// An operator that works through its input a row at a time: each row is started, then
// continued until it has given all its rows (possibly over several output blocks).
class PerRowOp : public Operator {
 public:
  PerRowOp(ExecContext& ctx, OperatorPtr input);

 protected:
  bool Produce(Block* out) final;
  // Begins row `row_` of `in_`; sets `active_` while it has rows to give.
  virtual void Start() = 0;
  // Adds the current row's rows to `out` (at least one, or clears `active_`).
  virtual void Continue(Block* out) = 0;
  OperatorPtr input_;
  Block in_;
  std::size_t row_ = 0;       // the row being worked on
  std::size_t next_row_ = 0;  // the row after it in in_ (Continue may move on to it)
  bool active_ = false;

 private:
  bool done_ = false;
};

// One pattern joined to each input row by an index scan with the row's values bound
// (index nested loops; PatternMethod::kProbe), or, from the unit row, the scan itself.
class PatternJoinOp final : public PerRowOp {
 public:
  // With `optional`, a row that the pattern matches nowhere goes on alone (LeftJoin with
  // a one-pattern right side).
  PatternJoinOp(ExecContext& ctx, OperatorPtr input, PatternSlots pattern, bool optional = false);
  // Reads only a part of the matches (a thread's part of a split scan).
  void Restrict(Chunk chunk) { chunk_ = chunk; }
 private:
  // Opens the matches of the current input row.
  void Start() override;
  // Adds the current row's matches to `out` until it is full.
  void Continue(Block* out) override;
  void Append(const Quad* quads, std::size_t n, Block* out);
  // Opens the matches of input row `row` in ahead_ and asks for their memory.
  void OpenAhead(std::size_t row);
  // What row `row` asks of the store: its (s, p, o) and graph.
  struct Probe {
    TermId s, p, o;
    GraphRef graph;
  };
  Probe ProbeOf(std::size_t row) const;
  // Looks up the kept ranges of all of a new input block's rows at once (see
  // QuadSource::KeptRanges): a probe each through ahead_ cost about 160 ns, most of it
  // the lookup's cache misses one after another and the matches' set-up.
  void LookUpBlock();
  // Begins the current row from its kept range.
  void StartKept();
  // Adds the current row's matches from its kept range to `out`, and those of the kept
  // rows after it, until it is full: a column at a time, as TableJoinOp writes.
  void ContinueKept(Block* out);
  PatternSlots t_;
  bool optional_;
  bool matched_ = false;  // the current row has matched
  std::optional<Chunk> chunk_;
  std::uint64_t pulled_ = 0;  // matches read, counting those skipped
  // The matches of the rows ahead, each opened kProbeAhead rows before it is read, so
  // that the store's cache lines for several rows are on their way at once.
  static constexpr std::size_t kProbeAhead = 8;
  std::array<std::unique_ptr<Matches>, 2 * kProbeAhead> ahead_;
  std::size_t opened_ = 0;       // the rows of in_ before this one are open in ahead_
  Matches* matches_ = nullptr;   // the current row's, in ahead_
  std::vector<Quad> buffer_;  // the matches being appended
  bool repeated_ = false;     // a variable in two positions
  // The block's kept ranges (LookUpBlock): for each row, where its quads lie, and
  // whether its default graph's quads are left out. A row whose range is not kept
  // (or is more than one range) is read through ahead_.
  struct KeptRow {
    KeptRangeAt at;
    bool skip_default = false;
  };
  std::vector<KeptRow> kept_;
  std::vector<RangeProbe> probes_;
  std::vector<std::uint32_t> probe_rows_;
  std::vector<Quad> copied_;
  std::vector<QuadRange> shared_;
  std::vector<KeptRangeAt> found_;
  // What ContinueKept writes: `n` matches of input row `row` at `quads`, or the row
  // alone (quads null, n 1: an OPTIONAL that nothing matched).
  struct Run {
    std::size_t row;
    const Quad* quads;
    std::size_t n;
  };
  std::vector<Run> runs_;
  void WriteRuns(std::size_t rows, Block* out) const;
  // The current row's kept range, when it has one.
  bool in_range_ = false;
  const Quad* range_ = nullptr;
  std::size_t range_size_ = 0, range_at_ = 0;
  bool skip_default_ = false;
};

// One pattern joined to the input rows through a table of all its matches keyed on the
// end the rows bind (PatternMethod::kHash or kMerge), a block at a time: each row's run
// is found first (hash lookups asked for a few rows ahead, or merge steps), then the
// output is written a column at a time.
class TableJoinOp final : public Operator {
 public:
  // `table` may be shared by the threads of a split plan; the first to need it fills it.
  // With `optional`, a row without matches goes on alone.
  TableJoinOp(ExecContext& ctx, OperatorPtr input, PatternSlots pattern, PatternMethod method, int key_slot,
              bool optional, std::shared_ptr<PatternTable> table);
  // For a GROUP BY of counts right above that reads none of the variables this pattern
  // binds (`read`: the slots it reads): each input row is given once, weighted by its
  // number of matches (Block::weights), instead of once a match. False, and nothing
  // changes, when it reads one.
  bool CountInstead(const std::vector<int>& read);

 private:
  bool Produce(Block* out) override;
  // Reads the next input block and finds each row's run; false at the end.
  bool NextInput();
  // Whether row `row`'s matches must each be checked (Agrees): it binds the other end or
  // the third term's variable (an OPTIONAL's, say), or that variable is the other end's
  // too. The table was read without them.
  bool Checked(std::size_t row) const;
  bool Agrees(std::size_t row, std::size_t i) const;
  // A piece of output: row `row` of in_ with matches [begin, end); begin == end: the row
  // alone (OPTIONAL, nothing matched).
  struct Piece {
    std::size_t row, begin, end;
  };
  // Cuts the next pieces, up to `room` rows, from the current row on.
  void Cut(std::size_t room);
  void Write(Block* out);
  OperatorPtr input_;
  PatternSlots t_;
  PatternMethod method_;
  int key_slot_;     // t_.s or t_.o
  int other_slot_;   // the other end's slot, or -1 for a constant
  int third_slot_;   // the predicate's slot, or the graph's (PatternTable::KeepsGraphs), or -1
  bool optional_;
  std::shared_ptr<PatternTable> table_;
  bool filled_ = false, done_ = false;
  bool repeated_ = false;  // the third term's variable is the other end's
  bool counting_ = false;  // CountInstead
  bool block_binds_ = false;  // some row of in_ binds the other end or the third term
  Block in_;
  std::vector<std::size_t> begins_, ends_;  // each input row's run
  std::size_t row_ = 0, at_ = 0;              // the next match to give: row_'s, at_
  bool matched_ = false;                      // row_ has given a match
  std::size_t merge_at_ = 0;                  // kMerge: the place of the last row's key
  std::vector<Piece> pieces_;
};

// A pattern whose predicate is a property path, joined to each input row.
class PathOp final : public PerRowOp {
 public:
  PathOp(ExecContext& ctx, OperatorPtr input, const ast::TriplePattern& pattern, PatternSlots slots);
 private:
  // Finds all the pairs of the current row.
  void Start() override;
  void Continue(Block* out) override;
  const ast::Path& path_;
  PatternSlots t_;
  struct Pair {
    TermId x, y, graph;
  };
  std::vector<Pair> pairs_;  // the current row's
  std::size_t next_pair_ = 0;
};

// ---- row-wise

class FilterOp final : public Operator {
 public:
  // `not_literals`: slots whose terms are IRIs or blank nodes in every row that can
  // outlive the filter's BGP (the subjects and predicates of its triple patterns, and
  // the GRAPH variable): a comparison with one of them is a comparison of ids.
  FilterOp(ExecContext& ctx, OperatorPtr input, std::vector<const ast::Expr*> exprs, std::vector<int> read_slots,
           const std::set<int>& not_literals = {});
 private:
  // `?a = ?b` or `?a != ?b` (or with an IRI for one side) where one side is an IRI or a
  // blank node, and sameTerm(?a, ?b): true exactly when the ids are equal (or differ),
  // with no term decoded. Unbound is an error, so false.
  struct IdComparison {
    int a = -1, b = -1;      // slots; b = -1: against `constant`
    TermId constant = kUnbound;
    bool equal = true;       // = or sameTerm, else !=
  };
  std::optional<IdComparison> AsIdComparison(const ast::Expr& e, const std::set<int>& not_literals);
  // REGEX(?v, "pattern"[, "flags"]), the usual text search, is tested on the decoded
  // terms where they lie (TermTable::Decode, a column at a time): no copies of them or
  // of the constants, and no entries in the query's table for terms read once.
  struct VariableRegex {
    int slot;
    std::string pattern, flags;
  };
  static std::optional<VariableRegex> AsVariableRegex(const ast::Expr& e);
  // `?v < constant` (or <=, >, >=, =, !=, either way round) where the constant is an
  // integer, date or dateTime in its usual form: a row whose term is one of the same kind
  // compares as numbers (SortKey), and any other row is evaluated.
  struct KeyComparison {
    int slot;
    ast::Expr::Op op;  // with the variable on the left
    SortKey constant;
  };
  static std::optional<KeyComparison> AsKeyComparison(const ast::Expr& e);
  // Clears keep_ for the rows of in_ where condition `condition` is not true.
  void Test(std::size_t condition);
  bool Produce(Block* out) override;
  OperatorPtr input_;
  std::vector<const ast::Expr*> exprs_;
  std::vector<std::optional<VariableRegex>> regexes_;  // one for each of exprs_
  std::vector<std::optional<IdComparison>> id_comparisons_;  // one for each of exprs_
  std::vector<std::optional<KeyComparison>> key_comparisons_;  // one for each of exprs_
  bool evaluates_ = false;  // some condition is evaluated on terms from the query's term table
  std::vector<int> read_slots_;
  Block in_;
  std::vector<char> keep_;       // for each row of in_
  std::vector<TermId> column_;   // a regex's column, for Decode
};

class ExtendOp final : public Operator {
 public:
  ExtendOp(ExecContext& ctx, OperatorPtr input, int slot, const ast::Expr* expr, std::vector<int> read_slots);
 private:
  bool Produce(Block* out) override;
  OperatorPtr input_;
  int slot_;
  const ast::Expr* expr_;
  std::vector<int> read_slots_;
};

// GRAPH ?g over a pattern that uses ?g itself: the pattern's rows bound the graph they
// matched in to `from`; ?g (`to`) takes that value where it is unbound, and a row whose
// ?g is another term is dropped.
class UnifyOp final : public Operator {
 public:
  UnifyOp(ExecContext& ctx, OperatorPtr input, int to, int from);
 private:
  bool Produce(Block* out) override;
  OperatorPtr input_;
  int to_, from_;
  Block in_;
};

// ---- joins of whole inputs

// kInner: Join. kLeft: LeftJoin, a left row that no right row joins (with `exprs`
// true) is kept alone. kMinus: Minus, a left row is kept only when no right row is
// compatible with it and shares a bound variable with it.
enum class JoinKind : std::uint8_t { kInner, kLeft, kMinus };

// Rows of the left matched with the compatible rows of the right, which is read whole
// into a hash table keyed on `key_slots` (variables both sides always bind); other
// shared slots are checked row by row.
class HashJoinOp final : public Operator {
 public:
  HashJoinOp(ExecContext& ctx, OperatorPtr left, OperatorPtr right, std::vector<int> key_slots,
             std::vector<int> shared_slots, JoinKind kind, std::vector<const ast::Expr*> exprs,
             std::vector<int> read_slots);
 private:
  bool Produce(Block* out) override;
  bool Build();
  OperatorPtr left_, right_;
  std::vector<int> key_slots_, shared_slots_;
  JoinKind kind_;
  std::vector<const ast::Expr*> exprs_;
  std::vector<int> read_slots_;
  bool built_ = false;
  Block right_rows_;
  std::unordered_multimap<std::uint64_t, std::size_t> index_;
  Block left_block_;
  std::size_t left_row_ = 0;
  bool left_done_ = false;
};

class UnionOp final : public Operator {
 public:
  UnionOp(ExecContext& ctx, OperatorPtr left, OperatorPtr right);
 private:
  bool Produce(Block* out) override;
  OperatorPtr left_, right_;
  bool left_done_ = false;
};

// ---- parallel parts

// One thread's copy of a split part of a plan: its own context (terms, budget) and
// operators, its leaf scan restricted to one chunk of the matches.
struct Worker {
  std::unique_ptr<ExecContext> ctx;
  OperatorPtr root;
};

// The rows of the workers' plans, each run on a thread of its own: all of the first
// worker's rows, then all of the second's, and so on. As the workers' chunks follow one
// another in the scan's order, the rows come in the order one thread would give them.
// A worker runs ahead of the consumer by a few blocks at most.
class ExchangeOp final : public Operator {
 public:
  ExchangeOp(ExecContext& ctx, std::vector<Worker> workers, std::shared_ptr<std::atomic<bool>> stop);
  ~ExchangeOp() override;
 private:
  bool Produce(Block* out) override;
  struct Channel;
  void Work(std::size_t w);
  std::vector<Worker> workers_;
  std::shared_ptr<std::atomic<bool>> stop_;  // set when no more rows are wanted
  std::vector<std::unique_ptr<Channel>> channels_;
  std::vector<std::shared_ptr<ThreadPool::Job>> jobs_;  // one a worker, on the shared pool
  std::size_t current_ = 0;
};

// ---- grouping and the solution modifiers

class GroupOp final : public Operator {
 public:
  GroupOp(ExecContext& ctx, OperatorPtr input, std::vector<int> key_slots,
          std::vector<std::pair<int, const ast::Expr*>> aggregates, std::vector<int> read_slots);
  // Grouping whose input is split over threads: each worker's rows are grouped on its
  // thread, and the groups merged in the workers' order (so in the order one thread
  // would have found them). Only for counts, which add up.
  GroupOp(ExecContext& ctx, std::vector<Worker> workers, std::vector<int> key_slots,
          std::vector<std::pair<int, const ast::Expr*>> aggregates, std::shared_ptr<std::atomic<bool>> stop);
  ~GroupOp() override;
  // Whether the aggregates are all counts of ids or rows, which a split input can merge.
  static bool CountsOnly(const std::vector<const ast::Expr*>& aggregates);
  // The rows come in nondecreasing order of the one group key (the planner knows from the
  // scan that gives them), so that a group's rows are together (split: in each part,
  // parts in order): COUNT(DISTINCT) then needs only the ids of the group at hand.
  void KeysComeInOrder() { keys_in_order_ = key_slots_.size() == 1; }
  struct State;
 private:
  bool Produce(Block* out) override;
  bool Consume();
  bool ConsumeSplit();
  // Groups all rows of `input` into `state`.
  void ConsumeInto(State& state, Operator& input, ExecContext& ctx);
  // Adds a later part's groups to state_; `last` when no part comes after it.
  void Merge(State& from, bool last);
  // The group of a row whose keys are `key`, made when it is new.
  std::size_t GroupOf(State& state, const std::vector<TermId>& key);
  // The group of `key`, adding it when new (the hash lookup behind GroupOf).
  std::size_t FindOrAddGroup(State& state, const std::vector<TermId>& key);
  // Whether `key` keeps the order KeysComeInOrder promised (then it is the last key).
  static bool InOrder(State& state, TermId key);
  // Aggregate `a`'s run of one group's ids ends; the next is of the group at `next_cell`
  // (State::kNoRun: the rows ended).
  static void EndRun(State& state, std::size_t a, std::size_t next_cell);
  TermId CountId(std::uint64_t count);
  OperatorPtr input_;
  std::vector<Worker> workers_;
  std::shared_ptr<std::atomic<bool>> stop_;  // the workers' (they run to their end)
  std::vector<int> key_slots_;
  std::vector<std::pair<int, const ast::Expr*>> aggregates_;  // (result slot, aggregate call)
  std::vector<int> read_slots_;
  std::unique_ptr<State> state_;
  std::unordered_map<std::uint64_t, TermId> count_ids_;  // interned counts
  std::size_t next_ = 0;
  bool consumed_ = false;
  bool keys_in_order_ = false;
};

// ORDER BY; with `keep`, only the first `keep` rows in order are kept (top-k with a
// bounded heap).
class OrderOp final : public Operator {
 public:
  OrderOp(ExecContext& ctx, OperatorPtr input, std::vector<ast::OrderCondition> order, std::vector<int> read_slots,
          std::optional<std::size_t> keep);
  ~OrderOp() override;
  struct Entry;  // a row with its sort keys
  struct Run;    // a sorted run in a temporary file
 private:
  bool Produce(Block* out) override;
  bool Sort();
  // The sort keys of `row`, the `from`th to before the `to`th, into `entry`.
  void KeysOf(const Block& block, std::size_t row, Entry* entry, std::size_t from = 0, std::size_t to = SIZE_MAX);
  // Top-k with the heap full: whether the row's first key alone puts it after the last
  // kept row (with one key, a tie does). When it does not, that key is in `entry`, and
  // no other key was decoded.
  bool FirstKeyLoses(const Block& block, std::size_t row, const Entry& last, Entry* entry);
  bool SortInSteps(std::vector<Entry>* entries);
  bool Spill(std::vector<Entry>* entries);
  bool ReadHead(std::size_t run);
  OperatorPtr input_;
  std::vector<ast::OrderCondition> order_;
  std::vector<int> read_slots_;
  std::vector<int> first_key_slots_;  // what the first key reads: decoded a block at a time
  int first_key_variable_ = -1;       // the first key's slot, when the key is a variable
  std::optional<std::size_t> keep_;
  bool sorted_ = false;
  Block rows_;
  std::size_t next_ = 0;
  std::vector<std::unique_ptr<Run>> runs_;
  std::vector<Entry> heads_;  // while merging runs: a min-heap of each run's next row
};

class DistinctOp final : public Operator {
 public:
  DistinctOp(ExecContext& ctx, OperatorPtr input, std::vector<int> slots);
 private:
  bool Produce(Block* out) override;
  OperatorPtr input_;
  std::vector<int> slots_;
  struct KeyHash {
    std::size_t operator()(const std::vector<TermId>& key) const;
  };
  std::unordered_map<std::vector<TermId>, bool, KeyHash> seen_;
};

class SliceOp final : public Operator {
 public:
  SliceOp(ExecContext& ctx, OperatorPtr input, std::uint64_t offset, std::optional<std::uint64_t> limit);
 private:
  bool Produce(Block* out) override;
  OperatorPtr input_;
  std::uint64_t skip_;
  std::optional<std::uint64_t> left_;
};

}  // namespace parley::query::exec
