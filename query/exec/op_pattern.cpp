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
void Emit(const PatternSlots& t, const Block& in, std::size_t row, TermId s, TermId p, TermId o, Block* out) {
  auto agrees = [&](int slot, TermId value) {
    if (slot < 0) return true;
    const TermId cell = in.at(static_cast<std::size_t>(slot), row);
    return cell == kUnbound || cell == value;
  };
  if (!agrees(t.s, s) || !agrees(t.p, p) || !agrees(t.o, o)) return;
  if ((t.s >= 0 && t.s == t.p && s != p) || (t.s >= 0 && t.s == t.o && s != o) || (t.p >= 0 && t.p == t.o && p != o)) {
    return;
  }
  for (std::size_t c = 0; c < out->columns.size(); ++c) out->columns[c].push_back(in.columns[c][row]);
  if (t.s >= 0) out->columns[static_cast<std::size_t>(t.s)].back() = s;
  if (t.p >= 0) out->columns[static_cast<std::size_t>(t.p)].back() = p;
  if (t.o >= 0) out->columns[static_cast<std::size_t>(t.o)].back() = o;
  ++out->rows;
}

}  // namespace

bool PatternJoinOp::Probe(const Block& in, std::size_t row, Block* out) {
  const TermId s = Bound(t_.s, t_.cs, in, row), p = Bound(t_.p, t_.cp, in, row), o = Bound(t_.o, t_.co, in, row);
  if (method_ == PatternMethod::kHash && BuildTable()) {
    const TermId key = in.at(static_cast<std::size_t>(key_slot_), row);
    const bool key_is_subject = key_slot_ == t_.s;
    auto range = std::equal_range(table_.begin(), table_.end(), Match{key, 0, 0});
    for (auto it = range.first; it != range.second; ++it) {
      if (key_is_subject) {
        Emit(t_, in, row, key, it->p, it->other, out);
      } else {
        Emit(t_, in, row, it->other, it->p, key, out);
      }
    }
    return true;
  }
  return ctx_.Scan(s, p, o, [&](const Quad& q) {
    Emit(t_, in, row, q.subject, q.predicate, q.object, out);
    return true;
  });
}

// Reads the pattern's matches once, keyed on the end the rows bind. False when the
// query stopped while reading.
bool PatternJoinOp::BuildTable() {
  if (built_) return true;
  const bool key_is_subject = key_slot_ == t_.s;
  const bool ok = ctx_.Scan(key_is_subject ? kUnbound : t_.cs, t_.cp, key_is_subject ? t_.co : kUnbound,
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
  // An input row may match many quads: a block can run over kBlockRows, which is fine;
  // the next input row starts the next block.
  while (!out->full()) {
    if (in_row_ >= in_.rows) {
      if (done_ || !input_->Next(&in_)) {
        done_ = true;
        break;
      }
      in_row_ = 0;
    }
    if (!Probe(in_, in_row_++, out)) break;
  }
  return out->rows > 0 && ctx_.ok();
}

}  // namespace parley::query::exec
