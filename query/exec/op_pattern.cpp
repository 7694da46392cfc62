// query/exec/op_pattern.cpp
// One triple pattern joined to each input row by an index scan per row with the row's
// values bound (index nested loops), with the scans of the next rows opened ahead.
#include <algorithm>

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
      column.insert(column.end(), n, in_.columns[c][row_]);
    }
  }
  out->rows += n;
}

void PatternJoinOp::Start() {
  const std::size_t row = row_;
  active_ = true;
  matched_ = false;
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
