// query/exec/op_pattern.cpp
// One triple pattern joined to each input row by an index scan per row with the row's
// values bound (index nested loops). The ranges the store keeps in memory are looked up
// for a whole input block at once and written a column at a time; the other rows' scans
// are opened a few rows ahead.
#include <algorithm>
#include <iterator>

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

PatternJoinOp::PatternJoinOp(ExecContext& ctx, OperatorPtr input, PatternSlots pattern, bool optional)
    : PerRowOp(ctx, std::move(input)), t_(pattern), optional_(optional) {
  repeated_ = HasRepeatedVariable(t_);
}

// Appends `quads` to `out`, each as row `row` of `in` with the pattern's variables bound
// to its terms, a column at a time. The positions the row binds were part of the scan,
// so every quad agrees with the row.
void PatternJoinOp::Append(const Quad* quads, std::size_t n, Block* out) {
  if (n == 0) return;
  for (std::size_t c = 0; c < out->columns.size(); ++c) {
    auto& column = out->columns[c];
    const int slot = static_cast<int>(c);
    if (slot == t_.s || slot == t_.p || slot == t_.o || slot == t_.g) {
      for (const Quad* q = quads; q != quads + n; ++q) {
        column.push_back(slot == t_.s ? q->subject : slot == t_.p ? q->predicate : slot == t_.o ? q->object : q->graph);
      }
    } else {
      const TermId value = in_.columns[c][row_];
      if (n == 1) {
        column.push_back(value);  // a probe's usual one match: insert's set-up cost more
      } else {
        column.insert(column.end(), n, value);
      }
    }
  }
  out->rows += n;
}

void PatternJoinOp::Start() {
  const std::size_t row = row_;
  active_ = true;
  matched_ = false;
  if (row == 0) {  // a new input block
    opened_ = 0;
    LookUpBlock();
  }
  in_range_ = row < kept_.size() && kept_[row].at.kept();
  if (in_range_) return StartKept();
  while (opened_ < in_.rows && opened_ <= row + kProbeAhead) {
    if (opened_ >= kept_.size() || !kept_[opened_].at.kept()) OpenAhead(opened_);
    ++opened_;
  }
  matches_ = ahead_[row % ahead_.size()].get();
  // A thread's chunk of the scan starts past the chunks before it.
  if (chunk_ && pulled_ == 0 && chunk_->skip > 0) {
    matches_->Skip(chunk_->skip);
    pulled_ = chunk_->skip;
  }
}

PatternJoinOp::Probe PatternJoinOp::ProbeOf(std::size_t row) const {
  GraphRef graph = t_.graph;
  if (t_.g >= 0) {
    const TermId g = in_.at(static_cast<std::size_t>(t_.g), row);
    graph = g == kUnbound ? GraphRef::AnyNamed() : GraphRef::Named(g);
  }
  return {Bound(t_.s, t_.cs, in_, row), Bound(t_.p, t_.cp, in_, row), Bound(t_.o, t_.co, in_, row), graph};
}

void PatternJoinOp::LookUpBlock() {
  kept_.clear();
  // A thread's chunk skips into its scan, and a repeated variable filters the matches:
  // both go through Matches.
  if (chunk_ || repeated_) return;
  probes_.clear();
  probe_rows_.clear();
  kept_.resize(in_.rows);
  for (std::size_t row = 0; row < in_.rows; ++row) {
    const Probe probe = ProbeOf(row);
    if (ctx_.AsOneRange(probe.s, probe.p, probe.o, probe.graph, &probes_.emplace_back(), &kept_[row].skip_default)) {
      probe_rows_.push_back(static_cast<std::uint32_t>(row));
    } else {
      probes_.pop_back();
    }
  }
  ctx_.source().KeptRanges(probes_, &copied_, &shared_, &found_);
  for (std::size_t i = 0; i < probe_rows_.size(); ++i) kept_[probe_rows_[i]].at = found_[i];
}

void PatternJoinOp::OpenAhead(std::size_t row) {
  const Probe probe = ProbeOf(row);
  auto& matches = ahead_[row % ahead_.size()];
  if (matches) {
    ctx_.Reopen(matches.get(), probe.s, probe.p, probe.o, probe.graph);
  } else {
    matches = ctx_.Open(probe.s, probe.p, probe.o, probe.graph);
  }
  matches->Prefetch();
}

