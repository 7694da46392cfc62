// query/exec/op_group.cpp
// GROUP BY with aggregates: groups found by their keys' term ids in a hash table; no
// group keeps its rows. COUNT of a variable or of rows is a counter per group, and
// COUNT(DISTINCT ?v) one table of (group, id) pairs for all groups, all on ids, without
// decoding a term; the other aggregates keep an accumulator per group (accumulator.hpp).
// A block with weights (a counting TableJoinOp's) adds each row's weight to the counts.
#include <algorithm>
#include <optional>
#include <type_traits>

#include "query/exec/accumulator.hpp"
#include "query/exec/operator.hpp"
#include "query/exec/thread_pool.hpp"

namespace parley::query::exec {

namespace {

struct KeyHash {
  std::size_t operator()(const std::vector<TermId>& key) const {
    std::size_t h = key.size();
    for (TermId id : key) h = (h ^ id) * 0x9E3779B97F4A7C15ULL;
    return h;
  }
};

// A map from (cell, term id) pairs to numbers (kValues), or a set of them, open
// addressing in one array at most half full: where a node-based map would allocate a
// node a row and miss the cache once more a lookup. Id kUnbound marks an empty slot, so
// it is never a key. A set's slot is 16 bytes, not 24: COUNT(DISTINCT)'s set of half a
// million pairs is then 16 MB, which the 32 MB cache still mostly holds.
template <bool kValues>
class PairMap {
 public:
  // The value of (cell, id); `value`, entered for it, when the pair is new (`*fresh`).
  std::uint64_t FindOrAdd(std::uint64_t cell, TermId id, std::uint64_t value, bool* fresh) {
    if (2 * (size_ + 1) > slots_.size()) Grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = Hash(cell, id) & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      *fresh = slot.id == kUnbound;
      if (*fresh) {
        slot.cell = cell;
        slot.id = id;
        if constexpr (kValues) slot.value = value;
        ++size_;
        return value;
      }
      if (slot.id == id && slot.cell == cell) {
        if constexpr (kValues) return slot.value;
        return value;
      }
    }
  }
  // Asks for the cache line of the pair's slot (see store/prefetch.hpp).
  void Prefetch(std::uint64_t cell, TermId id) const {
    if (!slots_.empty()) PrefetchForRead(slots_.data() + (Hash(cell, id) & (slots_.size() - 1)));
  }
  // True when the pair was not in the map yet (used as a set).
  bool Insert(std::uint64_t cell, TermId id) {
    bool fresh = false;
    FindOrAdd(cell, id, 0, &fresh);
    return fresh;
  }
  template <class Visit>
  void ForEach(Visit visit) const {
    for (const Slot& slot : slots_) {
      if (slot.id != kUnbound) visit(slot.cell, slot.id);
    }
  }
  void Clear() {
    slots_ = {};
    size_ = 0;
  }

 private:
  struct NoValue {};
  struct Slot {
    std::uint64_t cell = 0;
    TermId id = kUnbound;
    [[no_unique_address]] std::conditional_t<kValues, std::uint64_t, NoValue> value{};
  };
  static std::size_t Hash(std::uint64_t cell, TermId id) {
    std::uint64_t h = (cell * 0x9E3779B97F4A7C15ULL) ^ (id * 0xC2B2AE3D27D4EB4FULL);
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
    size_ = 0;
    bool fresh = false;
    for (const Slot& slot : old) {
      if (slot.id == kUnbound) continue;
      if constexpr (kValues) {
        FindOrAdd(slot.cell, slot.id, slot.value, &fresh);
      } else {
        FindOrAdd(slot.cell, slot.id, 0, &fresh);
      }
    }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};
using PairSet = PairMap<false>;

// The distinct ids of one group while its rows come together (rows in order of the group
// key): emptied at once by moving to a new generation, so each group's set is as small as
// its own ids and stays in the CPU's nearest cache, where one set of every group's pairs
// grew past all of them.
class RunSet {
 public:
  // True when `id` was not in the set yet.
  bool Insert(TermId id) {
    if (2 * (size_ + 1) > slots_.size()) Grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = Hash(id) & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (slot.generation != generation_) {  // a slot of an earlier group's: empty now
        slot = {id, generation_};
        ++size_;
        return true;
      }
      if (slot.id == id) return false;
    }
  }
  void Clear() {
    size_ = 0;
    if (++generation_ == 0) {  // the count wrapped: no slot may look current
      std::fill(slots_.begin(), slots_.end(), Slot{});
      generation_ = 1;
    }
  }
  template <class Visit>
  void ForEach(Visit visit) const {
    for (const Slot& slot : slots_) {
      if (slot.generation == generation_) visit(slot.id);
    }
  }

