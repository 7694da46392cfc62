// query/exec/modifiers.cpp
// ORDER BY: sort keys, a bounded heap for ORDER BY with LIMIT, an interruptible
// in-memory sort, and the external sort through runs in temporary files.
#include "query/exec/evaluator.hpp"

namespace parley::query::exec {

bool Evaluator::SpillRun(const ast::Query& q, Frame& frame, std::vector<Binding>* rows, std::vector<SortedRun>* runs) {
  Order(q, frame, rows, nullptr);
  SortedRun run;
  run.file = std::tmpfile();
  run.width = rows->empty() ? 0 : rows->front().size();
  run.rows = rows->size();
  if (run.file == nullptr) {
    status_ = Status::IOError("cannot create a temporary file for sorting");
    return false;
  }
  for (const auto& row : *rows) {
    if (std::fwrite(row.data(), sizeof(TermId), run.width, run.file) != run.width) {
      status_ = Status::IOError("cannot write a sorted run (disk full?)");
      return false;
    }
  }
  std::rewind(run.file);
  runs->push_back(run);
  rows->clear();
  return true;
}

void Evaluator::MergeRuns(const ast::Query& q, Frame& frame, std::vector<SortedRun>* runs, const Sink& take) {
  struct Head {
    SortEntry entry;
    std::size_t run;
  };
  auto read = [&](std::size_t r, Head* head) {
    SortedRun& run = (*runs)[r];
    if (run.rows == 0) return false;
    Binding row(run.width, kUnbound);
    if (std::fread(row.data(), sizeof(TermId), run.width, run.file) != run.width) {
      status_ = Status::IOError("cannot read a sorted run");
      return false;
    }
    --run.rows;
    head->entry = SortEntry{OrderKeys(q, frame, row), std::move(row), r};
    head->run = r;
    return true;
  };
  // A min-heap on the sort keys; equal keys come out run by run, as they went in.
  auto greater = [&](const Head& a, const Head& b) { return SortLess(q, b.entry, a.entry); };
  std::vector<Head> heap;
  for (std::size_t r = 0; r < runs->size(); ++r) {
    Head head;
    if (read(r, &head)) heap.push_back(std::move(head));
  }
  std::make_heap(heap.begin(), heap.end(), greater);
  while (!heap.empty() && Tick()) {
    std::pop_heap(heap.begin(), heap.end(), greater);
    Head head = std::move(heap.back());
    heap.pop_back();
    const std::size_t r = head.run;
    if (!take(head.entry.row)) break;
    if (read(r, &head)) {
      heap.push_back(std::move(head));
      std::push_heap(heap.begin(), heap.end(), greater);
    }
  }
  for (auto& run : *runs) std::fclose(run.file);
}

std::vector<std::optional<Term>> Evaluator::OrderKeys(const ast::Query& q, Frame& frame, Binding& row) {
  std::vector<std::optional<Term>> keys;
  for (const auto& o : q.order_by) keys.push_back(Eval(frame, o.expr, row, GraphCtx{}, nullptr));
  return keys;
}

bool Evaluator::SortLess(const ast::Query& q, const SortEntry& a, const SortEntry& b) {
  for (std::size_t k = 0; k < q.order_by.size(); ++k) {
    int c = exec::OrderCompare(a.keys[k] ? &*a.keys[k] : nullptr, b.keys[k] ? &*b.keys[k] : nullptr);
    if (c != 0) return q.order_by[k].descending ? c > 0 : c < 0;
  }
  return a.sequence < b.sequence;
}

void Evaluator::Order(const ast::Query& q, Frame& frame, std::vector<Binding>* rows,
                      std::vector<AggregateValues>* values, std::optional<std::size_t> keep) {
  std::vector<SortEntry> entries;
  for (std::size_t i = 0; i < rows->size() && Tick(); ++i) {
    if (values != nullptr) agg_values_ = &(*values)[i];
    entries.push_back(SortEntry{OrderKeys(q, frame, (*rows)[i]), std::move((*rows)[i]), i});
  }
  agg_values_ = nullptr;
  rows->clear();
  if (!status_.ok()) return;
  auto less = [&](const SortEntry& a, const SortEntry& b) { return SortLess(q, a, b); };
  if (keep && *keep < entries.size() && !KeepFirst(&entries, *keep, less)) return;
  if (!SortInSteps(&entries, less)) return;
  for (auto& e : entries) rows->push_back(std::move(e.row));
}

}  // namespace parley::query::exec
