// query/exec/op_pattern.cpp
// One triple pattern joined to each input row: by an index scan per row with the row's
// values bound (index nested loops), or through a table of the pattern's matches read
// once and searched by the row's key (a hash join with the pattern as its build side).
#include <algorithm>

#include "query/exec/operator.hpp"

namespace parley::query::exec {

PatternJoinOp::PatternJoinOp(ExecContext& ctx, OperatorPtr input, PatternSlots pattern, PatternMethod method,
                             int hash_key_slot)
    : Operator(ctx), input_(std::move(input)), t_(pattern), method_(method), key_slot_(hash_key_slot) {
  inputs.push_back(input_.get());
}

namespace {

// The value a position has for this row: its constant, the row's value of its
// variable, or kUnbound.
TermId Bound(int slot, TermId constant, const Block& in, std::size_t row) {
  return slot < 0 ? constant : in.at(static_cast<std::size_t>(slot), row);
}

// Appends row `row` of `in` with the pattern's variables bound to the quad's terms;
// nothing when a variable the row (or another position of the pattern) binds disagrees.
void Emit(const PatternSlots& t, const Block& in, std::size_t row, const Quad& q, Block* out) {
  auto agrees = [&](int slot, TermId value) {
    if (slot < 0) return true;
    const TermId cell = in.at(static_cast<std::size_t>(slot), row);
    return cell == kUnbound || cell == value;
  };
  if (!agrees(t.s, q.subject) || !agrees(t.p, q.predicate) || !agrees(t.o, q.object) || !agrees(t.g, q.graph)) return;
  // A variable in two positions must match the same term in both.
  const std::pair<int, TermId> positions[] = {{t.s, q.subject}, {t.p, q.predicate}, {t.o, q.object}, {t.g, q.graph}};
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = i + 1; j < 4; ++j) {
      if (positions[i].first >= 0 && positions[i].first == positions[j].first && positions[i].second != positions[j].second) return;
    }
  }
  for (std::size_t c = 0; c < out->columns.size(); ++c) out->columns[c].push_back(in.columns[c][row]);
  for (const auto& [slot, value] : positions) {
    if (slot >= 0) out->columns[static_cast<std::size_t>(slot)].back() = value;
  }
  ++out->rows;
}

}  // namespace

void PatternJoinOp::Start(std::size_t row) {
  row_ = row;
  active_ = true;
  if (method_ == PatternMethod::kHash) {
    const TermId key = in_.at(static_cast<std::size_t>(key_slot_), row);
    auto range = std::equal_range(table_.begin(), table_.end(), Match{key, 0, 0});
    range_next_ = static_cast<std::size_t>(range.first - table_.begin());
    range_end_ = static_cast<std::size_t>(range.second - table_.begin());
    return;
  }
  GraphRef graph = t_.graph;
  if (t_.g >= 0) {
    const TermId g = in_.at(static_cast<std::size_t>(t_.g), row);
    graph = g == kUnbound ? GraphRef::AnyNamed() : GraphRef::Named(g);
  }
  matches_ = ctx_.Open(Bound(t_.s, t_.cs, in_, row), Bound(t_.p, t_.cp, in_, row), Bound(t_.o, t_.co, in_, row), graph);
}

void PatternJoinOp::Continue(Block* out) {
  if (method_ == PatternMethod::kHash) {
    const bool key_is_subject = key_slot_ == t_.s;
    const TermId key = in_.at(static_cast<std::size_t>(key_slot_), row_);
    const TermId graph = t_.graph.kind == GraphRef::Kind::kNamed ? t_.graph.id : kDefaultGraph;
    for (; range_next_ < range_end_ && !out->full(); ++range_next_) {
      const Match& m = table_[range_next_];
      Emit(t_, in_, row_, key_is_subject ? Quad{key, m.p, m.other, graph} : Quad{m.other, m.p, key, graph}, out);
    }
    active_ = range_next_ < range_end_;
    return;
  }
  Quad q;
  while (!out->full()) {
    if (!matches_->Next(&q)) {
      active_ = false;
      matches_.reset();
      return;
    }
    Emit(t_, in_, row_, q, out);
  }
}

// Reads the pattern's matches once, keyed on the end the rows bind. False when the
// query stopped while reading.
bool PatternJoinOp::BuildTable() {
  if (built_) return true;
  const bool key_is_subject = key_slot_ == t_.s;
  const bool ok = ctx_.Scan(key_is_subject ? kUnbound : t_.cs, t_.cp, key_is_subject ? t_.co : kUnbound, t_.graph,
                            [&](const Quad& q) {
                              table_.push_back(key_is_subject ? Match{q.subject, q.predicate, q.object}
                                                              : Match{q.object, q.predicate, q.subject});
                              return true;
                            });
  if (!ok) return false;
  std::sort(table_.begin(), table_.end());
  built_ = true;
  return true;
}

bool PatternJoinOp::Produce(Block* out) {
  if (method_ == PatternMethod::kHash && !BuildTable()) return false;
  while (!out->full() && ctx_.ok()) {
    if (active_) {
      Continue(out);
      continue;
    }
    if (in_row_ >= in_.rows) {
      if (done_ || !input_->Next(&in_)) {
        done_ = true;
        break;
      }
      in_row_ = 0;
    }
    Start(in_row_++);
  }
  return out->rows > 0 && ctx_.ok();
}

}  // namespace parley::query::exec
