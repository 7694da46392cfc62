// query/exec/op_table_join.cpp
// One triple pattern joined to the input rows through a table of all its matches, read
// once and keyed on the end the rows bind: a hash join with the pattern as its build
// side, or a merge join when the rows come sorted by that end. A block at a time: each
// row's run is found first, then the output is written a column at a time.
#include <algorithm>
#include <bit>
#include <exception>
#include <thread>
#include <utility>

#include "query/exec/operator.hpp"

namespace parley::query::exec {

TableJoinOp::TableJoinOp(ExecContext& ctx, OperatorPtr input, PatternSlots pattern, PatternMethod method, int key_slot,
                         bool optional, std::shared_ptr<PatternTable> table)
    : Operator(ctx),
      input_(std::move(input)),
      t_(pattern),
      method_(method),
      key_slot_(key_slot),
      other_slot_(key_slot == pattern.s ? pattern.o : pattern.s),
      third_slot_(PatternTable::KeepsGraphs(pattern) ? pattern.g : pattern.p),
      optional_(optional),
      table_(table ? std::move(table) : std::make_shared<PatternTable>()) {
  inputs.push_back(input_.get());
  repeated_ = third_slot_ >= 0 && third_slot_ == other_slot_;
}

bool TableJoinOp::CountInstead(const std::vector<int>& read) {
  for (int slot : read) {
    if (slot >= 0 && (slot == other_slot_ || slot == third_slot_)) return false;
  }
  counting_ = true;
  return true;
}

bool TableJoinOp::NextInput() {
  if (done_ || !input_->Next(&in_)) {
    done_ = true;
    return false;
  }
  const std::size_t n = in_.rows;
  const std::vector<TermId>& keys = in_.columns[static_cast<std::size_t>(key_slot_)];
  begins_.resize(n);
  ends_.resize(n);
  if (method_ == PatternMethod::kMerge) {
    for (std::size_t r = 0; r < n; ++r) std::tie(begins_[r], ends_[r]) = table_->FindFrom(keys[r], &merge_at_);
  } else {
    // The index outgrows the caches: a key's entry is asked for eight rows ahead, and its
    // run (found through the entry, by then at hand) four ahead.
    constexpr std::size_t kAhead = 8;
    for (std::size_t r = 0; r < n; ++r) {
      if (r + kAhead < n) table_->PrefetchEntry(keys[r + kAhead]);
      if (r + kAhead / 2 < n) table_->PrefetchRun(keys[r + kAhead / 2]);
      std::tie(begins_[r], ends_[r]) = table_->Find(keys[r]);
    }
  }
  // Whether any row binds the other end or the third term: nearly always none does.
  auto any_bound = [&](int slot) {
    if (slot < 0) return false;
    const auto& column = in_.columns[static_cast<std::size_t>(slot)];
    return std::any_of(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(n), [](TermId id) { return id != kUnbound; });
  };
  block_binds_ = any_bound(other_slot_) || any_bound(third_slot_);
  row_ = 0;
  at_ = begins_[0];
  matched_ = false;
  return true;
}

bool TableJoinOp::Checked(std::size_t row) const {
  if (!block_binds_) return repeated_;
  auto binds = [&](int slot) { return slot >= 0 && in_.at(static_cast<std::size_t>(slot), row) != kUnbound; };
  return repeated_ || binds(other_slot_) || binds(third_slot_);
}

bool TableJoinOp::Agrees(std::size_t row, std::size_t i) const {
  const TermId other = table_->others()[i];
  if (other_slot_ >= 0) {
    const TermId cell = in_.at(static_cast<std::size_t>(other_slot_), row);
    if (cell != kUnbound && cell != other) return false;
  }
  if (third_slot_ >= 0) {
    const TermId third = table_->third(i);
    const TermId cell = in_.at(static_cast<std::size_t>(third_slot_), row);
    if (cell != kUnbound && cell != third) return false;
    if (third_slot_ == other_slot_ && third != other) return false;
  }
  return true;
}

void TableJoinOp::Cut(std::size_t room) {
  pieces_.clear();
  while (row_ < in_.rows && room > 0) {
    const std::size_t end = ends_[row_];
    if (!Checked(row_)) {
      // Counting, the whole run is one row.
      const std::size_t take = counting_ ? end - at_ : std::min(end - at_, room);
      if (take > 0) {
        pieces_.push_back({row_, at_, at_ + take});
        at_ += take;
        room -= counting_ ? 1 : take;
        matched_ = true;
      }
    } else {
      // One piece a match that agrees with the row.
      for (; at_ < end && room > 0; ++at_) {
        if (!Agrees(row_, at_)) continue;
        pieces_.push_back({row_, at_, at_ + 1});
        --room;
        matched_ = true;
      }
    }
    if (at_ < end) break;  // the block is full; the row goes on in the next
    if (!matched_ && optional_) {
      if (room == 0) break;
      pieces_.push_back({row_, 0, 0});
      --room;
    }
    if (++row_ < in_.rows) at_ = begins_[row_];
    matched_ = false;
  }
}

void TableJoinOp::Write(Block* out) {
  if (counting_) {  // each piece one row: its input row, weighted by its matches
    for (std::size_t c = 0; c < out->columns.size(); ++c) {
      const std::vector<TermId>& from = in_.columns[c];
      for (const Piece& p : pieces_) out->columns[c].push_back(from[p.row]);
    }
    for (const Piece& p : pieces_) out->weights.push_back(p.begin == p.end ? 1 : p.end - p.begin);
    out->rows += pieces_.size();
    return;
  }
  std::size_t total = 0;
  for (const Piece& p : pieces_) total += p.begin == p.end ? 1 : p.end - p.begin;
  const auto& others = table_->others();
  for (std::size_t c = 0; c < out->columns.size(); ++c) {
    std::vector<TermId>& column = out->columns[c];
    const std::vector<TermId>& from = in_.columns[c];
    const std::size_t base = column.size();
    column.resize(base + total);
    TermId* to = column.data() + base;
    const int slot = static_cast<int>(c);
    for (const Piece& p : pieces_) {
      if (p.begin == p.end) {
        *to++ = from[p.row];  // the row alone
      } else if (slot == other_slot_) {
        to = std::copy(others.begin() + p.begin, others.begin() + p.end, to);
      } else if (slot == third_slot_) {
        for (std::size_t i = p.begin; i < p.end; ++i) *to++ = table_->third(i);
      } else {
        to = std::fill_n(to, p.end - p.begin, from[p.row]);  // the row's own values, the key among them
      }
    }
  }
  out->rows += total;
}

bool TableJoinOp::Produce(Block* out) {
  if (!filled_) {
    if (!table_->Fill(ctx_, t_, key_slot_ == t_.s, method_ == PatternMethod::kHash)) return false;
    filled_ = true;
  }
  while (!out->full() && ctx_.ok()) {
    if (row_ >= in_.rows && !NextInput()) break;
    Cut(out->capacity - out->rows);
    Write(out);
  }
  return out->rows > 0 && ctx_.ok();
}

// Least significant digit first, in as few passes as digits of up to twelve bits allow
// for the largest key (two for a store of up to sixteen million terms).
void PatternTable::SortByKey(MatchList* matches) {
  // A table keyed by the object of a pattern with its predicate bound is read from the
  // index in key order already.
  if (std::is_sorted(matches->begin(), matches->end(), [](const Match& a, const Match& b) { return a.key < b.key; })) {
    return;
  }
  if (matches->size() < 4096) {  // a small table: a comparison sort costs less than the passes
    std::stable_sort(matches->begin(), matches->end(), [](const Match& a, const Match& b) { return a.key < b.key; });
    return;
  }
  TermId largest = 0;
  for (const Match& m : *matches) largest |= m.key;
  const unsigned bits = static_cast<unsigned>(std::bit_width(largest));
  if (bits == 0) return;
  const unsigned passes = (bits + 11) / 12, digit_bits = (bits + passes - 1) / passes;
  const std::size_t buckets = std::size_t{1} << digit_bits, n = matches->size();
  LargePageBuffer<Match> scratch(n);  // pages kept from an earlier sort, when there was one
  Match* from = matches->data();
  Match* to = scratch.data();
  std::vector<std::size_t> start(buckets + 1);
  for (unsigned shift = 0; shift < bits; shift += digit_bits) {
    std::fill(start.begin(), start.end(), 0);
    for (std::size_t i = 0; i < n; ++i) ++start[((from[i].key >> shift) & (buckets - 1)) + 1];
    for (std::size_t b = 1; b <= buckets; ++b) start[b] += start[b - 1];
    for (std::size_t i = 0; i < n; ++i) to[start[(from[i].key >> shift) & (buckets - 1)]++] = from[i];
    std::swap(from, to);
  }
  if (from != matches->data()) std::copy(from, from + n, matches->data());  // an odd number of passes
}

bool PatternTable::Fill(ExecContext& ctx, const PatternSlots& t, bool key_is_subject, bool hashed) {
  int empty = kEmpty;
  if (state_.compare_exchange_strong(empty, kFilling, std::memory_order_acquire)) {
    try {
      Read(ctx, t, key_is_subject, hashed);
    } catch (...) {  // (an allocation that failed) kept for every thread that waits
      error_ = std::current_exception();
    }
    // A hash table's build is open to the other threads now; anything else is done.
    if (state_.load(std::memory_order_relaxed) == kFilling) state_.store(kReady, std::memory_order_release);
  }
  // Help with the build while there is work left, else wait. The wait spins (yielding)
  // rather than sleeps: a fill takes milliseconds, and a thread put to sleep here often
  // woke milliseconds late.
  for (int state; (state = state_.load(std::memory_order_acquire)) != kReady;) {
    if (state != kBuilding || !Help()) std::this_thread::yield();
  }
  if (error_) std::rethrow_exception(error_);
  if (!status_.ok()) {
    ctx.Fail(status_);
    return false;
  }
  return true;
}

void PatternTable::Read(ExecContext& ctx, const PatternSlots& t, bool key_is_subject, bool hashed) {
  const TermId s = key_is_subject ? kUnbound : t.cs, o = key_is_subject ? t.co : kUnbound;
  const bool graphs = KeepsGraphs(t);
  const GraphRef graph = graphs ? GraphRef::AnyNamed() : t.graph;
  auto build = std::make_unique<Build>();
  // A range the store keeps is read where it lies, by the threads together; any other
  // scan is read here first.
  RangeProbe probe;
  std::vector<Quad> small;
  if (!hashed || !ctx.AsOneRange(s, t.cp, o, graph, &probe, &build->skip_default) ||
      !ctx.source().KeptRange(probe.pattern, probe.union_view, &small, &build->held) || !build->held) {
    build->held.reset();
    build->skip_default = false;
    // Room for the matches the planner counted (the store's figure, exact for a range it
    // keeps): growing by doubling copied the table over and over into fresh pages.
    constexpr std::uint64_t kMostReserved = 1 << 21;
    build->scanned.reserve(static_cast<std::size_t>(std::min(ctx.CountMatches(s, t.cp, o, graph, 0), kMostReserved)));
    if (!ctx.Scan(s, t.cp, o, graph, [&](const Quad& q) {
          build->scanned.push_back(q);
          return true;
        })) {
      status_ = ctx.ok() ? Status::IOError("a join table was not read to its end") : ctx.status();
      return;
    }
  }
  if (!hashed) {
    MatchList read;
    read.reserve(build->scanned.size());
    for (const Quad& q : build->scanned) {
      const TermId third = graphs ? q.graph : q.predicate;
      read.push_back(key_is_subject ? Match{q.subject, third, q.object} : Match{q.object, third, q.subject});
    }
    build->scanned = {};
    return IndexSorted(std::move(read));
  }
  const std::vector<Quad>& quads = build->held ? *build->held : build->scanned;
  build->quads = quads.data();
  build->size = quads.size();
  build->key_is_subject = key_is_subject;
  build->graphs = graphs;
  // Pieces enough for each thread to take a few (so that one that comes late still
  // helps), and one for one thread or a small table.
  const unsigned threads = ctx.options().threads;
  constexpr std::size_t kSmallTable = 1 << 14;
  build->pieces = threads <= 1 || build->size < kSmallTable ? 1 : 4 * threads;
  build->split.resize(build->pieces * kParts);
  build->piece_third.resize(build->pieces);
  build->piece_one_third.resize(build->pieces);
  build_ = std::move(build);
  state_.store(kBuilding, std::memory_order_release);
}

template <class Work>
void PatternTable::Guarded(Work&& work) {
  Build& b = *build_;
  if (b.failed.load(std::memory_order_acquire)) return;
  try {
    work();
  } catch (...) {
    std::lock_guard lock(b.error_mutex);
    if (!error_) error_ = std::current_exception();
    b.failed.store(true, std::memory_order_release);
  }
}

bool PatternTable::Help() {
  Build& b = *build_;
  bool helped = false;
  for (std::size_t piece; (piece = b.next_piece.fetch_add(1)) < b.pieces;) {
    helped = true;
    Guarded([&] { SplitPiece(piece); });
    if (b.pieces_done.fetch_add(1, std::memory_order_acq_rel) + 1 == b.pieces) {
      Guarded([&] { LayOut(); });
      b.laid_out.store(true, std::memory_order_release);
    }
  }
  if (!b.laid_out.load(std::memory_order_acquire)) return helped;  // pieces still being split
  for (std::size_t part; (part = b.next_part.fetch_add(1)) < kParts;) {
    helped = true;
    Guarded([&] { IndexPart(part); });
    if (b.parts_done.fetch_add(1, std::memory_order_acq_rel) + 1 == kParts) {
      // The last part is in: what the build read goes (the Build itself stays, as a
      // thread may yet look for work in it).
      b.split = {};
      b.held.reset();
      b.scanned = {};
      state_.store(kReady, std::memory_order_release);
    }
  }
  return helped;
}

void PatternTable::SplitPiece(std::size_t piece) {
  Build& b = *build_;
  const std::size_t begin = b.size * piece / b.pieces, end = b.size * (piece + 1) / b.pieces;
  std::vector<Match>* parts = &b.split[piece * kParts];
  for (std::size_t p = 0; p < kParts; ++p) parts[p].reserve((end - begin) / kParts + (end - begin) / (4 * kParts) + 16);
  TermId first = kUnbound;
  bool one = true;
  for (const Quad* q = b.quads + begin; q != b.quads + end; ++q) {
    if (b.skip_default && q->graph == kDefaultGraph) continue;
    const TermId third = b.graphs ? q->graph : q->predicate;
    if (first == kUnbound) first = third;
    one = one && third == first;
    const Match m = b.key_is_subject ? Match{q->subject, third, q->object} : Match{q->object, third, q->subject};
    parts[Hash(m.key) >> kPartShift].push_back(m);
  }
  b.piece_third[piece] = first;
  b.piece_one_third[piece] = one;
}

void PatternTable::LayOut() {
  Build& b = *build_;
  b.part_begin.assign(kParts + 1, 0);
  for (std::size_t p = 0; p < kParts; ++p) {
    std::size_t matches = 0;
    for (std::size_t piece = 0; piece < b.pieces; ++piece) matches += b.split[piece * kParts + p].size();
    b.part_begin[p + 1] = b.part_begin[p] + matches;
  }
  // One third term for all (a fixed predicate, or one graph) is kept once.
  bool one = true;
  for (std::size_t piece = 0; piece < b.pieces; ++piece) {
    if (b.piece_third[piece] == kUnbound) continue;  // a piece of no matches
    if (third_ == kUnbound) third_ = b.piece_third[piece];
    one = one && b.piece_one_third[piece] && b.piece_third[piece] == third_;
  }
  others_.resize(b.part_begin[kParts]);
  if (!one) thirds_.resize(b.part_begin[kParts]);
}

PatternTable::Entry& PatternTable::SlotIn(std::vector<Entry>& index, TermId key, std::size_t h) {
  const std::size_t mask = index.size() - 1;
  for (std::size_t at = h & mask;; at = (at + 1) & mask) {
    Entry& e = index[at];
    if (e.key == key || e.key == kUnbound) {
      e.key = key;
      return e;
    }
  }
}

void PatternTable::IndexPart(std::size_t part) {
  Build& b = *build_;
  const std::size_t matches = b.part_begin[part + 1] - b.part_begin[part];
  if (matches == 0) return;
  // Each key's matches counted (in `end`), in an index sized for as many keys as
  // matches (up to 32,768: past that it starts there), doubled when half full; where
  // each match's entry is, kept for placing it...
  std::vector<Entry>& index = parts_[part].index;
  index.assign(std::bit_ceil(2 * std::min<std::size_t>(matches, 1 << 15)), Entry{});
  std::vector<std::uint32_t> entry_of;
  entry_of.reserve(matches);
  std::size_t keys = 0;
  for (std::size_t piece = 0; piece < b.pieces; ++piece) {
    for (const Match& m : b.split[piece * kParts + part]) {
      Entry& e = SlotIn(index, m.key, Hash(m.key));
      entry_of.push_back(static_cast<std::uint32_t>(&e - index.data()));
      if (e.end++ > 0 || 2 * ++keys <= index.size()) continue;
      std::vector<Entry> old(2 * index.size());
      old.swap(index);
      for (const Entry& moved : old) {
        if (moved.key != kUnbound) SlotIn(index, moved.key, Hash(moved.key)) = moved;
      }
      entry_of.clear();  // the entries moved: found again below
    }
  }
  // ...then the runs laid out one after another, in the index's order...
  auto at = static_cast<std::uint32_t>(b.part_begin[part]);
  for (Entry& e : index) {
    if (e.key == kUnbound) continue;
    const std::uint32_t count = e.end;
    e.begin = e.end = at;
    at += count;
  }
  // ...and each match placed at the end of its key's run so far.
  const bool known = entry_of.size() == matches;
  std::size_t i = 0;
  for (std::size_t piece = 0; piece < b.pieces; ++piece) {
    for (const Match& m : b.split[piece * kParts + part]) {
      Entry& e = known ? index[entry_of[i++]] : SlotIn(index, m.key, Hash(m.key));
      others_[e.end] = m.other;
      if (!thirds_.empty()) thirds_[e.end] = m.third;
      ++e.end;
    }
  }
}

void PatternTable::IndexSorted(MatchList read) {
  SortByKey(&read);
  others_.reserve(read.size());
  bool one_third = true;
  for (std::size_t i = 0; i < read.size(); ++i) {
    if (i == 0 || read[i].key != read[i - 1].key) {
      keys_.push_back(read[i].key);
      starts_.push_back(static_cast<std::uint32_t>(i));
    }
    one_third = one_third && read[i].third == read[0].third;
    others_.push_back(read[i].other);
  }
  starts_.push_back(static_cast<std::uint32_t>(read.size()));
  if (!read.empty()) third_ = read[0].third;
  if (!one_third) {
    thirds_.reserve(read.size());
    for (const Match& m : read) thirds_.push_back(m.third);
  }
}

std::pair<std::size_t, std::size_t> PatternTable::Find(TermId key) const {
  if (key == kUnbound) return {0, 0};
  const std::size_t h = Hash(key);
  const std::vector<Entry>& index = parts_[h >> kPartShift].index;
  if (index.empty()) return {0, 0};
  const std::size_t mask = index.size() - 1;
  for (std::size_t at = h & mask;; at = (at + 1) & mask) {
    const Entry& e = index[at];
    if (e.key == key) return {e.begin, e.end};
    if (e.key == kUnbound) return {0, 0};
  }
}

std::pair<std::size_t, std::size_t> PatternTable::FindFrom(TermId key, std::size_t* at) const {
  if (key == kUnbound) return {0, 0};
  const std::size_t n = keys_.size();
  std::size_t low = std::min(*at, n);  // the first place whose key may be `key`
  if (low > 0 && keys_[low - 1] >= key) low = 0;  // out of order: search from the start
  // Doubling steps until a key not below `key` lies within reach, then a binary search.
  std::size_t step = 1, high = low;
  while (high < n && keys_[high] < key) {
    low = high + 1;
    high = std::min(n, high + step);
    step *= 2;
  }
  const std::size_t place = static_cast<std::size_t>(std::lower_bound(keys_.begin() + low, keys_.begin() + high, key) - keys_.begin());
  *at = place;
  if (place == n || keys_[place] != key) return {0, 0};
  return {starts_[place], starts_[place + 1]};
}

}  // namespace parley::query::exec
