// query/exec/op_pattern.cpp
// One triple pattern joined to each input row: by an index scan per row with the row's
// values bound (index nested loops), or through a table of the pattern's matches read
// once and searched by the row's key (a hash join with the pattern as its build side).
#include <algorithm>
#include <bit>
#include <functional>
#include <tuple>

#include "query/exec/operator.hpp"

namespace parley::query::exec {

namespace {

// The value a position has for this row: its constant, the row's value of its
// variable, or kUnbound.
TermId Bound(int slot, TermId constant, const Block& in, std::size_t row) {
  return slot < 0 ? constant : in.at(static_cast<std::size_t>(slot), row);
}

// Whether a quad fits a pattern whose variable appears in two positions: both must
// match the same term.
bool Consistent(const PatternSlots& t, const Quad& q) {
  const std::pair<int, TermId> positions[] = {{t.s, q.subject}, {t.p, q.predicate}, {t.o, q.object}, {t.g, q.graph}};
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = i + 1; j < 4; ++j) {
      if (positions[i].first >= 0 && positions[i].first == positions[j].first && positions[i].second != positions[j].second) {
        return false;
      }
    }
  }
  return true;
}

bool HasRepeatedVariable(const PatternSlots& t) {
  const int slots[] = {t.s, t.p, t.o, t.g};
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = i + 1; j < 4; ++j) {
      if (slots[i] >= 0 && slots[i] == slots[j]) return true;
    }
  }
  return false;
}

}  // namespace

PatternJoinOp::PatternJoinOp(ExecContext& ctx, OperatorPtr input, PatternSlots pattern, PatternMethod method,
                             int hash_key_slot, bool optional, std::shared_ptr<PatternTable> table)
    : PerRowOp(ctx, std::move(input)),
      t_(pattern),
      method_(method),
      key_slot_(hash_key_slot),
      optional_(optional),
      table_(std::move(table)) {
  if (method_ == PatternMethod::kHash && !table_) table_ = std::make_shared<PatternTable>();
  repeated_ = HasRepeatedVariable(t_);
}

// Appends `quads` to `out`, each as row `row` of `in` with the pattern's variables bound
// to its terms, a column at a time. The positions the row binds were part of the scan
// (or the table's key), so every quad agrees with the row.
void PatternJoinOp::Append(const std::vector<Quad>& quads, Block* out) {
  const std::size_t n = quads.size();
  if (n == 0) return;
  for (std::size_t c = 0; c < out->columns.size(); ++c) {
    auto& column = out->columns[c];
    const int slot = static_cast<int>(c);
    if (slot == t_.s || slot == t_.p || slot == t_.o || slot == t_.g) {
      for (const Quad& q : quads) {
        column.push_back(slot == t_.s ? q.subject : slot == t_.p ? q.predicate : slot == t_.o ? q.object : q.graph);
      }
    } else {
      column.insert(column.end(), n, in_.columns[c][row_]);
    }
  }
  out->rows += n;
}

void PatternJoinOp::Start() {
  const std::size_t row = row_;
  active_ = true;
  matched_ = false;
  if (method_ == PatternMethod::kHash) {
    const auto key_column = static_cast<std::size_t>(key_slot_);
    constexpr std::size_t kAhead = 8;
    if (row + kAhead < in_.rows) table_->PrefetchEntry(in_.at(key_column, row + kAhead));
    if (row + kAhead / 2 < in_.rows) table_->PrefetchRun(in_.at(key_column, row + kAhead / 2));
    std::tie(range_next_, range_end_) = table_->Find(in_.at(key_column, row));
    return;
  }
  if (row == 0) opened_ = 0;  // a new input block
  while (opened_ < in_.rows && opened_ <= row + kProbeAhead) OpenAhead(opened_++);
  matches_ = ahead_[row % ahead_.size()].get();
  // A thread's chunk of the scan starts past the chunks before it.
  if (chunk_ && pulled_ == 0 && chunk_->skip > 0) {
    matches_->Skip(chunk_->skip);
    pulled_ = chunk_->skip;
  }
}

void PatternJoinOp::OpenAhead(std::size_t row) {
  GraphRef graph = t_.graph;
  if (t_.g >= 0) {
    const TermId g = in_.at(static_cast<std::size_t>(t_.g), row);
    graph = g == kUnbound ? GraphRef::AnyNamed() : GraphRef::Named(g);
  }
  const TermId s = Bound(t_.s, t_.cs, in_, row), p = Bound(t_.p, t_.cp, in_, row), o = Bound(t_.o, t_.co, in_, row);
  auto& matches = ahead_[row % ahead_.size()];
  if (matches) {
    ctx_.Reopen(matches.get(), s, p, o, graph);
  } else {
    matches = ctx_.Open(s, p, o, graph);
  }
  matches->Prefetch();
}

