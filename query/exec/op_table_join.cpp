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
    state_.store(kReady, std::memory_order_release);
  } else {
    // Another thread fills it. The wait spins (yielding) rather than sleeps: a fill takes
    // milliseconds, and a thread put to sleep here often woke milliseconds late.
    while (state_.load(std::memory_order_acquire) != kReady) std::this_thread::yield();
  }
  if (error_) std::rethrow_exception(error_);
  if (!status_.ok()) {
    ctx.Fail(status_);
    return false;
  }
  return true;
}

void PatternTable::Read(ExecContext& ctx, const PatternSlots& t, bool key_is_subject, bool hashed) {
  MatchList read;
  const TermId s = key_is_subject ? kUnbound : t.cs, o = key_is_subject ? t.co : kUnbound;
  const bool graphs = KeepsGraphs(t);
  const GraphRef graph = graphs ? GraphRef::AnyNamed() : t.graph;
  auto match_of = [&](const Quad& q) {
    const TermId third = graphs ? q.graph : q.predicate;
    return key_is_subject ? Match{q.subject, third, q.object} : Match{q.object, third, q.subject};
  };
  // A range the store keeps in memory is indexed where it lies: copying its matches out
  // first cost as much as indexing them.
  bool skip_default = false;
  if (const QuadRange kept = KeptMatches(ctx, s, t.cp, o, graph, &skip_default)) {
    const bool dense = IndexDense([&](auto&& take) {
      for (const Quad& q : *kept) {
        if (!skip_default || q.graph != kDefaultGraph) take(match_of(q));
      }
    });
    if (dense) return;
  }
  // Room for the matches the planner counted (the store's figure, exact for a range it
  // keeps): growing by doubling copied the table over and over into fresh pages.
  constexpr std::uint64_t kMostReserved = 1 << 21;
  read.reserve(static_cast<std::size_t>(std::min(ctx.CountMatches(s, t.cp, o, graph, 0), kMostReserved)));
  const bool complete = ctx.Scan(s, t.cp, o, graph, [&](const Quad& q) {
    read.push_back(match_of(q));
    return true;
  });
  if (!complete) {
    status_ = ctx.ok() ? Status::IOError("a join table was not read to its end") : ctx.status();
    return;
  }
  Index(std::move(read), hashed);
}

QuadRange PatternTable::KeptMatches(ExecContext& ctx, TermId s, TermId p, TermId o, GraphRef graph, bool* skip_default) {
  RangeProbe probe;
  if (!ctx.AsOneRange(s, p, o, graph, &probe, skip_default)) return nullptr;
  std::vector<Quad> small;
  QuadRange shared;
  if (!ctx.source().KeptRange(probe.pattern, probe.union_view, &small, &shared)) return nullptr;
  return shared;  // null for a few quads (copied to `small`): they are read as any others
}

void PatternTable::Index(MatchList read, bool hashed) {
  if (IndexDense([&](auto&& take) {
        for (const Match& m : read) take(m);
      })) {
    return;
  }
  // Grouped by key (sorting is cheaper than placing each match through the index), then
  // each key's run entered in an index at most half full, or kept in key order.
  SortByKey(&read);
  std::vector<std::uint32_t> runs;  // where each key's run starts, then the end
  bool one_third = true;
  others_.reserve(read.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    if (i == 0 || read[i].key != read[i - 1].key) runs.push_back(static_cast<std::uint32_t>(i));
    one_third = one_third && read[i].third == read[0].third;
    others_.push_back(read[i].other);
  }
  if (!read.empty()) third_ = read[0].third;
  if (!one_third) {
    thirds_.reserve(read.size());
    for (const Match& m : read) thirds_.push_back(m.third);
  }
  const std::size_t keys = runs.size();
  runs.push_back(static_cast<std::uint32_t>(read.size()));
  if (!hashed) {
    keys_.reserve(keys);
    for (std::size_t r = 0; r < keys; ++r) keys_.push_back(read[runs[r]].key);
    starts_ = std::move(runs);
    return;
  }
  std::size_t capacity = 16;
  while (capacity < 2 * keys) capacity *= 2;
  index_.assign(capacity, Entry{});
  constexpr std::size_t kAhead = 8;  // the index outgrows the caches: entries are asked for ahead
  for (std::size_t r = 0; r < keys; ++r) {
    if (r + kAhead < keys) PrefetchEntry(read[runs[r + kAhead]].key);
    Entry& e = Slot(read[runs[r]].key);
    e.begin = runs[r];
    e.end = runs[r + 1];
  }
}

template <class EachMatch>
bool PatternTable::IndexDense(EachMatch each_match) {
  std::size_t n = 0;
  TermId least = 0, greatest = 0, last = 0, third = kUnbound;
  bool one_third = true, in_order = true;
  each_match([&](const Match& m) {
    if (n++ == 0) least = greatest = last = m.key, third = m.third;
    least = std::min(least, m.key);
    greatest = std::max(greatest, m.key);
    in_order = in_order && m.key >= last;
    last = m.key;
    one_third = one_third && m.third == third;
  });
  if (n == 0 || n >= UINT32_MAX) return false;
  const std::uint64_t spread = greatest - least + 1;
  const std::uint64_t most = in_order ? kSortedDenseSpread : kDenseSpread;
  if (spread > most * std::max<std::uint64_t>(n, kDenseLeast)) return false;
  // Key k's count at k - least + 2; summed, k's run starts at k - least + 1; then each
  // match placed moves that start on, so that it ends as k's end and k + 1's start.
  least_ = least;
  dense_.assign(spread + 2, 0);
  each_match([&](const Match& m) { ++dense_[m.key - least + 2]; });
  for (std::size_t i = 2; i < dense_.size(); ++i) dense_[i] += dense_[i - 1];
  others_.resize(n);
  third_ = third;
  if (!one_third) thirds_.resize(n);
  each_match([&](const Match& m) {
    const std::uint32_t at = dense_[m.key - least + 1]++;
    others_[at] = m.other;
    if (!one_third) thirds_[at] = m.third;
  });
  return true;
}

PatternTable::Entry& PatternTable::Slot(TermId key) {
  const std::size_t mask = index_.size() - 1;
  for (std::size_t at = Hash(key) & mask;; at = (at + 1) & mask) {
    Entry& e = index_[at];
    if (e.key == key || e.key == kUnbound) {
      e.key = key;
      return e;
    }
  }
}

std::pair<std::size_t, std::size_t> PatternTable::Find(TermId key) const {
  if (!dense_.empty()) {
    if (!InDense(key)) return {0, 0};
    const std::size_t at = key - least_;
    return {dense_[at], dense_[at + 1]};
  }
  if (key == kUnbound || index_.empty()) return {0, 0};
  const std::size_t mask = index_.size() - 1;
  for (std::size_t at = Hash(key) & mask;; at = (at + 1) & mask) {
    const Entry& e = index_[at];
    if (e.key == key) return {e.begin, e.end};
    if (e.key == kUnbound) return {0, 0};
  }
}

std::pair<std::size_t, std::size_t> PatternTable::FindFrom(TermId key, std::size_t* at) const {
  if (!dense_.empty()) return Find(key);  // as quick in order as any search forward
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
