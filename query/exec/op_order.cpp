// query/exec/op_order.cpp
// ORDER BY: the sort keys of each row are computed once (terms decoded a block at a
// time), then the rows are sorted, ties kept in the order they came. With `keep` (ORDER
// BY ... LIMIT), a bounded heap holds only the best `keep` rows seen so far. Without it,
// memory stays bounded however many rows come: runs of rows are sorted in memory and
// written to temporary files (as ids, which stay valid for the whole query), then merged.
#include <algorithm>
#include <cstdio>

#include "query/exec/operator.hpp"
#include "query/exec/values.hpp"
#include "store/id_map.hpp"

namespace parley::query::exec {

struct OrderOp::Entry {
  std::vector<std::optional<Term>> keys;
  std::vector<SortKey> sort_keys;  // of each key, for comparing most keys as numbers
  std::vector<TermId> row;
  std::uint64_t sequence;
};

struct OrderOp::Run {
  std::FILE* file = nullptr;
  std::size_t rows = 0;
  ~Run() {
    if (file != nullptr) std::fclose(file);
  }
};

namespace {

bool Less(const std::vector<ast::OrderCondition>& order, const OrderOp::Entry& a, const OrderOp::Entry& b) {
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Term* x = a.keys[i] ? &*a.keys[i] : nullptr;
    const Term* y = b.keys[i] ? &*b.keys[i] : nullptr;
    int c = OrderCompare(x, a.sort_keys[i], y, b.sort_keys[i]);
    if (order[i].descending) c = -c;
    if (c != 0) return c < 0;
  }
  return a.sequence < b.sequence;
}

}  // namespace

OrderOp::OrderOp(ExecContext& ctx, OperatorPtr input, std::vector<ast::OrderCondition> order,
                 std::vector<int> read_slots, std::optional<std::size_t> keep)
    : Operator(ctx), input_(std::move(input)), order_(std::move(order)), read_slots_(std::move(read_slots)), keep_(keep) {
  inputs.push_back(input_.get());
  // A top-k decodes the other keys only for rows that the first key lets in.
  const ast::Expr& first = order_.front().expr;
  if (first.op == ast::Expr::Op::kTerm && first.term.is_var && first.term.slot >= 0) first_key_variable_ = first.term.slot;
  first_key_slots_ = keep_ && first_key_variable_ >= 0 ? std::vector<int>{first_key_variable_} : read_slots_;
}

OrderOp::~OrderOp() = default;

bool OrderOp::FirstKeyLoses(const Block& block, std::size_t row, const Entry& last, Entry* entry) {
  const Term* y = last.keys[0] ? &*last.keys[0] : nullptr;
  // With one key, a tie loses too: the row came after the last kept one.
  auto loses = [&](int c) { return (order_[0].descending ? -c : c) > 0 || (c == 0 && order_.size() == 1); };
  if (first_key_variable_ >= 0) {
    // A variable's term is compared where the table keeps it, and copied only when the
    // row can still enter (most rows of a top-k cannot).
    const TermId id = block.at(static_cast<std::size_t>(first_key_variable_), row);
    const Term* x = id == kUnbound ? nullptr : &ctx_.table().Get(id);
    const SortKey key = SortKeyOf(x);
    if (loses(OrderCompare(x, key, y, last.sort_keys[0]))) return true;
    entry->keys.resize(order_.size());
    entry->sort_keys.resize(order_.size());
    if (x == nullptr) {
      entry->keys[0].reset();
    } else {
      entry->keys[0] = *x;
    }
    entry->sort_keys[0] = key;
    return false;
  }
  KeysOf(block, row, entry, 0, 1);
  return loses(OrderCompare(entry->keys[0] ? &*entry->keys[0] : nullptr, entry->sort_keys[0], y, last.sort_keys[0]));
}

void OrderOp::KeysOf(const Block& block, std::size_t row, Entry* entry, std::size_t from, std::size_t to) {
  RowScope scope(ctx_, block, row);
  entry->keys.resize(order_.size());
  entry->sort_keys.resize(order_.size());
  for (std::size_t k = from; k < std::min(to, order_.size()); ++k) {
    const ast::Expr& key = order_[k].expr;
    if (key.op != ast::Expr::Op::kTerm || !key.term.is_var || key.term.slot < 0) {
      entry->keys[k] = Evaluate(key, scope, ctx_.functions());
    } else if (const TermId id = block.at(static_cast<std::size_t>(key.term.slot), row); id == kUnbound) {
      entry->keys[k].reset();
    } else {
      entry->keys[k] = ctx_.table().Get(id);  // into the entry's (reused) storage
    }
    entry->sort_keys[k] = SortKeyOf(entry->keys[k] ? &*entry->keys[k] : nullptr);
  }
}