void PatternJoinOp::StartKept() {
  const KeptRangeAt& at = kept_[row_].at;
  range_ = (at.range == KeptRangeAt::kCopied ? copied_.data() : shared_[at.range]->data()) + at.begin;
  range_size_ = at.size;
  range_at_ = 0;
  skip_default_ = kept_[row_].skip_default;
}

void PatternJoinOp::ContinueKept(Block* out) {
  const std::size_t room = out->rows < out->capacity ? out->capacity - out->rows : 0;
  runs_.clear();
  buffer_.clear();
  buffer_.reserve(room);  // the matches left after skipping the default graph's: no more than room
  std::size_t rows = 0;
  for (;;) {
    const std::size_t take = std::min(room - rows, range_size_ - range_at_);
    const Quad* at = range_ + range_at_;
    range_at_ += take;
    std::size_t n = take;
    if (skip_default_) {
      const std::size_t from = buffer_.size();
      std::copy_if(at, at + take, std::back_inserter(buffer_), [](const Quad& q) { return q.graph != kDefaultGraph; });
      at = buffer_.data() + from;
      n = buffer_.size() - from;
    }
    if (n > 0) {
      runs_.push_back({row_, at, n});
      rows += n;
      matched_ = true;
    }
    if (range_at_ < range_size_) break;  // `out` is full
    active_ = false;
    // OPTIONAL: a row that nothing matched goes on alone.
    if (!matched_ && optional_) {
      runs_.push_back({row_, nullptr, 1});
      ++rows;
    }
    // On to the next row, while it too is kept and there is room.
    if (rows >= room || next_row_ >= kept_.size() || !kept_[next_row_].at.kept()) break;
    row_ = next_row_++;
    active_ = true;
    matched_ = false;
    StartKept();
  }
  WriteRuns(rows, out);
}

void PatternJoinOp::WriteRuns(std::size_t rows, Block* out) const {
  const std::size_t base = out->rows;
  for (std::size_t c = 0; c < out->columns.size(); ++c) {
    const int slot = static_cast<int>(c);
    TermId Quad::*field = slot == t_.s ? &Quad::subject
                          : slot == t_.p ? &Quad::predicate
                          : slot == t_.o ? &Quad::object
                          : slot == t_.g ? &Quad::graph
                                         : nullptr;
    auto& column = out->columns[c];
    column.resize(base + rows);
    TermId* to = column.data() + base;
    for (const Run& run : runs_) {
      if (field == nullptr || run.quads == nullptr) {
        to = std::fill_n(to, run.n, in_.columns[c][run.row]);
      } else {
        for (const Quad* q = run.quads; q != run.quads + run.n; ++q) *to++ = q->*field;
      }
    }
  }
  out->rows += rows;
}

void PatternJoinOp::Continue(Block* out) {
  if (in_range_) return ContinueKept(out);
  const std::size_t room = out->rows < out->capacity ? out->capacity - out->rows : 0;
  buffer_.clear();
  std::size_t given = 0;  // matches written straight from where they lie
  while (given + buffer_.size() < room) {
    // A thread's chunk ends after `take` matches (its start was skipped to in Start).
    std::size_t want = room - given - buffer_.size();
    if (chunk_ && chunk_->take) want = std::min<std::uint64_t>(want, chunk_->skip + *chunk_->take - pulled_);
    // A range in memory is written to the block from where it lies, not copied first.
    const Quad* at = nullptr;
    const auto in_place = want == 0 || repeated_ ? std::nullopt : matches_->NextInPlace(&at, want);
    const std::size_t got = want == 0 ? 0 : in_place ? *in_place : matches_->NextBatch(&buffer_, want);
    if (got == 0) {
      active_ = false;  // the matches stay in ahead_, to be reopened for a row ahead
      break;
    }
    if (in_place) {
      // Copied matches keep their place before these. (There are none in practice: one
      // part's matches all come one way.)
      Append(buffer_.data(), buffer_.size(), out);
      given += buffer_.size() + got;
      buffer_.clear();
      Append(at, got, out);
    }
    pulled_ += got;
  }
  if (repeated_) std::erase_if(buffer_, [&](const Quad& q) { return !Consistent(t_, q); });
  Append(buffer_.data(), buffer_.size(), out);
  matched_ = matched_ || given > 0 || !buffer_.empty();
  // OPTIONAL: a row that nothing matched goes on alone.
  if (!active_ && !matched_ && optional_) out->AppendRow(in_, row_);
}

}  // namespace parley::query::exec