 private:
  struct Slot {
    TermId id = kUnbound;
    std::uint32_t generation = 0;
  };
  static std::size_t Hash(TermId id) {
    const std::uint64_t h = id * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
  void Grow() {
    std::vector<TermId> ids;
    ForEach([&](TermId id) { ids.push_back(id); });
    slots_.assign(std::max<std::size_t>(16, slots_.size() * 2), Slot{});
    generation_ = 1;
    size_ = 0;
    for (TermId id : ids) Insert(id);
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  std::uint32_t generation_ = 1;
};

// Groups by one id, in a PairMap (cell 0). The group of rows where the key is unbound
// is kept apart.
class IdGroups {
 public:
  // The group of `id`; `fresh` when it had none, which it then has.
  std::size_t FindOrAdd(TermId id, std::size_t fresh) {
    if (id == kUnbound) {
      if (!unbound_) unbound_ = fresh;
      return *unbound_;
    }
    bool added = false;
    return static_cast<std::size_t>(groups_.FindOrAdd(0, id, fresh, &added));
  }

 private:
  PairMap<true> groups_;
  std::optional<std::size_t> unbound_;
};

enum class Kind : std::uint8_t {
  kCountRows,      // COUNT(*)
  kCountIds,       // COUNT(?v): equal terms have equal ids
  kCountDistinct,  // COUNT(DISTINCT ?v)
  kBestOfVariable, // MIN(?v) or MAX(?v), through an accumulator
  kGeneral,        // anything else, through an accumulator
};

// Whether aggregates of `kind` keep their state in an Accumulator (else in a count).
bool Accumulates(Kind kind) { return kind == Kind::kGeneral || kind == Kind::kBestOfVariable; }

Kind KindOf(const ast::Expr& call) {
  const bool variable = !call.args.empty() && call.args[0].op == ast::Expr::Op::kTerm && call.args[0].term.is_var &&
                        call.args[0].term.slot >= 0;
  if ((call.name == "MIN" || call.name == "MAX") && variable) return Kind::kBestOfVariable;
  if (call.name != "COUNT") return Kind::kGeneral;
  if (call.args.empty()) return call.distinct ? Kind::kGeneral : Kind::kCountRows;
  const ast::Expr& arg = call.args[0];
  if (arg.op != ast::Expr::Op::kTerm || !arg.term.is_var || arg.term.slot < 0) return Kind::kGeneral;
  return call.distinct ? Kind::kCountDistinct : Kind::kCountIds;
}

}  // namespace

struct GroupOp::State {
  explicit State(const std::vector<std::pair<int, const ast::Expr*>>& aggregates) {
    for (const auto& [slot, call] : aggregates) {
      kinds.push_back(KindOf(*call));
      general = general || Accumulates(kinds.back());
    }
    runs.resize(aggregates.size());
    run_cells.assign(aggregates.size(), kNoRun);
  }
  std::vector<Kind> kinds;             // per aggregate
  bool general = false;                // some aggregate needs accumulators
  IdGroups by_id;  // groups by their one key; filled only once keys stop ascending
  // While one-id keys arrive in ascending order, as a scan by object gives them, a key
  // past the last group's is a new group, found without a lookup; by_id is built when
  // a key first comes out of order.
  bool ascending = true;
  std::unordered_map<std::vector<TermId>, std::size_t, KeyHash> by_key;  // by several
  std::vector<TermId> keys;            // group g's keys at [g * key count]
  std::size_t groups = 0;
  // The group of the row before: rows often come in runs of one key (an index scan
  // gives a predicate's quads by object), which then skip the hash lookup.
  std::size_t last_group = 0;
  std::vector<std::uint64_t> counts;   // [g * aggregates + a]
  std::vector<Accumulator> accumulators;  // [g * aggregates + a], when `general`
  PairSet distinct;  // a set of (g * aggregates + a, id)
  // When the rows come in order of the one key (GroupOp::KeysComeInOrder), each
  // COUNT(DISTINCT) counts its group's ids in a RunSet, the group's first cell in
  // run_cells; only the part's first and last groups' pairs are kept in `distinct`, for
  // Merge (parts of one ordered scan share no other group).
  std::vector<RunSet> runs;             // per aggregate
  std::vector<std::size_t> run_cells;   // per aggregate; kNoRun before the first row
  TermId last_key = 0;                  // the rows' order checked as they come
  static constexpr std::size_t kNoRun = SIZE_MAX;
};

GroupOp::GroupOp(ExecContext& ctx, OperatorPtr input, std::vector<int> key_slots,
                 std::vector<std::pair<int, const ast::Expr*>> aggregates, std::vector<int> read_slots)
    : Operator(ctx),
      input_(std::move(input)),
      key_slots_(std::move(key_slots)),
      aggregates_(std::move(aggregates)),
      read_slots_(std::move(read_slots)),
      state_(std::make_unique<State>(aggregates_)) {
  inputs.push_back(input_.get());
}

GroupOp::GroupOp(ExecContext& ctx, std::vector<Worker> workers, std::vector<int> key_slots,
                 std::vector<std::pair<int, const ast::Expr*>> aggregates, std::shared_ptr<std::atomic<bool>> stop)
    : Operator(ctx),
      workers_(std::move(workers)),
      stop_(std::move(stop)),
      key_slots_(std::move(key_slots)),
      aggregates_(std::move(aggregates)),
      state_(std::make_unique<State>(aggregates_)) {
  inputs.push_back(workers_[0].root.get());
}

GroupOp::~GroupOp() = default;

bool GroupOp::CountsOnly(const std::vector<const ast::Expr*>& aggregates) {
  return std::none_of(aggregates.begin(), aggregates.end(), [](const ast::Expr* a) { return Accumulates(KindOf(*a)); });
}

std::size_t GroupOp::GroupOf(State& s, const std::vector<TermId>& key) {
  if (s.groups > 0) {
    const TermId* last = s.keys.data() + s.last_group * key.size();
    std::size_t k = 0;
    while (k < key.size() && key[k] == last[k]) ++k;  // a loop: memcmp costs more for a key or two
    if (k == key.size()) return s.last_group;
  }
  s.last_group = FindOrAddGroup(s, key);
  return s.last_group;
}

std::size_t GroupOp::FindOrAddGroup(State& s, const std::vector<TermId>& key) {
  const std::size_t fresh = s.groups;
  if (key.size() == 1 && s.ascending && fresh > 0 && key[0] <= s.keys[fresh - 1]) {
    s.ascending = false;
    for (std::size_t g = 0; g < fresh; ++g) s.by_id.FindOrAdd(s.keys[g], g);
  }
  std::size_t g = fresh;
  if (key.size() != 1) {
    g = s.by_key.try_emplace(key, fresh).first->second;
  } else if (!s.ascending) {
    g = s.by_id.FindOrAdd(key[0], fresh);
  }
  if (g == fresh) {
    s.keys.insert(s.keys.end(), key.begin(), key.end());
    ++s.groups;
    s.counts.resize(s.groups * aggregates_.size());
    if (s.general) s.accumulators.resize(s.groups * aggregates_.size());
  }
  return g;
}

// A block at a time: first each row's group, then each aggregate over the whole block
// (each aggregate still sees its group's rows in order).
void GroupOp::ConsumeInto(State& s, Operator& input, ExecContext& ctx) {
  Block in;
  std::vector<TermId> key(key_slots_.size());
  std::vector<std::size_t> cells;  // each row's group's first cell
  const std::size_t width = aggregates_.size();
  while (input.Next(&in)) {
    PrefetchTerms(ctx, in, read_slots_);
    cells.resize(in.rows);
    for (std::size_t row = 0; row < in.rows; ++row) {
      for (std::size_t k = 0; k < key_slots_.size(); ++k) key[k] = in.at(static_cast<std::size_t>(key_slots_[k]), row);
      if (keys_in_order_ && !InOrder(s, key[0])) {
        ctx.Fail(Status::Corruption("internal error: rows the plan gives in order of their group key came out of order"));
        return;
      }
      cells[row] = GroupOf(s, key) * width;
    }
    for (std::size_t a = 0; a < width; ++a) {
      const ast::Expr& call = *aggregates_[a].second;
      switch (s.kinds[a]) {
        case Kind::kCountRows:
          if (!in.weights.empty()) {
            for (std::size_t row = 0; row < in.rows; ++row) s.counts[cells[row] + a] += in.weights[row];
            break;
          }
          for (std::size_t row = 0; row < in.rows; ++row) ++s.counts[cells[row] + a];
          break;
        case Kind::kCountIds: {
          const auto& ids = in.columns[static_cast<std::size_t>(call.args[0].term.slot)];
          if (!in.weights.empty()) {
            for (std::size_t row = 0; row < in.rows; ++row) s.counts[cells[row] + a] += ids[row] != kUnbound ? in.weights[row] : 0;
            break;
          }
          for (std::size_t row = 0; row < in.rows; ++row) s.counts[cells[row] + a] += ids[row] != kUnbound;
          break;
        }
        case Kind::kCountDistinct: {
          const auto& ids = in.columns[static_cast<std::size_t>(call.args[0].term.slot)];
          if (keys_in_order_) {
            for (std::size_t row = 0; row < in.rows; ++row) {
              if (cells[row] != s.run_cells[a]) EndRun(s, a, cells[row]);
              if (ids[row] != kUnbound && s.runs[a].Insert(ids[row])) ++s.counts[cells[row] + a];
            }
            break;
          }
          // The set of pairs outgrows the CPU's caches: the pair eight rows on is asked for.
          constexpr std::size_t kAhead = 8;
          for (std::size_t row = 0; row < in.rows; ++row) {
            if (row + kAhead < in.rows) s.distinct.Prefetch(cells[row + kAhead] + a, ids[row + kAhead]);
            if (ids[row] != kUnbound && s.distinct.Insert(cells[row] + a, ids[row])) ++s.counts[cells[row] + a];
          }
          break;
        }
        case Kind::kBestOfVariable: {  // the term compared where the table keeps it
          const auto& ids = in.columns[static_cast<std::size_t>(call.args[0].term.slot)];
          const bool min = call.name == "MIN";
          for (std::size_t row = 0; row < in.rows; ++row) {
            // The row before's term, in the same group, has been weighed: a scan by
            // object gives each term's rows together.
            if (ids[row] == kUnbound || (row > 0 && ids[row] == ids[row - 1] && cells[row] == cells[row - 1])) continue;
            AccumulateBest(min, ctx.table().Get(ids[row]), &s.accumulators[cells[row] + a]);
          }
          break;
        }
        case Kind::kGeneral:
          for (std::size_t row = 0; row < in.rows; ++row) {
            Accumulator& acc = s.accumulators[cells[row] + a];
            if (call.args.empty()) {  // COUNT(DISTINCT *)
              if (acc.seen_rows.insert(in.Row(row)).second) ++acc.count;
              continue;
            }
            RowScope scope(ctx, in, row);
            Accumulate(call, Evaluate(call.args[0], scope, ctx.functions()), &acc);
          }
          break;
      }
    }
  }
  for (std::size_t a = 0; a < width; ++a) EndRun(s, a, State::kNoRun);
}

bool GroupOp::InOrder(State& s, TermId key) {
  if (key == kUnbound || key < s.last_key) return false;
  s.last_key = key;
  return true;
}

// The part's first group may also be the part before's last, and its last the next
// part's first: their pairs go to `distinct` for Merge. A group between them has all its
// rows here, and its count is whole.
void GroupOp::EndRun(State& s, std::size_t a, std::size_t next_cell) {
  const std::size_t cell = s.run_cells[a];
  if (cell == State::kNoRun) {
    s.run_cells[a] = next_cell;
    return;
  }
  if (cell == 0 || next_cell == State::kNoRun) s.runs[a].ForEach([&](TermId id) { s.distinct.Insert(cell + a, id); });
  s.runs[a].Clear();
  s.run_cells[a] = next_cell;
}

// A COUNT(DISTINCT) of a group both parts have counts the ids they share once, through
// the set of pairs. A group new with this part has its count whole already; its pairs
// are entered only for the parts after it, so not with the last part (a scan split by
// key range gives most groups to one part, and entering their pairs again cost more
// than the second thread saved).
void GroupOp::Merge(State& from, bool last) {
  State& into = *state_;
  const std::size_t width = aggregates_.size(), keys = key_slots_.size();
  const std::size_t had = into.groups;  // into's groups before this part's
  std::vector<std::size_t> moved(from.groups);  // from's group -> into's
  std::vector<TermId> key(keys);
  for (std::size_t g = 0; g < from.groups; ++g) {
    std::copy_n(from.keys.begin() + static_cast<std::ptrdiff_t>(g * keys), keys, key.begin());
    moved[g] = GroupOf(into, key);
    const bool fresh = moved[g] >= had;
    for (std::size_t a = 0; a < width; ++a) {
      if (into.kinds[a] != Kind::kCountDistinct || fresh) into.counts[moved[g] * width + a] += from.counts[g * width + a];
    }
  }
  from.distinct.ForEach([&](std::uint64_t cell, TermId id) {
    const std::size_t g = moved[cell / width];
    const bool fresh = g >= had;
    if (last && fresh) return;
    const std::size_t at = g * width + cell % width;
    if (into.distinct.Insert(at, id) && !fresh) ++into.counts[at];
  });
}

bool GroupOp::ConsumeSplit() {
  std::vector<std::unique_ptr<State>> states;
  for (std::size_t w = 0; w < workers_.size(); ++w) states.push_back(std::make_unique<State>(aggregates_));
  std::vector<std::shared_ptr<ThreadPool::Job>> jobs;
  for (std::size_t w = 0; w < workers_.size(); ++w) {
    jobs.push_back(ThreadPool::Shared().Start([&, w] { ConsumeInto(*states[w], *workers_[w].root, *workers_[w].ctx); }));
  }
  ThreadPool::WaitAll(jobs);
  for (std::size_t w = 0; w < workers_.size(); ++w) {
    if (!workers_[w].ctx->ok()) {
      ctx_.Fail(workers_[w].ctx->status());
      return false;
    }
    // The first part's groups are the first groups: its state is taken as it is.
    if (w == 0 && state_->groups == 0) {
      state_ = std::move(states[w]);
    } else {
      Merge(*states[w], w + 1 == workers_.size());
    }
    states[w].reset();
  }
  return ctx_.Check();
}

bool GroupOp::Consume() {
  if (!workers_.empty()) {
    if (!ConsumeSplit()) return false;
  } else {
    ConsumeInto(*state_, *input_, ctx_);
    if (!ctx_.ok()) return false;
  }
  State& s = *state_;  // only now: a split consume replaces the state
  s.distinct.Clear();
  // Aggregates over no rows still make one group (COUNT(*) = 0), unless grouped by keys.
  if (s.groups == 0 && key_slots_.empty()) GroupOf(s, {});
  consumed_ = true;
  return true;
}

TermId GroupOp::CountId(std::uint64_t count) {
  auto [it, fresh] = count_ids_.try_emplace(count, kUnbound);
  if (fresh) it->second = ctx_.table().Intern(Term::Literal(std::to_string(count), "http://www.w3.org/2001/XMLSchema#integer"));
  return it->second;
}

bool GroupOp::Produce(Block* out) {
  if (!consumed_ && !Consume()) return false;
  const State& s = *state_;
  std::vector<TermId> row(ctx_.width(), kUnbound);
  while (next_ < s.groups && !out->full()) {
    std::fill(row.begin(), row.end(), kUnbound);
    const std::size_t g = next_++;
    for (std::size_t k = 0; k < key_slots_.size(); ++k) {
      row[static_cast<std::size_t>(key_slots_[k])] = s.keys[g * key_slots_.size() + k];
    }
    for (std::size_t a = 0; a < aggregates_.size(); ++a) {
      const std::size_t cell = g * aggregates_.size() + a;
      TermId& value = row[static_cast<std::size_t>(aggregates_[a].first)];
      if (!Accumulates(s.kinds[a])) {
        value = CountId(s.counts[cell]);
        continue;
      }
      auto term = FinishAggregate(*aggregates_[a].second, s.accumulators[cell]);
      value = term ? ctx_.table().Intern(*term) : kUnbound;
    }
    out->AppendRow(row);
  }
  return out->rows > 0;
}

}  // namespace parley::query::exec