// std::sort cannot be stopped: a large sort is done as sorted blocks merged pass by
// pass, with the budget checked between steps, so that a timeout or Ctrl-C stops it soon.
bool OrderOp::SortInSteps(std::vector<Entry>* entries) {
  constexpr std::size_t kStep = 1 << 14;
  auto less = [&](const Entry& a, const Entry& b) { return Less(order_, a, b); };
  const std::size_t n = entries->size();
  auto at = [&](std::size_t i) { return entries->begin() + static_cast<std::ptrdiff_t>(std::min(i, n)); };
  for (std::size_t i = 0; i < n; i += kStep) {
    std::sort(at(i), at(i + kStep), less);
    if (!ctx_.Check()) return false;
  }
  for (std::size_t width = kStep; width < n; width *= 2) {
    for (std::size_t i = 0; i + width < n; i += 2 * width) {
      std::inplace_merge(at(i), at(i + width), at(i + 2 * width), less);
      if (!ctx_.Check()) return false;
    }
  }
  return true;
}

bool OrderOp::Spill(std::vector<Entry>* entries) {
  if (!SortInSteps(entries)) return false;
  auto run = std::make_unique<Run>();
  run->file = std::tmpfile();
  if (run->file == nullptr) {
    ctx_.Fail(Status::IOError("cannot create a temporary file for sorting"));
    return false;
  }
  const std::size_t width = ctx_.width();
  for (const Entry& e : *entries) {
    if (std::fwrite(e.row.data(), sizeof(TermId), width, run->file) != width) {
      ctx_.Fail(Status::IOError("cannot write a sorted run (disk full?)"));
      return false;
    }
  }
  std::rewind(run->file);
  run->rows = entries->size();
  runs_.push_back(std::move(run));
  entries->clear();
  return true;
}

// The next row of run `r` with its keys, into heads_; false at the run's end.
bool OrderOp::ReadHead(std::size_t r) {
  Run& run = *runs_[r];
  if (run.rows == 0) return false;
  Block one;
  one.Reset(ctx_.width());
  std::vector<TermId> row(ctx_.width());
  if (std::fread(row.data(), sizeof(TermId), row.size(), run.file) != row.size()) {
    ctx_.Fail(Status::IOError("cannot read a sorted run"));
    return false;
  }
  --run.rows;
  one.AppendRow(row);
  PrefetchTerms(ctx_, one, read_slots_);
  Entry entry{{}, {}, std::move(row), r};  // equal keys come out run by run, as they went in
  KeysOf(one, 0, &entry);
  heads_.push_back(std::move(entry));
  std::push_heap(heads_.begin(), heads_.end(), [&](const Entry& a, const Entry& b) { return Less(order_, b, a); });
  return true;
}

