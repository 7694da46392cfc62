// query/exec/scan.cpp
// The dataset (FROM, FROM NAMED, the union view) and index scans, with RDFS inference
// through subclass and subproperty closures, and the query's deadline and memory
// checks.
#include "query/exec/evaluator.hpp"

namespace parley::query::exec {

const std::vector<TermId>& Evaluator::NamedGraphs() {
  if (named_ready_) return named_;
  named_ready_ = true;
  if (has_dataset_) {
    for (TermId g : from_named_) {
      if ((g & exec::kLocalBit) == 0) named_.push_back(g);
    }
    return named_;
  }
  // Every graph but the default one: hop from graph to graph in gspo.
  std::set<TermId> graphs;
  auto cursor = source_.Scan(QuadPattern{});
  Quad q;
  while (cursor->Next(&q)) {
    if (q.graph != kDefaultGraph) graphs.insert(q.graph);
  }
  named_.assign(graphs.begin(), graphs.end());
  return named_;
}

bool Evaluator::Expired() {
  if (options_.cancel != nullptr && options_.cancel->load()) {
    status_ = Status::IOError("query cancelled");
    return true;
  }
  if (options_.memory_limit && ResidentBytes() > start_resident_ + *options_.memory_limit) {
    status_ = Status::IOError("query stopped: memory limit reached (it needed more than the " +
                              std::to_string(*options_.memory_limit >> 20) + " MiB that --memory-limit allows)");
    return true;
  }
  if (deadline_ && std::chrono::steady_clock::now() > *deadline_) {
    status_ = Status::IOError("query timed out after " +
                              std::to_string(options_.timeout->count() / 1000.0).substr(0, 5) + " s");
    return true;
  }
  return false;
}

const std::vector<TermId>& Evaluator::Below(TermId term, bool classes) {
  auto& cache = classes ? subclasses_ : subproperties_;
  auto it = cache.find(term);
  if (it != cache.end()) return it->second;
  std::vector<TermId> out = {term};
  const TermId relation = table_.StoreId(Term::Iri(classes ? kSubClassOf : kSubPropertyOf));
  if (relation != kUnbound) {
    std::set<TermId> seen = {term};
    for (std::size_t i = 0; i < out.size(); ++i) {
      auto cursor = source_.ScanUnion(QuadPattern{{}, relation, out[i], {}});
      Quad q;
      while (cursor->Next(&q)) {
        if (seen.insert(q.subject).second) out.push_back(q.subject);
      }
    }
  }
  return cache.emplace(term, std::move(out)).first->second;
}

}  // namespace parley::query::exec
