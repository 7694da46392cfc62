// query/exec/op_order.cpp
// ORDER BY: the sort keys of each row are computed once (terms decoded a block at a
// time), then the rows are sorted, ties kept in the order they came. With `keep` (ORDER
// BY ... LIMIT), a bounded heap holds only the best `keep` rows seen so far.
#include <algorithm>

#include "query/exec/operator.hpp"
#include "query/exec/values.hpp"

namespace parley::query::exec {

namespace {

struct Entry {
  std::vector<std::optional<Term>> keys;
  std::vector<TermId> row;
  std::uint64_t sequence;
};

struct EntryLess {
  const std::vector<ast::OrderCondition>* order;
  bool operator()(const Entry& a, const Entry& b) const {
    for (std::size_t i = 0; i < order->size(); ++i) {
      const Term* x = a.keys[i] ? &*a.keys[i] : nullptr;
      const Term* y = b.keys[i] ? &*b.keys[i] : nullptr;
      int c = OrderCompare(x, y);
      if ((*order)[i].descending) c = -c;
      if (c != 0) return c < 0;
    }
    return a.sequence < b.sequence;
  }
};

}  // namespace

OrderOp::OrderOp(ExecContext& ctx, OperatorPtr input, std::vector<ast::OrderCondition> order,
                 std::vector<int> read_slots, std::optional<std::size_t> keep)
    : Operator(ctx), input_(std::move(input)), order_(std::move(order)), read_slots_(std::move(read_slots)), keep_(keep) {
  inputs.push_back(input_.get());
}

bool OrderOp::Sort() {
  std::vector<Entry> entries;
  const EntryLess less{&order_};
  Block in;
  std::uint64_t sequence = 0;
  while (input_->Next(&in)) {
    PrefetchTerms(ctx_, in, read_slots_);
    for (std::size_t row = 0; row < in.rows; ++row) {
      Entry entry{{}, in.Row(row), sequence++};
      RowScope scope(ctx_, in, row);
      entry.keys.reserve(order_.size());
      for (const auto& condition : order_) entry.keys.push_back(Evaluate(condition.expr, scope, ctx_.functions()));
      if (!keep_) {
        entries.push_back(std::move(entry));
      } else if (*keep_ > 0 && entries.size() < *keep_) {
        entries.push_back(std::move(entry));
        std::push_heap(entries.begin(), entries.end(), less);
      } else if (*keep_ > 0 && less(entry, entries.front())) {
        std::pop_heap(entries.begin(), entries.end(), less);
        entries.back() = std::move(entry);
        std::push_heap(entries.begin(), entries.end(), less);
      }
    }
  }
  if (!ctx_.ok()) return false;
  std::sort(entries.begin(), entries.end(), less);
  rows_.Reset(ctx_.width());
  for (const Entry& e : entries) rows_.AppendRow(e.row);
  sorted_ = true;
  return true;
}

bool OrderOp::Produce(Block* out) {
  if (!sorted_ && !Sort()) return false;
  while (next_ < rows_.rows && !out->full()) out->AppendRow(rows_, next_++);
  return out->rows > 0;
}

}  // namespace parley::query::exec