void PatternJoinOp::Continue(Block* out) {
  const std::size_t room = out->rows < out->capacity ? out->capacity - out->rows : 0;
  buffer_.clear();
  if (method_ == PatternMethod::kHash) {
    const bool key_is_subject = key_slot_ == t_.s;
    const TermId key = in_.at(static_cast<std::size_t>(key_slot_), row_);
    const TermId graph = t_.graph.kind == GraphRef::Kind::kNamed ? t_.graph.id : kDefaultGraph;
    for (; range_next_ < range_end_ && buffer_.size() < room; ++range_next_) {
      const TermId other = table_->others()[range_next_], p = table_->predicate(range_next_);
      buffer_.push_back(key_is_subject ? Quad{key, p, other, graph} : Quad{other, p, key, graph});
    }
    active_ = range_next_ < range_end_;
    // The table was read without the row's other values: a row that binds the other end
    // (an OPTIONAL's variable, say) keeps only the matches that agree.
    std::erase_if(buffer_, [&](const Quad& q) {
      auto differs = [&](int slot, TermId value) {
        if (slot < 0) return false;
        const TermId cell = in_.at(static_cast<std::size_t>(slot), row_);
        return cell != kUnbound && cell != value;
      };
      return differs(t_.s, q.subject) || differs(t_.p, q.predicate) || differs(t_.o, q.object);
    });
  } else {
    while (buffer_.size() < room) {
      // A thread's chunk ends after `take` matches (its start was skipped to in Start).
      std::size_t want = room - buffer_.size();
      if (chunk_ && chunk_->take) want = std::min<std::uint64_t>(want, chunk_->skip + *chunk_->take - pulled_);
      const std::size_t got = want == 0 ? 0 : matches_->NextBatch(&buffer_, want);
      if (got == 0) {
        active_ = false;  // the matches stay in ahead_, to be reopened for a row ahead
        break;
      }
      pulled_ += got;
    }
  }
  if (repeated_) std::erase_if(buffer_, [&](const Quad& q) { return !Consistent(t_, q); });
  Append(buffer_, out);
  matched_ = matched_ || !buffer_.empty();
  // OPTIONAL: a row that nothing matched goes on alone.
  if (!active_ && !matched_ && optional_) out->AppendRow(in_, row_);
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
  const std::size_t buckets = std::size_t{1} << digit_bits;
  MatchList other(matches->size());
  for (unsigned shift = 0; shift < bits; shift += digit_bits) {
    std::vector<std::size_t> start(buckets + 1, 0);
    for (const Match& m : *matches) ++start[((m.key >> shift) & (buckets - 1)) + 1];
    for (std::size_t b = 1; b <= buckets; ++b) start[b] += start[b - 1];
    for (const Match& m : *matches) other[start[(m.key >> shift) & (buckets - 1)]++] = m;
    matches->swap(other);
  }
}

bool PatternTable::Fill(ExecContext& ctx, const PatternSlots& t, bool key_is_subject) {
  std::call_once(once_, [&] {
    MatchList read;
    const TermId s = key_is_subject ? kUnbound : t.cs, o = key_is_subject ? t.co : kUnbound;
    // Room for the matches the planner counted (the store's figure, exact for a range it
    // keeps): growing by doubling copied the table over and over into fresh pages.
    constexpr std::uint64_t kMostReserved = 1 << 21;
    read.reserve(static_cast<std::size_t>(std::min(ctx.CountMatches(s, t.cp, o, t.graph, 0), kMostReserved)));
    const bool complete = ctx.Scan(s, t.cp, o, t.graph,
                                   [&](const Quad& q) {
                                     read.push_back(key_is_subject ? Match{q.subject, q.predicate, q.object}
                                                                   : Match{q.object, q.predicate, q.subject});
                                     return true;
                                   });
    if (!complete) {
      status_ = ctx.ok() ? Status::IOError("a join table was not read to its end") : ctx.status();
      return;
    }
    Index(std::move(read));
  });
  if (!status_.ok()) {
    ctx.Fail(status_);
    return false;
  }
  return true;
}

void PatternTable::Index(MatchList read) {
  // Grouped by key (sorting is cheaper than placing each match through the index), then
  // each key's run entered in an index at most half full.
  SortByKey(&read);
  std::vector<std::uint32_t> runs;  // where each key's run starts, then the end
  bool one_predicate = true;
  others_.reserve(read.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    if (i == 0 || read[i].key != read[i - 1].key) runs.push_back(static_cast<std::uint32_t>(i));
    one_predicate = one_predicate && read[i].p == read[0].p;
    others_.push_back(read[i].other);
  }
  if (!read.empty()) predicate_ = read[0].p;
  if (!one_predicate) {
    predicates_.reserve(read.size());
    for (const Match& m : read) predicates_.push_back(m.p);
  }
  const std::size_t keys = runs.size();
  runs.push_back(static_cast<std::uint32_t>(read.size()));
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
  if (key == kUnbound || index_.empty()) return {0, 0};
  const std::size_t mask = index_.size() - 1;
  for (std::size_t at = Hash(key) & mask;; at = (at + 1) & mask) {
    const Entry& e = index_[at];
    if (e.key == key) return {e.begin, e.end};
    if (e.key == kUnbound) return {0, 0};
  }
}

bool PatternJoinOp::Prepare() {
  return method_ != PatternMethod::kHash || table_->Fill(ctx_, t_, key_slot_ == t_.s);
}

}  // namespace parley::query::exec