bool OrderOp::Sort() {
  std::vector<Entry> entries;
  auto less = [&](const Entry& a, const Entry& b) { return Less(order_, a, b); };
  // A run, with its sort keys, takes about a quarter of the memory limit at most.
  const std::size_t row_bytes = 2 * (ctx_.width() * sizeof(TermId) + 64) + order_.size() * 64;
  const auto& options = ctx_.options();
  const std::size_t run_rows =
      options.memory_limit ? std::min(options.sort_run_rows, std::max<std::size_t>(*options.memory_limit / 4 / row_bytes, 1024))
                           : options.sort_run_rows;
  Block in;
  std::uint64_t sequence = 0;
  Entry entry;
  // A top-k keeps its rows in `entries`, which never move, and a max-heap of their
  // indices, the last kept row on top: a row that enters takes that row's place and its
  // storage, and only indices move in the heap.
  std::vector<std::uint32_t> heap;
  auto later = [&](std::uint32_t a, std::uint32_t b) { return less(entries[a], entries[b]); };
  // Under a top-k whose first key is a variable, every row of one id there loses to the
  // kept rows' last if one does, and goes on losing, as the last kept row only gets
  // better. Many rows share a few ids (a date of ten meetings, a group-by's counts): the
  // ids that lost are kept, and their rows skipped unread. Where ids rarely come again
  // (labels), the set would only grow: it is given up when, of kCheckEvery ids entered,
  // fewer than one in four rows it was asked about was skipped.
  int first_slot = keep_ ? first_key_variable_ : -1;
  constexpr std::size_t kCheckEvery = 4096;
  IdMap<char> losing;
  std::size_t asked = 0, skipped = 0;
  std::vector<TermId> unread;
  while (input_->Next(&in)) {
    if (first_slot >= 0 && losing.size() > 0) {
      const auto& ids = in.columns[static_cast<std::size_t>(first_slot)];
      unread.clear();
      for (std::size_t row = 0; row < in.rows; ++row) {
        if (!losing.contains(ids[row])) unread.push_back(ids[row]);
      }
      ctx_.table().Prefetch(unread);
    } else {
      PrefetchTerms(ctx_, in, first_key_slots_);
    }
    for (std::size_t row = 0; row < in.rows; ++row) {
      if (keep_ && *keep_ == 0) break;
      // The row itself is copied only when it is kept.
      entry.sequence = sequence++;
      const bool full = keep_ && entries.size() >= *keep_;
      const TermId first_id = first_slot >= 0 ? in.at(static_cast<std::size_t>(first_slot), row) : kUnbound;
      if (full && first_slot >= 0 && first_id != kUnbound) {
        ++asked;
        if (losing.contains(first_id)) {
          ++skipped;
          continue;
        }
      }
      if (full && FirstKeyLoses(in, row, entries[heap.front()], &entry)) {
        if (first_slot < 0 || first_id == kUnbound) continue;
        losing.Set(first_id, 1);
        if (losing.size() % kCheckEvery == 0 && 4 * skipped < asked) {
          first_slot = -1;
          losing.clear();
        }
        continue;
      }
      KeysOf(in, row, &entry, full ? 1 : 0);
      // With one key, FirstKeyLoses has decided: the row comes before the last kept one.
      if (full && order_.size() > 1 && !less(entry, entries[heap.front()])) continue;
      entry.row.resize(in.columns.size());  // into the storage it has
      for (std::size_t c = 0; c < in.columns.size(); ++c) entry.row[c] = in.columns[c][row];
      if (!keep_ || entries.size() < *keep_) {
        entries.push_back(std::move(entry));
        entry = Entry{};
        if (keep_) {
          heap.push_back(static_cast<std::uint32_t>(entries.size() - 1));
          std::push_heap(heap.begin(), heap.end(), later);
        }
      } else {
        std::pop_heap(heap.begin(), heap.end(), later);
        std::swap(entries[heap.back()], entry);
        std::push_heap(heap.begin(), heap.end(), later);
      }
    }
    if (!keep_ && entries.size() >= run_rows && !Spill(&entries)) return false;
  }
  if (!ctx_.ok()) return false;
  if (!runs_.empty()) {
    if (!entries.empty() && !Spill(&entries)) return false;
    for (std::size_t r = 0; r < runs_.size(); ++r) ReadHead(r);
    sorted_ = true;
    return ctx_.ok();
  }
  if (!SortInSteps(&entries)) return false;
  rows_.Reset(ctx_.width());
  for (const Entry& e : entries) rows_.AppendRow(e.row);
  sorted_ = true;
  return true;
}

bool OrderOp::Produce(Block* out) {
  if (!sorted_ && !Sort()) return false;
  if (runs_.empty()) {
    while (next_ < rows_.rows && !out->full()) out->AppendRow(rows_, next_++);
    return out->rows > 0;
  }
  // Merging the runs: the least head goes out, and its run's next row takes its place.
  auto greater = [&](const Entry& a, const Entry& b) { return Less(order_, b, a); };
  while (!heads_.empty() && !out->full() && ctx_.ok()) {
    std::pop_heap(heads_.begin(), heads_.end(), greater);
    Entry head = std::move(heads_.back());
    heads_.pop_back();
    out->AppendRow(head.row);
    ReadHead(static_cast<std::size_t>(head.sequence));
  }
  return out->rows > 0 && ctx_.ok();
}

}  // namespace parley::query::exec
